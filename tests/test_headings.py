"""Heading markers: the standard levels, and garbled marker punctuation restored (``clean_marker``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.ingest import ingest_text
from analyzer.text.headings import clean_marker, heading_marker, strip_marker


@pytest.mark.parametrize(
    ("garbled", "clean", "level"),
    [
        ("一,、健全依法决策机制", "一、健全依法决策机制", 1),
        ("二、、严格规范执法行为", "二、严格规范执法行为", 1),
        ("三,强化行政权力监督", "三、强化行政权力监督", 1),
        ("四.加强组织保障", "四、加强组织保障", 1),
        ("十一.完善考核评价", "十一、完善考核评价", 1),
        ("(一),推进简政放权", "(一)推进简政放权", 2),
        ("(二)、优化营商环境", "(二)优化营商环境", 2),
        ("3,、落实执法公示制度", "3、落实执法公示制度", 3),
        ("4、、推行执法全过程记录", "4、推行执法全过程记录", 3),
        ("(2)、开展案卷评查", "(2)开展案卷评查", 4),
    ],
)
def test_garbled_markers_get_their_standard_form(garbled, clean, level):
    assert clean_marker(garbled) == clean
    assert heading_marker(clean_marker(garbled))[0] == level


@pytest.mark.parametrize(
    "text",
    ["一、健全依法决策机制", "(一)推进简政放权", "1.深化审批改革", "一,二季度共受理复议申请8件。", "1,200余人次参加旁听。",
     "一是加强学习。", "2023年,我局坚持依法行政。", "", "(GDP)增长5%"],
)
def test_clean_lines_and_non_markers_are_left_alone(text):
    assert clean_marker(text) == text


def test_ingestion_cleans_garbled_markers():
    document = ingest_text("江城区司法局2023年法治政府建设情况报告\n一,、主要举措和成效\n(一),健全制度\n全年审核文件12件。")
    assert document.paragraphs[1:3] == ["一、主要举措和成效", "(一)健全制度"]
    assert strip_marker(document.paragraphs[1]) == "主要举措和成效"


def test_headings_in_traditional_text_are_recognised_after_conversion():
    text = "江城縣農業農村局2023年法治政府建設情況報告\n一、認真組織部署落實\n(一)堅持黨的領導\n1.嚴格落實第一責任人職責\n全年組織學法4次。"
    document = ingest_text(text)
    assert document.converted_traditional
    assert document.paragraphs[1] == "一、认真组织部署落实"
    assert [heading_marker(p)[0] for p in document.paragraphs[1:4]] == [1, 2, 3]


def _clean_marker_by_subn(text: str) -> str:
    """The reference: each garbled-marker pattern tried with ``subn`` over the whole line."""
    from analyzer.text.headings import _GARBLED, NUMERALS

    if not text or not (text.lstrip()[:1] in NUMERALS or text.lstrip()[:1] in "(0123456789"):
        return text
    for pattern, replacement in _GARBLED:
        cleaned, count = pattern.subn(replacement, text, count=1)
        if count:
            return cleaned
    return text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("一二三十(),,..．、 12法“《\n"), max_size=10))
def test_clean_marker_matches_only_at_the_start_as_subn_would(text):
    """The patterns are anchored: matching at the start and splicing is what ``subn`` does."""
    assert clean_marker(text) == _clean_marker_by_subn(text)


def _heading_marker_plain(text: str) -> tuple[int, str] | None:
    """The reference: every marker pattern tried in turn, without the first-character screen."""
    from analyzer.text.headings import _MARKERS

    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            return level, match.group(0)
    return None


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("第一二十部分()、.12３①⑳٣ \u3000\t法"), max_size=8))
def test_heading_marker_screen_changes_no_answer(text):
    """The first-character screen only skips lines no pattern could match (white space and digits
    as the patterns' ``\\s`` and ``\\d`` read them: ideographic space, full-width and Arabic-Indic digits)."""
    assert heading_marker(text) == _heading_marker_plain(text)


def test_heading_marker_screen_changes_no_answer_on_the_corpus():
    from builders import corpus_texts

    lines = [line for paragraphs in corpus_texts() for line in paragraphs]
    assert sum(_heading_marker_plain(line) is not None for line in lines) > 100  # the corpus has headings
    assert [heading_marker(line) for line in lines] == [_heading_marker_plain(line) for line in lines]
