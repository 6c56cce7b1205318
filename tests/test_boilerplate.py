"""Every lexicon entry carries its own passing and failing examples; run them all (proselint-style)."""

from __future__ import annotations

import re

import pytest

from analyzer.checks.boilerplate import BoilerplateDetector, load_lexicon
from analyzer.ingest.normalize import clean_paragraph

LEXICON = load_lexicon()
DETECTOR = BoilerplateDetector(LEXICON)


def _cases():
    for entry in LEXICON.entries:
        for sentence in entry.examples.fail:
            yield pytest.param(entry.id, sentence, True, id=f"{entry.id}-fail")
        for sentence in entry.examples.pass_:
            yield pytest.param(entry.id, sentence, False, id=f"{entry.id}-pass")


@pytest.mark.parametrize(("entry_id", "sentence", "boilerplate"), list(_cases()))
def test_lexicon_examples(entry_id, sentence, boilerplate):
    for form in (sentence, clean_paragraph(sentence)):  # as written and as ingestion normalises it
        flag = DETECTOR.flag(form)
        assert (flag is not None) is boilerplate, f"{entry_id}: {form!r} -> {flag}"
        if boilerplate:
            assert DETECTOR.match(form) is not None


def test_every_category_has_entries_and_entries_name_known_categories():
    categories = {c.id for c in LEXICON.categories}
    used = {e.category for e in LEXICON.entries}
    assert used == categories
    assert len(LEXICON.entries) >= 60
    assert len({e.id for e in LEXICON.entries}) == len(LEXICON.entries)


@pytest.mark.parametrize("phrase", ["取得了较好效果", "全力以赴", "攻坚克难", "以钉钉子精神"])
def test_seed_phrases_are_in_the_lexicon(phrase):
    assert DETECTOR.flag(f"我们{phrase}。") is not None


def test_a_figure_makes_a_formula_sentence_specific():
    assert DETECTOR.flag("行政复议工作取得明显成效。") is not None
    assert DETECTOR.flag("行政复议工作取得明显成效,全年纠错12件。") is None


def test_placeholders_are_flagged_even_with_figures():
    assert DETECTOR.flag("全年办理行政复议案件XX件,同比增长12%。") is not None


def test_the_literal_screen_changes_no_match_over_the_corpus():
    """Searching only entries whose required literals occur gives, sentence for sentence, the
    same first matching entry as trying every pattern in lexicon order."""
    from builders import corpus_texts

    from analyzer.text.structure import split_sentences

    checked = matched = 0
    for text in (text for texts in corpus_texts() for text in texts):
        spans = split_sentences(text) or [(0, len(text))]
        for (start, end), among in zip(spans, DETECTOR.candidates(text, spans)):
            sentence = text[start:end]
            brute = next((e.id for e in DETECTOR.entries if re.search(e.pattern, sentence)), None)
            for hit in (DETECTOR.match(sentence), DETECTOR.match(sentence, among=among)):
                assert (hit.entry if hit else None) == brute, sentence
            checked += 1
            matched += brute is not None
    assert checked > 4000 and matched > 300  # the corpus exercises the screen, not just empty sentences
