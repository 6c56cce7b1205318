"""The DuckDB store: documented schema, rows that mirror the analysis, atomic writes, crash safety."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from analyzer.batch.store import TABLES, FileResult, Store, StoreError, columns, rows_from_analysis, schema_markdown

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_rows(seed_analysis):
    return rows_from_analysis(seed_analysis, sha256="a" * 64, path="/in/seed.txt", name="seed.txt", seconds=0.5)


def result_for(rows: dict, sha: str, name: str) -> FileResult:
    """The same analysis stored under another content hash (as if another file)."""
    renamed = {table: [(sha, *row[1:]) for row in table_rows] for table, table_rows in rows.items()}
    return FileResult(f"/in/{name}", name, "analysed", sha256=sha, rows=renamed)


def test_every_table_and_column_is_documented_in_the_database(tmp_path):
    with Store(tmp_path / "r.duckdb") as store:
        comments = store.con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name IN (SELECT unnest(?))",
            [list(TABLES)],
        ).fetchall()
    assert {t for t, _, _ in comments} == set(TABLES)
    assert all(comment for _, _, comment in comments)
    markdown = schema_markdown()
    assert all(f"| {c} |" in markdown for table in TABLES for c in columns(table))


def test_rows_mirror_the_analysis(seed_analysis, seed_rows):
    (report,) = seed_rows["reports"]
    row = dict(zip(columns("reports"), report))
    assert (row["issuer"], row["year"], row["framework"]) == (
        seed_analysis.metadata.issuer, seed_analysis.metadata.year, seed_analysis.framework)
    assert row["sections_covered"] == sum(s.status == "covered" for s in seed_analysis.sections)
    assert row["sections_covered"] + row["sections_thin"] + row["sections_missing"] == len(seed_analysis.sections)
    assert row["findings_high"] + row["findings_medium"] + row["findings_low"] == len(seed_analysis.findings)
    assert [r[1] for r in seed_rows["sections"]] == [s.id for s in seed_analysis.sections]
    assert [r[6] for r in seed_rows["findings"]] == [f.message for f in seed_analysis.findings]
    assert [r[7] for r in seed_rows["paragraphs"]] == [p.text for p in seed_analysis.paragraphs]
    assert [r[-2:] for r in seed_rows["paragraphs"]] == [(p.part, p.scale) for p in seed_analysis.paragraphs]
    assert all(len(r) == len(columns(t)) for t, rows in seed_rows.items() for r in rows)


def test_written_report_reads_back_with_its_body_text(tmp_path, seed_analysis, seed_rows):
    with Store(tmp_path / "r.duckdb") as store:
        run = store.begin_run("test")
        assert store.write([result_for(seed_rows, "a" * 64, "seed.txt")], run_id=run) == []
        assert store.has_report("a" * 64) and not store.has_report("b" * 64)
        (text,) = store.report_texts()
    body = [p.text for p in seed_analysis.paragraphs if not p.is_heading and p.section != "META"]
    assert text["paragraphs"] == body
    assert text["issuer"] == seed_analysis.metadata.issuer


def test_reports_read_a_chunk_at_a_time_are_those_read_one_by_one(tmp_path, seed_rows, monkeypatch):
    import analyzer.batch.store as store_module

    monkeypatch.setattr(store_module, "_CHUNK_REPORTS", 2)  # five reports: chunks of 2, 2 and 1
    results = [result_for(seed_rows, c * 64, f"{c}.txt") for c in "abcde"]
    results[3].rows["paragraphs"] = results[3].rows["paragraphs"][:4]  # one report shorter than the others
    with Store(tmp_path / "r.duckdb") as store:
        store.write(results, run_id=store.begin_run("test"))
        read = list(store.report_texts())
        one_by_one = {r["sha256"]: store.paragraph_texts(r["sha256"]) for r in read}
    assert [r["sha256"] for r in read] == sorted(c * 64 for c in "abcde")  # same issuer and year: by hash
    for report in read:
        assert dict(zip(report["indexes"], report["paragraphs"])) == one_by_one[report["sha256"]]
        assert report["indexes"] == sorted(one_by_one[report["sha256"]])
    assert len(read[3]["paragraphs"]) < len(read[0]["paragraphs"])


def test_reports_read_as_stored_are_those_read_by_issuer_in_the_order_written(tmp_path, seed_rows, monkeypatch):
    import analyzer.batch.store as store_module

    monkeypatch.setattr(store_module, "_CHUNK_REPORTS", 2)
    written = "ecadb"  # written in three transactions, not in hash order
    results = {c: result_for(seed_rows, c * 64, f"{c}.txt") for c in written}
    results["d"].rows["paragraphs"] = results["d"].rows["paragraphs"][:4]
    with Store(tmp_path / "r.duckdb") as store:
        run = store.begin_run("test")
        for group in ("ec", "ad", "b"):
            store.write([results[c] for c in group], run_id=run)
        stored = list(store.report_texts(order="stored"))
        by_issuer = list(store.report_texts())
    assert [r["sha256"][0] for r in stored] == list(written)
    assert sorted(stored, key=lambda r: r["sha256"]) == by_issuer


def test_the_body_record_of_written_rows_is_what_the_store_reads_back(tmp_path, seed_rows):
    from analyzer.batch.store import body_record

    result = result_for(seed_rows, "a" * 64, "a.txt")
    with Store(tmp_path / "r.duckdb") as store:
        store.write([result], run_id=store.begin_run("test"))
        (read,) = store.report_texts()
    assert body_record(result.rows) == read


def test_a_file_whose_rows_fail_costs_only_that_file(tmp_path, seed_rows):
    good = [result_for(seed_rows, c * 64, f"{c}.txt") for c in "abc"]
    bad = result_for(seed_rows, "d" * 64, "d.txt")
    bad.rows["sections"][0] = (*bad.rows["sections"][0][:5], "not a number", *bad.rows["sections"][0][6:])
    with Store(tmp_path / "r.duckdb") as store:
        failed = store.write([good[0], bad, good[1], good[2]], run_id=store.begin_run("test"))
        assert [r.name for r, _ in failed] == ["d.txt"]
        for table in ("reports", "sections", "findings", "paragraphs"):
            (count,) = store.con.execute(f"SELECT count(*) FROM {table} WHERE sha256 = ?", ["d" * 64]).fetchone()
            assert count == 0, table
        assert store.con.execute("SELECT count(*) FROM reports").fetchone() == (3,)


def test_rewriting_a_report_replaces_its_rows(tmp_path, seed_rows):
    with Store(tmp_path / "r.duckdb") as store:
        run = store.begin_run("test")
        store.write([result_for(seed_rows, "a" * 64, "seed.txt")], run_id=run)
        store.write([result_for(seed_rows, "a" * 64, "seed.txt")], run_id=store.begin_run("again"))
        counts = store.counts()
    assert counts["reports"] == 1
    assert counts["sections"] == len(seed_rows["sections"]) and counts["paragraphs"] == len(seed_rows["paragraphs"])


def test_a_process_killed_inside_a_transaction_leaves_only_committed_rows(tmp_path):
    db = tmp_path / "r.duckdb"
    script = textwrap.dedent(f"""
        import os, signal
        from analyzer.batch.store import Store, columns
        store = Store({str(db)!r})
        def report(sha):
            return tuple(sha if c == "sha256" else None for c in columns("reports"))
        store._insert("reports", [report("committed")])
        store.con.execute("BEGIN")
        store._insert("reports", [report("half-written")])
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    killed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=60)
    assert killed.returncode == -9, killed.stderr
    with Store(db) as store:
        assert store.con.execute("SELECT sha256 FROM reports").fetchall() == [("committed",)]


def test_a_second_writer_is_told_the_store_is_busy(tmp_path):
    db = tmp_path / "r.duckdb"
    script = f"from analyzer.batch.store import Store\nStore({str(db)!r})\nprint('opened')"
    with Store(db):
        other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "open in another process" in other.stderr


def test_files_that_are_not_stores_are_refused(tmp_path):
    duckdb.connect(str(tmp_path / "other.duckdb")).execute("CREATE TABLE t (x INTEGER)").close()
    (tmp_path / "text.duckdb").write_text("not a database")
    for name in ("other.duckdb", "text.duckdb", "missing.duckdb"):
        with pytest.raises(StoreError):
            Store(tmp_path / name, read_only=True)
    with pytest.raises(StoreError, match="something else"):
        Store(tmp_path / "other.duckdb")  # someone else's database is left as it was
    with duckdb.connect(str(tmp_path / "other.duckdb"), read_only=True) as con:
        assert con.execute("SELECT table_name FROM duckdb_tables()").fetchall() == [("t",)]


# ----------------------------------------------------------------------------- schema 2: copying and templates
def _downgrade_to_schema_1(path: Path) -> None:
    """Make ``path`` look like a store written by schema 1 (no copying columns or tables)."""
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE copied_passages")
    con.execute("DROP TABLE templates")
    con.execute("DROP TABLE sentences")
    from analyzer.batch.store import MIGRATIONS

    for table, names in MIGRATIONS[1]["columns"].items():
        for column in names:
            con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.execute("UPDATE store_info SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_a_schema_1_store_is_migrated_when_opened_for_writing(tmp_path, seed_rows):
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.write([result_for(seed_rows, "a" * 64, "seed.txt")], run_id=store.begin_run("test"))
        store.con.execute("UPDATE reports SET yoy_copied_share = 0.4")  # a share counted in characters
    _downgrade_to_schema_1(path)
    with pytest.raises(StoreError, match="schema 1"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert store.counts()["templates"] == 0 and store.counts()["reports"] == 1
        (row,) = store.query("SELECT yoy_copied_share, yoy_copied_chars_share FROM reports")
        assert row == {"yoy_copied_share": None, "yoy_copied_chars_share": None}  # to be recomputed in sentences
        comments = dict(store.con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'reports'").fetchall())
    assert comments["yoy_copied_sentences"] and comments["copied_chars_share"] and comments["outline"]
    with Store(path, read_only=True) as store:
        assert store.counts()["copied_passages"] == 0


# ----------------------------------------------------------------------------- schema 3: sentence keys
def test_a_schema_2_store_gets_a_sentences_table_its_reports_are_keyed_later(tmp_path, seed_rows):
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.write([result_for(seed_rows, "a" * 64, "seed.txt")], run_id=store.begin_run("test"))
        keyed = sorted(store.con.execute("SELECT * FROM sentences").fetchall())
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE sentences")
    con.execute("UPDATE store_info SET value = '2' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="schema 2"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert store.counts()["sentences"] == 0 and store.counts()["reports"] == 1
        from analyzer.batch.template_step import fill_missing_sentences

        assert fill_missing_sentences(store) == len(keyed) > 10
        assert sorted(store.con.execute("SELECT * FROM sentences").fetchall()) == keyed


def test_a_report_whose_sentences_cannot_be_keyed_is_still_stored(tmp_path, seed_analysis, monkeypatch):
    from analyzer.batch import store as store_module

    def broken(record):
        raise ValueError("cannot key")

    monkeypatch.setattr(store_module, "sentence_rows", broken)
    rows = rows_from_analysis(seed_analysis, sha256="b" * 64, path="/in/b.txt", name="b.txt")
    assert "sentences" not in rows and rows["paragraphs"]
    with Store(tmp_path / "r.duckdb") as store:
        assert store.write([FileResult("/in/b.txt", "b.txt", "analysed", sha256="b" * 64, rows=rows)],
                           run_id=store.begin_run("test")) == []
        assert store.counts()["reports"] == 1 and store.counts()["sentences"] == 0


def test_year_over_year_passages_and_templates_are_stored(tmp_path, seed_rows):
    from analyzer.checks.copying import compare_paragraphs
    from analyzer.compare.templates import Occurrence, Template

    copying = compare_paragraphs(["全年办理案件18件。今年新建法律服务中心一个并投入使用。"], ["全年办理案件15件。"])
    with Store(tmp_path / "r.duckdb") as store:
        run = store.begin_run("test")
        store.write([result_for(seed_rows, "a" * 64, "a.txt"), result_for(seed_rows, "b" * 64, "b.txt")], run_id=run)
        store.set_yoy([{"sha256": "b" * 64, "previous_sha256": "a" * 64, "copied_share": copying.share,
                        "copied_chars_share": copying.chars_share, "copied_sentences": copying.copied_sentences,
                        "copying": copying}])
        store.replace_templates([Template("t1", "某句", ["甲局", "乙局", "丙局"], [2023], [
            Occurrence("a" * 64, "甲局", 2023, 3, 0, 4, "某句"), Occurrence("b" * 64, "乙局", 2023, 5, 2, 6, "某句。"),
        ])])
        (passage,) = store.query("SELECT * FROM copied_passages")
        (report,) = store.query("SELECT yoy_previous, yoy_copied_share, yoy_copied_sentences FROM reports "
                                "WHERE sha256 = ?", ["b" * 64])
        (template,) = store.template_rows()
    assert passage["kind"] == "figures_changed" and passage["later"] == "全年办理案件18件。"
    assert passage["changed"] == "[[6, 8]]"
    assert report == {"yoy_previous": "a" * 64, "yoy_copied_share": 0.5, "yoy_copied_sentences": 1}
    assert (template["issuers"], template["reports"], template["used_by"]) == (3, 2, "乙局(2023)、甲局(2023)")
