"""The reviewer's summary of a batch: one row per report, worst first, for the terminal, CSV and Excel.

"Worst" is an order a reviewer can check by eye, not a score: files that could not be read first
(they go back to the issuer as they are), then most high-severity findings, most sections missing,
most framework elements missing, most boilerplate, most copied from the previous year.
Rows are streamed from the store, so a summary of any size never sits in memory at once.
Report text and paths are untrusted: the terminal gets them as Rich ``Text`` with control
characters shown as escapes, CSV cells that would start a formula get an apostrophe, Excel cells
holding strings are text cells, and both files are written whole or not at all (``atomic``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from analyzer.batch.store import Store
from analyzer.ingest.sanitize import visible
from analyzer.outputs.atomic import write_atomic
from analyzer.outputs.export import csv_safe, plain, text_cell

# (key, header, kind) — kind says how writers format the value.
COLUMNS = [
    ("status", "status", "text"),
    ("file", "file", "text"),
    ("issuer", "issuer", "text"),
    ("year", "year", "int"),
    ("framework", "framework", "text"),
    ("sections_covered", "sections covered", "int"),
    ("sections_total", "of sections", "int"),
    ("elements_missing", "missing elements", "int"),
    ("elements_total", "of elements", "int"),
    ("boilerplate_ratio", "boilerplate ratio", "share"),
    ("copied_share", "copied share", "share"),
    ("figures_per_1000", "figures per 1,000 chars", "float"),
    ("top_findings", "top findings", "text"),
    ("error", "error", "text"),
    ("sha256", "sha256", "text"),
]
TOP_FINDINGS = 3
_SEPARATOR = "；"

_QUERY = """
WITH top AS (
    SELECT sha256, string_agg(message, '{sep}' ORDER BY seq) AS top_findings
    FROM findings WHERE seq < {top} GROUP BY sha256
), rows AS (
    SELECT 'analysed' AS status, {report_path} AS file, r.issuer, r.year, r.framework,
           r.sections_covered, r.sections_total, r.elements_total - r.elements_found AS elements_missing,
           r.elements_total, r.boilerplate_ratio, coalesce(r.yoy_copied_share, r.copied_share) AS copied_share,
           r.figures_per_1000, t.top_findings, NULL AS error, r.sha256, r.findings_high
    FROM reports r {report_join} LEFT JOIN top t ON t.sha256 = r.sha256
    UNION ALL
    SELECT 'failed', e.path, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           e.code || ': ' || e.message, e.sha256, NULL
    FROM errors e {error_join}
)
SELECT * EXCLUDE (findings_high) FROM rows
ORDER BY status = 'failed' DESC, findings_high DESC NULLS LAST, sections_total - sections_covered DESC NULLS LAST,
         elements_missing DESC NULLS LAST, boilerplate_ratio DESC NULLS LAST, copied_share DESC NULLS LAST, file
"""


def summary_rows(store: Store, *, run_id: int | None = None) -> Iterator[dict]:
    """The summary rows of one batch run (``run_id``), or of everything in the store; worst first."""
    if run_id is None:
        report_path, report_join, error_join, params = "r.path", "", "", []
    else:
        report_path = "f.path"
        report_join = ("JOIN (SELECT sha256, min(path) AS path FROM run_files WHERE run_id = ? "
                       "AND outcome IN ('analysed', 'stored') GROUP BY sha256) f ON f.sha256 = r.sha256")
        error_join = "JOIN run_files rf ON rf.path = e.path AND rf.run_id = ? AND rf.outcome = 'failed'"
        params = [run_id, run_id]
    sql = _QUERY.format(sep=_SEPARATOR, top=TOP_FINDINGS, report_path=report_path, report_join=report_join,
                        error_join=error_join)
    return store.query(sql, params)


def write_csv(rows: Iterable[dict], path: Path) -> int:
    """Write the rows as CSV (UTF-8 with a BOM, so Excel shows the Chinese text); returns the count."""

    def write(binary) -> int:
        count = 0
        fh = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        writer = csv.writer(fh)
        writer.writerow([header for _, header, _ in COLUMNS])
        for row in rows:
            writer.writerow(["" if row.get(key) is None else csv_safe(row[key]) for key, _, _ in COLUMNS])
            count += 1
        fh.flush()
        fh.detach()  # the binary file is write_atomic's to close
        return count

    return write_atomic(path, write)


def write_xlsx(rows: Iterable[dict], path: Path) -> int:
    """Write the rows as an Excel sheet, streamed (openpyxl write-only); returns the count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("summary")
    sheet.freeze_panes = "C2"
    widths = {"file": 40, "issuer": 24, "top_findings": 80, "error": 60, "sha256": 20}
    for i, (key, header, _) in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(i)].width = widths.get(key, max(10, len(header) + 2))
    header_cells = []
    for _, header, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = {"share": "0.0%", "float": "0.0", "int": "0"}
    count = 0
    for row in rows:
        cells = []
        for key, _, kind in COLUMNS:
            cell = text_cell(WriteOnlyCell(sheet, value=plain(row.get(key))))
            if kind in formats:
                cell.number_format = formats[kind]
            cells.append(cell)
        sheet.append(cells)
        count += 1
    write_atomic(path, workbook.save)
    return count


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def print_summary(rows: Iterable[dict], console, *, report=None, limit: int = 20) -> None:
    """The worst ``limit`` rows as a Rich table (in Chinese, as wide as the console), then the run's
    counts and anything left unwritten. Files are named relative to the folder they all share."""
    from rich.table import Table
    from rich.text import Text

    rows = list(rows)
    base = _common_folder([row["file"] for row in rows] + [path for path, _ in getattr(report, "unwritten", [])])
    table = Table("#", "文件", "发文单位 · 年度", "已覆盖部分", "未见要素", "套话", "雷同", "每千字数据",
                  "主要问题", show_lines=False, title="各报告(问题最多的在前)")
    shown = total = 0
    for row in rows:
        total += 1
        if shown >= limit:
            continue
        shown += 1
        if row["status"] == "failed":
            table.add_row(str(shown), Text(_tail(row["file"], base=base)), "", "", "", "", "", "",
                          Text.assemble(("出错", "red"), " ", visible(str(row["error"]))))
            continue
        table.add_row(
            str(shown), Text(_tail(row["file"], base=base)),
            Text(visible(" · ".join(str(x) for x in (row["issuer"], row["year"]) if x) or "—")),
            _ratio(row["sections_covered"], row["sections_total"]), _ratio(row["elements_missing"], row["elements_total"]),
            _percent(row["boilerplate_ratio"]), _percent(row["copied_share"]),
            "—" if row["figures_per_1000"] is None else f"{row['figures_per_1000']:.1f}",
            Text(visible(_head(row["top_findings"] or ""))),
        )
    if total:
        if base:
            console.print(Text(f"文件所在文件夹:{visible(base)}"))
        console.print(table)
    if total > shown:
        console.print(f"…… 另有 {total - shown} 行未显示(用 --csv 或 --xlsx 写出全部)")
    if report is not None:
        counts = report.counts
        console.print(Text.assemble(
            f"共 {report.total} 个文件:新分析 {counts['analysed']} 个,已在库中 {counts['stored']} 个,"
            f"重复 {counts['duplicate']} 个,", (f"出错 {report.failed} 个", "red" if report.failed else "green"),
            f",用时 {report.seconds:.1f} 秒"))
        for path, reason in report.unwritten[:limit]:
            console.print(Text.assemble(("未写入", "red"), f" {_tail(path, base=base)}:{visible(reason)}"))
        if len(report.unwritten) > limit:
            console.print(f"…… 另有 {len(report.unwritten) - limit} 个未写入")
        if report.stopped:
            console.print(Text.assemble(("提前停止:", "red"), visible(report.stopped)))


def _common_folder(paths: list[str]) -> str:
    """The folder every path lies in (empty when they share none but the root, or there is one path)."""
    folders = [os.path.dirname(p) for p in paths if p]
    if not folders:
        return ""
    try:
        common = os.path.commonpath(folders)
    except ValueError:  # relative and absolute paths mixed, or different drives
        return ""
    return "" if common in ("", os.sep) else common


def _tail(path: str, width: int = 48, *, base: str = "") -> str:
    """A path relative to the folder the batch's files share (else to the working folder); a long
    one keeps its end (the file name is what tells reports apart)."""
    here = (base or os.getcwd()) + os.sep
    path = visible(path[len(here):] if path.startswith(here) else path)
    return path if len(path) <= width else "…" + path[-(width - 1):]


def _head(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _ratio(part, whole) -> str:
    return "—" if part is None or not whole else f"{part}/{whole}"


def _percent(value) -> str:
    return "—" if value is None else f"{value:.0%}"
