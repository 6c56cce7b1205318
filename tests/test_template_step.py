"""The template step of a batch store finds, in SQL, the templates ``compare.templates`` finds in memory."""

from __future__ import annotations

import random
import re
from functools import partial

import pytest
from builders import corpus_texts

from analyzer.batch.store import FileResult, Store, rows_from_analysis
from analyzer.batch.template_step import fill_missing_sentences, write_stored_templates
from analyzer.compare.templates import find_templates

# 市水务局 and 水务局 name the one body 桐川市水务局 (``match_issuers``); None: a report without an issuer
ISSUERS = ["桐川市水务局", "市水务局", "桐川市审计局", "桐川市统计局", "桐川县司法局", "桐川县财政局", "桐川市教育局",
           "桐川市民政局", "桐川市商务局", "桐川县应急管理局", "桐川市林业局", None]


def _drifted(sentence: str) -> list[str]:
    """A sentence and two copies edited further and further: each near the one before it (3-gram
    Jaccard >= 0.6), the last not near the first, so that whether they make one template depends on
    which pairs of a bucket are compared."""
    once = "".join("甲" if k in (5, 15, 25) else ch for k, ch in enumerate(sentence))
    twice = "".join("乙" if k in (10, 20, 30) else ch for k, ch in enumerate(once))
    return [sentence, once, twice]


def _mixed_reports(count: int, *, seed: int = 3) -> list[tuple[str, str | None, int, list[str]]]:
    """Reports of many issuers made of corpus paragraphs, each with its own figures and now and then one
    character changed, and of drifting sentences: sentences shared by several issuers, exactly or nearly."""
    rng = random.Random(seed)
    pool = [p for texts in corpus_texts() for p in texts if len(p) >= 40]
    pool = rng.sample(pool, 60)
    openings = [p[:45] + "。" for p in pool if not re.search(r"[。！？；\d]", p[:45])]
    families = [_drifted(opening) for opening in openings[:16]]
    reports = []
    for number in range(count):
        body = [families[number % len(families)][number // len(families) % 3]]
        for paragraph in rng.sample(pool, 8):
            paragraph = re.sub(r"\d", lambda _: str(rng.randrange(10)), paragraph)
            if rng.random() < 0.3:
                at = rng.randrange(len(paragraph))
                paragraph = paragraph[:at] + "又" + paragraph[at + 1:]
            body.append(paragraph)
        reports.append((f"{number:064x}", ISSUERS[number % len(ISSUERS)], 2022 + number % 3, body))
    return reports


@pytest.fixture(scope="module")
def mixed_rows():
    from analyzer.pipeline import analyze

    out = []
    for sha, issuer, year, body in _mixed_reports(48):
        analysis = analyze("\n".join(["法治政府建设情况报告", *body]))
        analysis.metadata.issuer, analysis.metadata.year = issuer, year
        out.append(FileResult(f"/in/{sha}.txt", f"{sha}.txt", "analysed", sha256=sha,
                              rows=rows_from_analysis(analysis, sha256=sha, path=f"/in/{sha}.txt", name=f"{sha}.txt")))
    return out


def _uses(templates) -> list[tuple]:
    """The ``templates`` table's rows of templates found in memory."""
    return sorted((t.id, t.text, len(t.issuers), len({o.sha256 for o in t.occurrences}), o.sha256, o.issuer, o.year,
                   o.paragraph, o.start, o.end, o.text) for t in templates for o in t.occurrences)


def _stored(store: Store, **options) -> list[tuple]:
    """The templates the store finds, as its table's rows."""
    found = write_stored_templates(store, **options)
    rows = sorted(store.con.execute("SELECT template_id, template_text, issuers, reports, sha256, issuer, year, "
                                    "paragraph, span_start, span_end, text FROM templates").fetchall())
    assert found == len({row[0] for row in rows})
    return rows


@pytest.mark.parametrize("crowded", [40, 1], ids=["buckets as they are", "every bucket crowded"])
def test_the_store_finds_the_templates_found_in_memory(tmp_path, mixed_rows, monkeypatch, crowded):
    # with a limit of 1 every bucket is "crowded": its pairs depend on the members' order (sorted keys)
    for module in ("analyzer.compare.templates", "analyzer.batch.template_step"):
        monkeypatch.setattr(f"{module}.candidate_pairs", partial(find_templates.__globals__["candidate_pairs"],
                                                                  limit=crowded))
    with Store(tmp_path / "r.duckdb") as store:
        store.write(mixed_rows, run_id=store.begin_run("test"))
        stored = _stored(store)
        in_memory = find_templates(store.report_texts())
    assert len(in_memory) >= 20
    assert any(len({o.text for o in t.occurrences}) > 1 for t in in_memory)  # the same template, worded apart
    assert stored == _uses(in_memory)


def test_a_lower_issuer_threshold_finds_more_templates_in_both(tmp_path, mixed_rows):
    with Store(tmp_path / "r.duckdb") as store:
        store.write(mixed_rows, run_id=store.begin_run("test"))
        three = _stored(store)
        two = _stored(store, min_issuers=2)
        in_memory = find_templates(store.report_texts(), min_issuers=2)
    assert len(two) > len(three) and two == _uses(in_memory)


def test_reports_are_keyed_once_and_the_working_tables_go_with_the_step(tmp_path, mixed_rows):
    without = [FileResult(r.path, r.name, r.outcome, sha256=r.sha256, rows={k: v for k, v in r.rows.items() if k != "sentences"})
               for r in mixed_rows[:5]]
    with Store(tmp_path / "r.duckdb") as store:
        store.write(without + mixed_rows[5:], run_id=store.begin_run("test"))
        expected = sum(len(r.rows["sentences"]) for r in mixed_rows[:5])
        assert fill_missing_sentences(store) == expected > 0
        assert fill_missing_sentences(store) == 0
        assert len(_stored(store)) > 0
        left = store.con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'tpl_%' "
                                 "OR table_name = 'templates_next'").fetchall()
    assert left == []


def test_an_empty_store_has_no_templates(tmp_path):
    with Store(tmp_path / "r.duckdb") as store:
        assert _stored(store) == []


def test_buckets_read_a_slice_at_a_time_give_the_same_templates(tmp_path, mixed_rows, monkeypatch):
    import analyzer.batch.template_step as step

    with Store(tmp_path / "r.duckdb") as store:
        store.write(mixed_rows, run_id=store.begin_run("test"))
        whole = _stored(store)
        monkeypatch.setattr(step, "_SLICE_ROWS", 5)  # dozens of slices per band, buckets cut nowhere
        monkeypatch.setattr(step, "_USES_WRITTEN", 7)  # and the table written a few templates at a time
        sliced = _stored(store)
    assert sliced == whole and len({row[0] for row in whole}) >= 20


def test_the_stores_buckets_are_the_in_memory_buckets_members_in_key_order(tmp_path, mixed_rows):
    """Whose pairs a crowded bucket compares depends on its members' order: the store reads every bucket
    with its members in the order ``compare.templates`` numbers keys (by their hash)."""
    from collections import Counter

    import analyzer.batch.template_step as step
    from analyzer.compare.templates import LSH_BANDS, LSH_ROWS, band_buckets, key_hash, minhash_signatures

    with Store(tmp_path / "r.duckdb") as store:
        store.write(mixed_rows, run_id=store.begin_run("test"))
        keys = sorted({row[4] for r in mixed_rows for row in r.rows["sentences"]}, key=lambda k: (key_hash(k), k))
        con = store.con.cursor()
        for sql in (step._REPORTS, step._KEYS, step._USES):
            con.execute(sql)
        step._sign_keys(con, len(keys))
        stored = Counter(tuple(members) for members, _ in step._buckets(con))
        con.close()
    hashes = [key_hash(k) for k in keys]
    in_memory = Counter(tuple(hashes[i] for i in members.tolist())
                        for members in band_buckets(minhash_signatures(keys), bands=LSH_BANDS, rows=LSH_ROWS))
    assert stored == in_memory and sum(in_memory.values()) > 50
    assert all(list(members) == sorted(members) for members in stored)


def test_slices_of_a_band_hold_about_as_many_members_however_crowded_its_values(monkeypatch):
    """MinHash values are minima, crowded near zero: a band's members are sliced at their quantiles, so
    that no slice holds most of them, and every member lies in exactly one slice with its whole bucket."""
    import duckdb
    import numpy as np

    import analyzer.batch.template_step as step

    rng = np.random.default_rng(7)
    hi = (rng.random(20_000) ** 8 * 2**62).astype(np.int64)  # most values near zero
    hi[:3_000] = 12_345  # one value held by more members than a slice
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE tpl_members AS SELECT unnest($hi) AS hi", {"hi": hi.tolist()})
    monkeypatch.setattr(step, "_SLICE_ROWS", 1_000)
    ranges = step._slice_ranges(con, len(hi))
    sizes = [int(((hi >= low) & (hi <= high)).sum()) for low, high in ranges]
    assert sum(sizes) == len(hi)  # the ranges cover every member, none twice
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:]))
    crowded = [size for (low, high), size in zip(ranges, sizes) if low <= 12_345 <= high]
    assert crowded[0] >= 3_000  # the crowded value whole, in one slice
    assert max(size for size in sizes if size not in crowded) <= 2_000
    assert step._slice_ranges(con, 0) == []
