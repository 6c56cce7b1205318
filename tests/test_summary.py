"""The reviewer's summary: worst first, this run only, top findings in words, CSV and Excel."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from analyzer.batch.store import FileResult, Store, columns
from analyzer.batch.summary import COLUMNS, print_summary, summary_rows, write_csv, write_xlsx


def analysed(name: str, *, findings: tuple[str, ...] = (), **metrics) -> FileResult:
    """A stored report with hand-set metrics (defaults: a complete, clean report)."""
    sha = name.ljust(64, "0")
    values = {"sha256": sha, "path": f"/in/{name}", "name": name, "issuer": f"{name}局", "year": 2020,
              "framework": "fzzf-2015", "sections_total": 7, "sections_covered": 7, "elements_total": 40,
              "elements_found": 40, "boilerplate_ratio": 0.1, "figures_per_1000": 5.0, "findings_high": 0,
              "findings_medium": 0, "findings_low": 0, **metrics}
    report = tuple(values.get(c) for c in columns("reports"))
    rows = [(sha, i, "missing_element", "high", None, "whole report", text, "r", "[]", None)
            for i, text in enumerate(findings)]
    return FileResult(f"/in/{name}", name, "analysed", sha256=sha,
                      rows={"reports": [report], "sections": [], "elements": [], "findings": rows, "paragraphs": []})


def failed(name: str, code: str, message: str) -> FileResult:
    return FileResult(f"/in/{name}", name, "failed", error=(code, message))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "r.duckdb") as store:
        yield store


def test_worst_first(store):
    results = [
        analysed("clean"),
        analysed("boiler", boilerplate_ratio=0.6),
        analysed("gaps", elements_found=20),
        analysed("missing", sections_covered=4),
        analysed("severe", findings_high=2, sections_covered=6),
        failed("locked.pdf", "encrypted", "the PDF is encrypted with a password"),
    ]
    store.write(results, run_id=store.begin_run("test"))
    order = [row["file"].rsplit("/", 1)[-1] for row in summary_rows(store)]
    assert order == ["locked.pdf", "severe", "missing", "gaps", "boiler", "clean"]


def test_summary_of_a_run_holds_its_files_only_including_those_already_stored(store):
    store.write([analysed("old"), analysed("other")], run_id=store.begin_run("first"))
    run = store.begin_run("second")
    skipped = FileResult("/in/old-again", "old-again", "stored", sha256="old".ljust(64, "0"))
    store.write([analysed("new"), skipped, failed("empty.txt", "empty", "the file is empty")], run_id=run)
    files = sorted(row["file"] for row in summary_rows(store, run_id=run))
    assert files == ["/in/empty.txt", "/in/new", "/in/old-again"]


def test_row_values_top_findings_and_copied_share(store):
    store.write([analysed("r", findings=("缺少甲", "缺少乙", "缺少丙", "缺少丁"), elements_found=33,
                          copied_share=0.1, yoy_copied_share=0.4)], run_id=store.begin_run("test"))
    (row,) = summary_rows(store)
    assert row["top_findings"] == "缺少甲；缺少乙；缺少丙"
    assert row["elements_missing"] == 7 and row["copied_share"] == 0.4
    assert row["error"] is None and row["status"] == "analysed"


def test_csv_and_excel_hold_every_row_with_readable_headers(store, tmp_path):
    store.write([analysed("a", boilerplate_ratio=0.25), failed("b.pdf", "encrypted", "加密文件")],
                run_id=store.begin_run("test"))
    csv_path, xlsx_path = tmp_path / "s.csv", tmp_path / "s.xlsx"
    assert write_csv(summary_rows(store), csv_path) == 2
    assert write_xlsx(summary_rows(store), xlsx_path) == 2
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese text correctly
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["status", "file", "issuer"]
    assert lines[1].startswith("failed,/in/b.pdf") and "encrypted: 加密文件" in lines[1]

    from openpyxl import load_workbook

    sheet = load_workbook(xlsx_path).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    headers = [header for _, header, _ in COLUMNS]
    assert values[0] == headers
    analysed_row = dict(zip(headers, values[2]))
    assert analysed_row["boilerplate ratio"] == 0.25 and analysed_row["issuer"] == "a局"
    boilerplate_cell = sheet.cell(row=3, column=headers.index("boilerplate ratio") + 1)
    assert boilerplate_cell.number_format == "0.0%"


def test_terminal_summary_shows_failures_and_counts_what_it_leaves_out(store):
    from analyzer.batch.run import BatchReport

    store.write([analysed(f"r{i}") for i in range(5)] + [failed("bad.txt", "empty", "the file is empty")],
                run_id=store.begin_run("test"))
    report = BatchReport(run_id=1, total=6)
    report.counts.update(analysed=5, failed=1)
    report.unwritten.append(("/in/lost.txt", "could not be written to the store (No space left on device)"))
    out = io.StringIO()
    print_summary(summary_rows(store), Console(file=out, width=200), report=report, limit=3)
    text = out.getvalue()
    assert "the file is empty" in text
    assert "另有 3 行未显示" in text
    assert "共 6 个文件:新分析 5 个" in text and "出错 2 个" in text
    assert "No space left on device" in text


def test_terminal_summary_names_files_relative_to_their_shared_folder(store):
    store.write([analysed("a"), failed("/data/报告/2024/坏文件.txt", "empty", "the file is empty")],
                run_id=store.begin_run("test"))
    rows = [dict(row, file=f"/data/报告/2024/{row['file'].rsplit('/', 1)[-1]}") for row in summary_rows(store)]
    out = io.StringIO()
    print_summary(rows, Console(file=out, width=120), limit=5)
    text = out.getvalue()
    assert "文件所在文件夹:/data/报告/2024" in text
    assert "坏文件.txt" in text and "/data/报告/2024/坏文件" not in text
    assert max(len(line) for line in text.splitlines()) <= 120
