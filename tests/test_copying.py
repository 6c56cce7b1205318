"""Copied text: each kind of copied sentence, the sentence share, issuer names, and the labelled pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.checks.copying import (
    CopyIndex,
    compare_paragraphs,
    issuer_key,
    match_issuers,
    name_variants,
    normalise,
    sentence_keys,
    sentences,
)
from analyzer.training.corpus import load_corpus
from analyzer.training.evaluate_copying import PAIR_GOAL, LabelError, evaluate_pairs, parse_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = {r.id: r for r in load_corpus(ROOT / "corpora" / "src")}


def _texts(report):
    return [p.text for p in report.paragraphs]


def _one(later: str, earlier: str):
    result = compare_paragraphs([later], [earlier])
    return result.passages[0] if result.passages else None


def test_a_sentence_differing_only_in_spaces_and_punctuation_is_verbatim():
    passage = _one("全面落实行政执法公示制度, 执法全过程记录制度。", "全面落实行政执法公示制度，执法全过程记录制度；")
    assert passage.kind == "verbatim" and passage.changed == [] and passage.similarity == 1.0


def test_a_sentence_where_only_the_figure_and_the_year_change_is_figures_changed():
    earlier = "2022年，全年共办理行政复议案件15件，纠错率为12.5%。"
    later = "2023年，全年共办理行政复议案件18件，纠错率为12.5%。"
    passage = _one(later, earlier)
    assert passage.kind == "figures_changed"
    assert [later[s:e] for s, e in passage.changed] == ["2023年", "18"]  # the unchanged percentage is not marked


@pytest.mark.parametrize(("earlier", "later", "changed"), [
    ("依据《实施办法》(澄政发〔2022〕3号)执行。", "依据《实施办法》(澄政发〔2023〕11号)执行。", ["〔2023〕11号"]),
    ("新办法于2022年9月1日起施行。", "新办法于2023年3月15日起施行。", ["2023年3月15日"]),
    ("开展集中执法检查三次，责令整改问题一百一十二处。", "开展集中执法检查五次，责令整改问题九十七处。", ["五", "九十七"]),
    ("全年立案查处环境违法案件97件，同比下降8.2%。", "全年立案查处环境违法案件88件，同比下降百分之九。", ["88", "百分之九"]),
])
def test_document_numbers_dates_chinese_numerals_and_percentages_are_figures(earlier, later, changed):
    passage = _one(later, earlier)
    assert passage.kind == "figures_changed"
    assert [later[s:e] for s, e in passage.changed] == changed


def test_a_lightly_reworded_sentence_is_near_with_its_new_words_marked():
    earlier = "建立县政府法律顾问团，由县司法局和3名执业律师组成，为县政府依法决策提供咨询意见。"
    later = "建立县政府法律顾问团，由县司法局和5名执业律师组成，为县政府依法决策、合同审查提供法律意见。"
    passage = _one(later, earlier)
    assert passage.kind == "near" and 0.45 <= passage.similarity < 1.0
    marked = "".join(later[s:e] for s, e in passage.changed)
    assert "合同审查" in marked and "5" in marked and "法律顾问团" not in marked


def test_a_new_sentence_on_the_same_topic_is_not_copied():
    earlier = "全年共办理行政复议案件15件，其中维持9件、撤销2件。"
    later = "在市政务服务中心设立行政复议受理窗口，群众可当场提交复议申请。"
    assert _one(later, earlier) is None


def test_the_share_counts_body_sentences_and_the_chars_share_their_characters():
    earlier = ["一、主要工作", "全年共办理行政复议案件15件。组织执法人员培训3次。"]
    later = ["一、主要工作", "全年共办理行政复议案件18件。组织执法人员培训4次。今年新建了一个公共法律服务中心并投入使用。"]
    result = compare_paragraphs(later, earlier, skip={0})  # the heading is not a body sentence
    assert (result.sentences, result.copied_sentences) == (3, 2)
    assert result.share == pytest.approx(2 / 3, abs=1e-4)
    copied_chars = len("全年共办理行政复议案件18件。组织执法人员培训4次。")
    assert result.chars_share == pytest.approx(copied_chars / len(later[1]), abs=1e-4)
    assert result.counts == {"verbatim": 0, "figures_changed": 2, "near": 0}
    assert all(p.later_paragraph == 1 for p in result.passages)
    assert [later[1][s:e] for s, e in (p.later_span for p in result.passages)] == [p.later for p in result.passages]


def test_normalisation_keeps_offsets_of_the_original_text():
    text = "于２０２３年５月１日起施行，审核文件１５件。"
    exact, key, figures = normalise(text)
    assert [text[s:e] for s, e, _ in figures] == ["２０２３年５月１日", "１５"]
    assert [folded for *_, folded in figures] == ["2023年5月1日", "15"]
    assert "2023" not in key and "起施行" in key


def test_unrelated_reports_share_almost_nothing():
    body = {p.index for p in CORPUS["au101"].paragraphs if p.label == "META" or p.is_heading}
    assert compare_paragraphs(_texts(CORPUS["au101"]), _texts(CORPUS["au201"]), skip=body).share < 0.05


@pytest.mark.parametrize("later_id", sorted(r.id for r in CORPUS.values() if r.meta.get("copies")))
def test_corpus_pairs_copy_at_least_their_labelled_paragraphs(later_id):
    """The corpus labels whole paragraphs (C): every sentence of a copied paragraph is found; the measured
    share may exceed the labelled one (sentences copied in paragraphs not labelled as copies)."""
    later, earlier = CORPUS[later_id], CORPUS[CORPUS[later_id].meta["copies"]]
    body = {p.index for p in later.paragraphs if p.label == "META" or p.is_heading}
    result = compare_paragraphs(_texts(later), _texts(earlier), skip=body)
    found = {p.later_paragraph for p in result.passages}
    labelled = {p.index for p in later.paragraphs if p.copied and p.index not in body}
    assert len(labelled & found) >= 0.9 * len(labelled)


@pytest.mark.parametrize("row", evaluate_pairs(), ids=lambda row: row["id"])
def test_labelled_pairs_are_measured_within_the_goal(row):
    assert row["error"] <= PAIR_GOAL


def test_a_marker_that_does_not_start_a_sentence_is_refused(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("---\nid: bad\n---\n== later\nB | ⟦V⟧全年办理案件15件，⟦-⟧其中维持9件。\n", encoding="utf-8")
    with pytest.raises(LabelError):
        parse_file(path)


@pytest.mark.parametrize(("a", "b"), [
    ("江城市市场监督管理局", "江城市场监管局"),
    ("江城市市场监督管理局", "江城市市场监管局"),
    ("江城县人民政府", "江城县政府"),
    ("中华人民共和国司法部", "司法部"),
])
def test_spellings_of_one_issuer_share_a_key(a, b):
    assert issuer_key(a) == issuer_key(b)


def test_different_bodies_keep_different_keys():
    assert issuer_key("江城市司法局") != issuer_key("江城县司法局")
    assert issuer_key("江城市司法局") != issuer_key("江城市教育局")


def test_a_name_without_a_place_joins_the_only_body_it_can_be():
    keys = match_issuers(["市司法局", "江城市司法局", "市教育局", "江城市教育局", "河西区教育局"])
    assert keys["市司法局"] == keys["江城市司法局"]
    assert keys["市教育局"] not in (keys["江城市教育局"], keys["河西区教育局"])  # two candidates: not guessed


def test_name_variants_cover_full_short_and_self_names_but_not_bare_words():
    variants = name_variants("青禾市交通运输局")
    assert {"青禾市交通运输局", "市交通运输局", "市交通局", "我局"} <= set(variants)
    assert "政府" not in name_variants("青禾市人民政府")


def test_copy_index_finds_the_source_among_many():
    index = CopyIndex()
    for report_id in ("au101", "au201", "au309", "au401"):
        index.add(report_id, _texts(CORPUS[report_id]))
    found = index.best_source(_texts(CORPUS["au310"]))
    assert found is not None and found[0] == "au309" and found[1].share > 0.3


def test_the_figure_pattern_finds_what_the_plain_alternation_finds_over_the_corpus():
    """The look-ahead in front of the copying figures is a shortcut: the plain alternation of the
    same kinds finds the same spans, of the same kind, in every width-folded corpus paragraph."""
    import re

    from builders import corpus_texts

    from analyzer.checks.copying import _FIGURE_KINDS, _FIGURES
    from analyzer.ingest.normalize import normalize_width

    plain = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _FIGURE_KINDS))
    found = 0
    for text in (normalize_width(t) for texts in corpus_texts() for t in texts):
        expected = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in _FIGURES.finditer(text)] == expected, text
        found += len(expected)
    assert found > 1000
    kinds = "〔2023〕5号 第3号 2023年5月6日 5月6日 2023-05-06 12.5% 百分之十 2023年度 三件 第十 1,200万 (2022)"
    assert {m.lastgroup for m in _FIGURES.finditer(kinds)} == {k for k, _ in _FIGURE_KINDS}


# -- the 3-gram counting in numpy against the sets of strings it replaced -------------------------

def _plain_match(earlier, sentence):
    """The reference: 3-gram sets of strings, every earlier sentence scored, the earliest among
    the most similar (the tie-break the numpy form makes deterministic)."""
    from analyzer.checks.copying import shingles, similarity

    for i, other in enumerate(earlier):
        if other.exact == sentence.exact:
            return i, "verbatim", 1.0
    for i, other in enumerate(earlier):
        if other.key == sentence.key:
            return i, "figures_changed", 1.0
    grams, best, best_score = shingles(sentence.key), None, 0.0
    for i, other in enumerate(earlier):
        theirs = shingles(other.key)
        shared = len(grams & theirs)
        score = similarity(shared, len(grams), len(theirs)) if shared else 0.0
        if score > best_score:
            best, best_score = i, score
    return (best, "near", round(best_score, 3)) if best is not None else None


def _corpus_pairs():
    """Each corpus report against the one before it, and against itself with its sentences edited."""
    reports = list(CORPUS.values())
    return [(_texts(later), _texts(earlier)) for earlier, later in zip(reports, reports[1:])]


def test_sentence_matches_counted_in_numpy_are_the_plain_ones_over_the_corpus():
    from analyzer.checks.copying import SentenceIndex, sentences

    near = 0
    for later, earlier in _corpus_pairs():
        # edited copies of some of its own sentences: near matches to find among many 3-gram ties
        edited = [text[: len(text) // 2] + "进一步" + text[len(text) // 2 + 3 :] for text in earlier[::3]]
        new, old = sentences(later + edited), sentences(earlier)
        got = SentenceIndex(old).match_all(new)
        assert got == [_plain_match(old, s) for s in new]
        near += sum(found is not None and found[1] == "near" for found in got)
    assert near > 100


def _gram_number(gram: str) -> int:
    """A 3-gram's number written out: three 21-bit code points; a shorter key below zero."""
    points = [ord(c) for c in gram]
    if len(points) == 3:
        return (points[0] << 42) | (points[1] << 21) | points[2]
    return -1 - ((points[0] << 21) | points[1]) if len(points) == 2 else -(1 << 43) - points[0]


@pytest.mark.parametrize("keys", [[], [""], ["a"], ["ab"], ["abc"], ["abcabc", "", "x", "xy", "xyz"],
                                  ["\ue001年", "𠀀𠀁𠀂𠀀", "ab", "a"]])
def test_gram_numbers_are_the_shingles(keys):
    """Each key's distinct 3-grams (``shingles``, short keys included) as numbers, in order."""
    from analyzer.checks.copying import gram_codes, shingles

    owners, codes = gram_codes(keys)
    expected = [(k, n) for k, key in enumerate(keys) for n in sorted(map(_gram_number, shingles(key)))]
    assert list(zip(owners.tolist(), codes.tolist())) == expected


@pytest.mark.parametrize("issuer", ["桐川市司法局", "桐川市第一中学", None])
def test_keys_of_a_paragraph_at_a_time_are_those_of_each_sentence(issuer):
    """``sentence_keys`` normalises a paragraph's sentences together: it must give ``sentences``' keys
    on every corpus report, with names that can and cannot overlap a figure (第一中学)."""
    names = name_variants(issuer)
    tricky = ["桐川市第一中学2019年召开会议3次，我局第一中学工作组十二人参加。", "第\x00三次会议审议了15项议题。本局共计二十人。"]
    for report in [*CORPUS.values(), None]:
        paragraphs = tricky if report is None else [p.text for p in report.paragraphs]
        expected = [(s.paragraph, s.start, s.end, s.key) for s in sentences(paragraphs, names=names) if len(s.exact) >= 12]
        assert sentence_keys(paragraphs, names=names, min_chars=12) == expected
