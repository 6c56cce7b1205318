"""rjieba and jieba cut the whole corpus alike, apart from the documented, normalised differences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import corpus_reports as labelled_reports
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.text.segment import get_segmenter
from analyzer.text.segment_parity import JOINED_ASCII, differences, normalize, normalize_words, outside_jieba_han

ROOT = Path(__file__).resolve().parent.parent
# "Small": the corpus shows about one raw difference per 10,000 tokens (years like 2015-2020).
MAX_RAW_DIFFERENCES_PER_TOKEN = 1 / 2000


def corpus_reports() -> dict[str, str]:
    """Every report of labels.jsonl as one text, paragraphs in order, one per line."""
    return {rid: "\n".join(row["text"] for row in rows) for rid, rows in labelled_reports().items()}


@pytest.fixture(scope="module")
def corpus_tokens() -> dict[str, tuple[str, list, list]]:
    rjieba, jieba = get_segmenter("rjieba"), get_segmenter("jieba")
    return {rid: (text, rjieba.tokenize(text), jieba.tokenize(text)) for rid, text in corpus_reports().items()}


def test_the_corpus_is_all_there(corpus_tokens):
    reports = [json.loads(line)["id"] for line in open(ROOT / "corpora" / "reports.jsonl", encoding="utf-8")]
    assert set(corpus_tokens) >= set(reports)
    assert len(corpus_tokens) >= 50


def test_every_report_has_identical_tokens_after_normalisation(corpus_tokens):
    mismatched = [rid for rid, (_, a, b) in corpus_tokens.items() if normalize(a) != normalize(b)]
    assert mismatched == []


def test_raw_differences_are_few_and_all_of_the_documented_kind(corpus_tokens):
    found = [d for _, a, b in corpus_tokens.values() for d in differences(a, b)]
    tokens = sum(len(b) for _, _, b in corpus_tokens.values())
    assert len(found) <= tokens * MAX_RAW_DIFFERENCES_PER_TOKEN
    # The corpus has no rare Han characters, so every difference is a joined ASCII run kept whole.
    for difference in found:
        assert all(JOINED_ASCII.fullmatch(w) for w in difference.rjieba), difference
        assert "".join(difference.rjieba) == "".join(difference.jieba)


def test_the_corpus_has_no_characters_that_cause_unnormalised_differences(corpus_tokens):
    assert set().union(*(outside_jieba_han(text) for text, _, _ in corpus_tokens.values())) == set()


@pytest.mark.parametrize(
    ("text", "jieba_form"),
    [
        ("2015-2020年", ["2015", "-", "2020", "年"]),
        ("COVID-19疫情", ["COVID", "-", "19", "疫情"]),
        ("版本1.2.3发布", ["版本", "1.2", ".", "3", "发布"]),
        ("增长1.5-2.5%", ["增长", "1.5", "-", "2.5%"]),
        ("a_b", ["a", "_", "b"]),
    ],
)
def test_joined_ascii_runs_differ_raw_and_agree_normalised(text, jieba_form):
    rjieba, jieba = get_segmenter("rjieba").tokenize(text), get_segmenter("jieba").tokenize(text)
    assert [w for w, _, _ in jieba] == jieba_form
    assert [w for w, _, _ in rjieba] != jieba_form
    assert normalize(rjieba) == normalize(jieba) == jieba


def test_normalize_splits_like_jieba_and_keeps_offsets():
    assert normalize([("在", 0, 1), ("2015-2020", 1, 10)]) == [
        ("在", 0, 1), ("2015", 1, 5), ("-", 5, 6), ("2020", 6, 10)
    ]
    assert normalize_words(["1.5-2.5%", "以上"]) == ["1.5", "-", "2.5%", "以上"]


def test_normalize_leaves_plain_decimals_and_chinese_alone():
    words = ["增长", "6.5%", "2.0", "版", "ISO9001", "认证"]
    assert normalize_words(words) == words


def test_rare_han_characters_stand_alone_after_normalisation():
    assert normalize_words(["㐀_", "鿖𠀀"]) == ["㐀", "_", "鿖", "𠀀"]
    assert outside_jieba_han("法治㐀政府𠀀") == {"㐀", "𠀀"}


# Mixed text the corpus may not show: common Chinese characters, digits, letters and joiners.
_MIXED = st.text(alphabet="法治政府建设年度报告规范性文件行政执法abcXY0123456789-._%#&/:，。 ", max_size=40)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_MIXED)
def test_backends_agree_after_normalisation_on_mixed_text(text):
    rjieba, jieba = get_segmenter("rjieba").tokenize(text), get_segmenter("jieba").tokenize(text)
    assert normalize(rjieba) == normalize(jieba)
