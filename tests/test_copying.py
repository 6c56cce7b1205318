"""Copied text: consecutive-year pairs in the corpus are measured to within 5 points."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.copying import CopyIndex, compare_paragraphs
from analyzer.corpus import load_corpus

CORPUS = {r.id: r for r in load_corpus(Path(__file__).resolve().parent.parent / "corpora" / "src")}
PAIRS = sorted(r.id for r in CORPUS.values() if r.meta.get("copies"))


def _texts(report):
    return [p.text for p in report.paragraphs]


def _true_share(report):
    return sum(len(p.text) for p in report.paragraphs if p.copied) / sum(len(p.text) for p in report.paragraphs)


@pytest.mark.parametrize("later_id", PAIRS)
def test_copied_share_of_consecutive_year_pairs(later_id):
    later = CORPUS[later_id]
    earlier = CORPUS[later.meta["copies"]]
    meta = {p.index for p in later.paragraphs if p.label == "META"}
    result = compare_paragraphs(_texts(later), _texts(earlier), skip=meta)
    assert abs(result.share - _true_share(later)) <= 0.05
    assert all(later.paragraphs[p.later_paragraph].copied or later.paragraphs[p.later_paragraph].is_heading
               or p.similarity >= 0.6 for p in result.passages)


def test_unrelated_reports_share_almost_nothing():
    assert compare_paragraphs(_texts(CORPUS["au101"]), _texts(CORPUS["au201"])).share < 0.05


def test_a_changed_year_still_counts_as_copied():
    earlier = ["2018年,全市共办理行政复议案件126件,依法纠错19件,纠错率15.1%,较上年提高3个百分点。"]
    later = ["2019年,全市共办理行政复议案件126件,依法纠错19件,纠错率15.1%,较上年提高3个百分点。"]
    assert compare_paragraphs(later, earlier).share > 0.9


def test_copy_index_finds_the_source_among_many():
    index = CopyIndex()
    for report_id in ("au101", "au201", "au309", "au401"):
        index.add(report_id, _texts(CORPUS[report_id]))
    found = index.best_source(_texts(CORPUS["au310"]))
    assert found is not None and found[0] == "au309" and found[1].share > 0.3
