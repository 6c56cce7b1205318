"""Exemplar passages: the most specific corpus paragraphs for a key, one per report."""

from __future__ import annotations

from analyzer.checks.exemplars import ExemplarIndex


def _row(rid, para, text, label="S1", **extra):
    return {"id": rid, "para": para, "text": text, "label": label, "elements": [], **extra}


ROWS = [
    _row("a", 1, "我们高度重视权责清单工作。"),  # no fact
    _row("a", 2, "2023年3月公布权责清单1,024项。"),  # figures and a date
    _row("b", 1, "梳理权责事项386项,5月底前公布。", elements=["A1.2"]),
    _row("c", 1, "推进权责清单。", is_heading=True),  # a heading is never an exemplar
    _row("d", 1, "取得了显著成效。", boilerplate=[[0, 8]]),  # nor is a formula
    _row("e", 1, "报告如下:", label="INTRO"),  # nor a paragraph of a part
]


def test_best_ranks_specific_paragraphs_first_one_per_report():
    best = ExemplarIndex(ROWS).best("S1")
    assert [(e.corpus_id, e.paragraph) for e in best] == [("a", 2), ("b", 1)]


def test_elements_are_keys_too_and_unknown_keys_are_empty():
    index = ExemplarIndex(ROWS)
    assert [e.corpus_id for e in index.best("A1.2")] == ["b"]
    assert index.best("S9") == [] and index.best("INTRO") == []


def test_excluded_texts_are_skipped():
    """The user's own paragraphs are never offered back as an exemplar."""
    best = ExemplarIndex(ROWS).best("S1", exclude_texts=frozenset({ROWS[1]["text"]}))
    assert [(e.corpus_id, e.paragraph) for e in best] == [("b", 1), ("a", 1)]


def test_a_long_excluded_paragraph_is_recognised_although_exemplars_are_cut():
    long = "2023年公布权责清单1,024项。" + "并动态调整。" * 80
    index = ExemplarIndex([_row("a", 1, long), _row("b", 1, "梳理权责事项386项。")])
    assert [e.corpus_id for e in index.best("S1", exclude_texts=frozenset({long}))] == ["b"]


def test_shortlists_give_the_same_best_as_the_whole_index():
    """The cached form keeps what ``best`` needs: same answers, with and without exclusions."""
    rows = [_row(f"r{k % 13}", k, f"第{k}项工作完成{k * 7}件。" + "推进。" * (k % 4)) for k in range(120)]
    rows += ROWS
    whole = ExemplarIndex(rows)
    short = ExemplarIndex.from_ranked(whole.shortlists())
    for key in ("S1", "A1.2"):
        for exclude in (frozenset(), frozenset(r["text"] for r in rows[:30])):
            assert short.best(key, exclude_texts=exclude) == whole.best(key, exclude_texts=exclude)


def test_the_default_index_is_the_same_from_the_disk_cache(tmp_path, monkeypatch):
    from analyzer.checks import exemplars

    monkeypatch.setenv("GOVREPORT_CACHE_DIR", str(tmp_path))
    exemplars.default_index.cache_clear()
    built = exemplars.default_index()  # writes the cache
    exemplars.default_index.cache_clear()
    assert list(tmp_path.glob("exemplars-*.json"))
    from_cache = exemplars.default_index()
    exemplars.default_index.cache_clear()
    for key in ("S1", "S5", "A3.4", "PROBLEMS"):
        assert from_cache.best(key) == built.best(key)
