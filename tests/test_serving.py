"""The numpy-only serving form of the shipped models (agreement with scikit-learn is tested in
test_classifier.py on a freshly trained model)."""

from __future__ import annotations

import numpy as np
import pytest

from analyzer.mapping.features import WORD_BLOCKS, paragraph_items
from analyzer.mapping.model import default_element_model, default_scorer
from analyzer.pipeline import attach_tokens
from analyzer.text.structure import parse_structure


@pytest.fixture(scope="module")
def seed_items(seed_paragraphs):
    structure = parse_structure(seed_paragraphs)
    attach_tokens(structure)
    return paragraph_items(structure)


def test_a_subset_of_element_classes_scores_as_the_full_model(seed_items):
    model = default_element_model()
    subset = model.classes_[3::4]
    full = model.predict_items(seed_items)
    part = model.predict_items(seed_items, classes=subset)
    columns = [model.classes_.index(c) for c in subset]
    np.testing.assert_allclose(part, full[:, columns], rtol=1e-12)


def test_a_softmax_refuses_a_subset(seed_items):
    model = default_scorer()
    with pytest.raises(ValueError):
        model.predict_items(seed_items, classes=model.classes_[:2])


def test_paragraphs_without_known_words_get_the_prior(seed_items):
    """A paragraph of unseen words has no features: its scores are the intercepts alone (divided by
    the calibration temperature)."""
    model = default_scorer()
    items = [{"words": ["𠀀𠀁"], "heading": ""}, *seed_items[:3]]
    proba = model.predict_items(items)
    prior = np.exp((model.intercept_ - model.intercept_.max()) / model.temperature_)
    np.testing.assert_allclose(proba[0], prior / prior.sum(), rtol=1e-6)  # intercepts stored as float32
    np.testing.assert_allclose(proba[1:], model.predict_items(seed_items[:3]))


def test_sharing_the_section_vocabulary_changes_no_element_probability(seed_items):
    """The shipped element model is served through the section model's vocabulary: its
    probabilities equal those of the same model looking its own vocabulary up."""
    from analyzer.mapping.model import ELEMENT_MODEL_FILE, MODEL_DIR
    from analyzer.mapping.serving import CompactModel

    shared = default_element_model()
    assert all(block.parent is not None for block in shared.blocks)
    alone = CompactModel.load(MODEL_DIR / ELEMENT_MODEL_FILE)
    fresh = [{"words": item["words"], "heading": item["heading"]} for item in seed_items]
    np.testing.assert_allclose(shared.predict_items(fresh), alone.predict_items(seed_items), rtol=1e-12)


def test_a_vocabulary_that_is_not_a_subset_is_not_shared():
    from analyzer.mapping.serving import Block

    parent = Block("words", {"法治": 0, "政府": 1}, np.ones(2))
    child = Block("words", {"法治": 0, "清单": 1}, np.ones(2))
    assert not child.share_vocabulary(parent) and child.parent is None
    subset = Block("words", {"政府": 0}, np.ones(1))
    assert subset.share_vocabulary(parent)
    rows, ids = subset.lookup([{"words": ["法治", "政府"], "heading": ""}])
    assert rows.tolist() == [0, 0, 0] and ids.tolist() == [-1, 0, -1]  # 法治, 政府, 法治_政府


# -- the batched word look-up against the term-by-term one it replaced ---------------------------

def _plain_columns(vocabulary: dict[str, int], item: dict, terms_of=None) -> list[int]:
    """The reference: build each term of the block (``words_of`` by default) as a string and look it up."""
    from analyzer.mapping.features import words_of

    return [vocabulary.get(term, -1) for term in (terms_of or words_of)(item)]


@pytest.mark.parametrize("block", sorted(WORD_BLOCKS))
def test_word_pairs_match_the_string_lookup_over_the_corpus(block):
    """Each block of words and bigrams of the shipped section model (``features.WORD_BLOCKS``),
    the lead clause's with its ``L:`` prefix, against its term function's strings looked up."""
    from builders import corpus_texts

    from analyzer.mapping.features import BLOCKS
    from analyzer.mapping.serving import WordPairs

    vocabulary = next(b for b in default_scorer().blocks if b.name == block).vocabulary
    field, prefix = WORD_BLOCKS[block]
    pairs = WordPairs(vocabulary, prefix=prefix)
    for paragraphs in corpus_texts():
        structure = parse_structure(paragraphs)
        attach_tokens(structure)
        items = [{field: item[field], "text": item["text"]} for item in paragraph_items(structure)]
        got = [ids.tolist() for ids in pairs.columns(items, field=field)]
        assert got == [_plain_columns(vocabulary, item, BLOCKS[block]) for item in items]


@pytest.mark.parametrize("words", [
    [], ["a"], ["a", "b"], ["a_b"], ["a", "b_c"], ["a_b", "c"], ["x", "a"], ["a", "a", "b", "c", "z", "_"],
    ["_", "b"], ["", "_b"], ["b", "c"], ["a_b", "c", "d"], ["c", "d"],
])
@pytest.mark.parametrize("with_text", [False, True])
def test_word_pairs_resolve_underscores_as_the_strings_do(words, with_text):
    """Terms with several underscores, halves that are not terms, and words holding underscores;
    items with the text their words were cut from (a document without ``_`` looks its words up in
    the words' own table) and without it."""
    from analyzer.mapping.serving import WordPairs

    terms = ["a", "b", "a_b", "a_b_c", "_", "__b", "c_d", "b_c", "a_b_c_d", "z__"]
    vocabulary = {term: k for k, term in enumerate(terms)}
    items = [{"words": words}, {"words": list(reversed(words))}, {"words": words[:1]}]
    if with_text:
        items = [{**item, "text": "".join(item["words"])} for item in items]
    got = [ids.tolist() for ids in WordPairs(vocabulary).columns(items)]
    assert got == [_plain_columns(vocabulary, item) for item in items]


def test_the_key_table_gives_what_a_search_of_the_sorted_keys_gives():
    """``KeyTable`` (hashing) against ``searchsorted`` in the sorted keys, which it replaced: the
    shipped model's word pairs and every key next to them, small keys many of them held twice (the
    first value wins, as the leftmost found), and no key at all."""
    from analyzer.mapping.serving import KeyTable, WordPairs

    pairs = WordPairs(default_scorer().blocks[0].vocabulary)
    rng = np.random.default_rng(7)
    cases = [(pairs.pair_keys, pairs.pair_columns)]
    keys = rng.integers(1, 50, size=40)
    cases.append((np.sort(keys, kind="stable"), np.arange(40)))
    cases.append((np.array([], dtype=np.int64), np.array([], dtype=np.int64)))
    for keys, values in cases:
        table = KeyTable(keys, values)
        queries = np.concatenate((keys, keys + 1, keys - 1, rng.integers(1, 1 << 40, size=1000)))
        queries = queries[queries > 0]
        at = np.minimum(np.searchsorted(keys, queries), max(len(keys) - 1, 0))
        want = np.where(keys[at] == queries, values[at], -1) if len(keys) else np.full(len(queries), -1)
        assert table.get(queries).tolist() == want.tolist()


# -- the document's scoring against the per-block numpy calls it replaced -------------------------

def _plain_transform(block, items: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The reference: counting by ``np.unique``, as serving did before (row, column, value)."""
    rows, ids = block.lookup(items)
    known = ids >= 0
    rows, cols = rows[known], ids[known]
    if not len(cols):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    width = len(block.vocabulary)
    keys, counts = np.unique(rows * width + cols, return_counts=True)
    rows_, cols_ = np.divmod(keys, width)
    values = (np.log(counts) + 1.0) * block.idf[cols_]
    norms = np.sqrt(np.bincount(rows_, weights=values * values, minlength=len(items)))
    return rows_, cols_ + block.offset, values * (block.weight / norms[rows_])


def _plain_predict(model, items: list[dict], classes=None) -> np.ndarray:
    """The reference: ``predict_items`` with ``np.tile``, ``np.r_`` and ``np.unique``, as before."""
    keep = np.arange(len(model.classes_)) if classes is None else np.array(
        [model.classes_.index(c) for c in classes], dtype=np.int64)
    scores = np.tile(model.intercept_[keep], (len(items), 1)).astype(np.float64)
    for block in model.blocks:
        rows, cols, values = _plain_transform(block, items)
        if len(rows):
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            gathered = np.take(model._coef_t, cols, axis=0)
            weighted = (gathered if classes is None else gathered[:, keep]) * values[:, None]
            scores[rows[starts]] += np.add.reduceat(weighted, starts, axis=0)
    return model.probabilities(scores)  # the last step is shared: the sums are what changed


def test_scoring_gives_the_plain_numpy_probabilities_bit_for_bit_over_the_corpus():
    """Both shipped models, every corpus report (and a few of its paragraphs, and none): the same
    floats as the reference, not merely close ones (outputs must stay byte-identical)."""
    from builders import corpus_texts

    section, element = default_scorer(), default_element_model()
    for paragraphs in corpus_texts():
        structure = parse_structure(paragraphs)
        attach_tokens(structure)
        items = paragraph_items(structure)
        for subset in (items, items[1:4], items[:0], [{"words": ["𠀀"], "lead": []}]):
            for k, block in enumerate(section.blocks + element.blocks):
                got, want = block.transform(subset), _plain_transform(block, subset)
                assert all(np.array_equal(a, b) for a, b in zip(got, want)), k
            assert np.array_equal(section.predict_items(subset), _plain_predict(section, subset))
            classes = element.classes_[::3]
            assert np.array_equal(element.predict_items(subset, classes=classes),
                                  _plain_predict(element, subset, classes))
            assert np.array_equal(element.predict_items(subset), _plain_predict(element, subset))
