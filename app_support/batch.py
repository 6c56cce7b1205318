"""Batch page helpers: unpack uploads (zips in memory), analyse each file, build the report × section table.

One bad file never stops the others: it becomes a row holding its error message.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from analyzer.errors import InputError, advice_for, failure
from analyzer.ingest.archive import MAX_TOTAL_BYTES, list_members, open_archive, read_member
from analyzer.limits import Limits
from analyzer.result import Analysis

from .labels import ELEMENT_ZH, STATUS_ZH

_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Upload:
    """One file to analyse, or the reason it could not even be read out of its zip."""

    name: str
    data: bytes | None
    error: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class BatchRow:
    name: str
    analysis: Analysis | None = None
    error: str | None = None
    code: str | None = None


def expand_uploads(files: Iterable[tuple[str, bytes]], *, limits: Limits | None = None) -> list[Upload]:
    """Each uploaded file as it is, except zips, which are replaced by their members (read in memory)."""
    limits = limits or Limits.from_env()
    out: list[Upload] = []
    for name, data in files:
        if PurePosixPath(name).suffix.lower() == ".zip":
            out.extend(zip_members(name, data, limits=limits))
        else:
            out.append(Upload(name, data))
    return out


def zip_members(name: str, data: bytes, *, limits: Limits) -> list[Upload]:
    """The files inside an uploaded zip (read in memory, at most ``MAX_TOTAL_BYTES`` in all); a corrupt,
    encrypted or oversized zip or member becomes an error row. Listing and reading follow the one
    archive policy of ``analyzer.ingest.archive``."""
    try:
        archive = open_archive(io.BytesIO(data))
        members = list_members(archive, limits=limits)
    except InputError as exc:
        return [Upload(name, None, str(exc), exc.code)]
    out, total = [], 0
    for member in members:
        shown = f"{name}/{member.name}"
        if member.error is not None:
            out.append(Upload(shown, None, member.error[1], member.error[0]))
            continue
        try:
            content = read_member(archive, member.stored, limits=limits)
        except InputError as exc:
            out.append(Upload(shown, None, str(exc), exc.code))
            continue
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            out.append(Upload(name, None, f"the zip inflates to more than {MAX_TOTAL_BYTES / 2**20:.0f} MB; "
                              "the remaining files were skipped", "too_large"))
            break
        out.append(Upload(shown, content))
    return out


def run_batch(
    uploads: list[Upload],
    analyze: Callable[[str, bytes], Analysis],
    *,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[BatchRow]:
    """Analyse each upload with ``analyze(name, data)``; failures become rows with their message."""
    rows = []
    for done, upload in enumerate(uploads, start=1):
        if on_progress:
            on_progress(done - 1, len(uploads), upload.name)
        rows.append(analyze_one(upload, analyze))
    if on_progress:
        on_progress(len(uploads), len(uploads), "")
    return rows


def analyze_one(upload: Upload, analyze: Callable[[str, bytes], Analysis]) -> BatchRow:
    """One upload analysed, or a row with the reason it failed, classified as the library's batch does
    (``errors.failure``; a web page shows a bug's type only)."""
    if upload.data is None:
        return BatchRow(upload.name, error=upload.error, code=upload.code)
    try:
        return BatchRow(upload.name, analysis=analyze(upload.name, upload.data))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        code, detail = failure(exc, internals=False)
        return BatchRow(upload.name, error=detail, code=code)


def section_names(rows: list[BatchRow]) -> dict[str, str]:
    """Every section id seen in the batch (frameworks may differ), in first-seen order, with its name."""
    names: dict[str, str] = {}
    for row in rows:
        for s in row.analysis.sections if row.analysis else []:
            names.setdefault(s.id, s.name)
    return names


def element_names(rows: list[BatchRow]) -> dict[str, str]:
    """Every element id seen in the batch, in first-seen order, with its name."""
    names: dict[str, str] = {}
    for row in rows:
        for e in (e for s in row.analysis.sections for e in s.elements) if row.analysis else []:
            names.setdefault(e.id, e.name)
    return names


def severity_key(analysis: Analysis) -> tuple:
    """Sort key putting the report to send back first: most tasks missing, then thin, then fewest
    elements evidenced, then most 套话."""
    stats = analysis.stats
    missing = sum(s.status == "missing" for s in analysis.sections)
    thin = sum(s.status == "thin" for s in analysis.sections)
    total = stats.get("elements_total") or 0
    found_share = (stats.get("elements_found") or 0) / total if total else 1.0
    return (-missing, -thin, found_share, -(stats.get("boilerplate_ratio") or 0.0))


def batch_table(rows: list[BatchRow]):
    """One row per analysed file, worst first: issuer · year, coverage, missing tasks and 套话 first, then
    one column per section (named, not by id) holding its status in words. Failed files: ``error_table``."""
    import pandas as pd

    sections = section_names(rows)
    analysed = sorted((r for r in rows if r.analysis), key=lambda r: severity_key(r.analysis))
    table = [_table_row(row, sections) for row in analysed]
    columns = [*SUMMARY_COLUMNS, *dict.fromkeys(sections.values())]
    return pd.DataFrame(table, columns=columns)


def error_table(rows: list[BatchRow]):
    """The files that could not be analysed: name, what it means and what to do (Chinese), and the detail."""
    import pandas as pd

    return pd.DataFrame([{"文件": r.name, "原因": advice_for(r.code), "详情": r.error or ""}
                         for r in rows if r.analysis is None], columns=["文件", "原因", "详情"])


def element_table(rows: list[BatchRow]):
    """One row per analysed file, one column per element (by name): 已见 or 未见, blank when not in its framework."""
    import pandas as pd

    elements = element_names(rows)
    columns = dict.fromkeys(elements.values())
    table = []
    for row in (r for r in rows if r.analysis):
        found = {e.id: e.found for s in row.analysis.sections for e in s.elements}
        cells = {elements[eid]: (ELEMENT_ZH["found"] if found[eid] else ELEMENT_ZH["missing"])
                 for eid in elements if eid in found}
        table.append({"文件": row.name} | {name: cells.get(name, "") for name in columns})
    return pd.DataFrame(table, columns=["文件", *columns])


SUMMARY_COLUMNS = ("发文单位 · 年度", "覆盖", "缺失任务", "单薄任务", "套话比例", "已见要素", "问题(高)", "问题(中)",
                   "问题(低)", "每千字数据", "框架", "文件")


def _table_row(row: BatchRow, sections: dict[str, str]) -> dict:
    a = row.analysis
    stats, meta = a.stats, a.metadata
    covered = stats.get("sections_covered", sum(s.status == "covered" for s in a.sections))
    total = stats.get("sections_total") or len(a.sections)
    found, elements = stats.get("elements_found"), stats.get("elements_total")
    out = {
        "发文单位 · 年度": f"{meta.issuer or '未识别单位'} · {meta.year or '年度未识别'}",
        "覆盖": f"{covered}/{total}",
        "缺失任务": "、".join(s.name for s in a.sections if s.status == "missing"),
        "单薄任务": "、".join(s.name for s in a.sections if s.status == "thin"),
        "套话比例": stats.get("boilerplate_ratio"),
        "已见要素": f"{found}/{elements}" if elements else "",
        "问题(高)": sum(f.severity == "high" for f in a.findings),
        "问题(中)": sum(f.severity == "medium" for f in a.findings),
        "问题(低)": sum(f.severity == "low" for f in a.findings),
        "每千字数据": stats.get("figures_per_1000"),
        "框架": _framework_name(a.framework),
        "文件": row.name,
    }
    status = {sections.get(s.id, s.name): STATUS_ZH[s.status] for s in a.sections}
    return out | {name: status.get(name, "") for name in dict.fromkeys(sections.values())}


def _framework_name(framework_id: str) -> str:
    from analyzer.frameworks import FrameworkError, load_framework

    try:
        return load_framework(framework_id).name
    except (FrameworkError, OSError, ValueError):
        return framework_id


def table_csv(table) -> bytes:
    """CSV for Excel (UTF-8 with BOM); text cells that would start a formula get a leading apostrophe."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype).startswith(("string", "str")):
            safe[column] = safe[column].map(_csv_safe)
    return safe.to_csv(index=False).encode("utf-8-sig")


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(_CSV_FORMULA_START):
        return "'" + value
    return value


def table_xlsx(table, *, elements=None, errors=None, names: dict[str, str] | None = None) -> bytes:
    """The tables as an Excel workbook (text stays text): results, elements, failed files, and the id of each name."""
    from analyzer.outputs.export import sheets_to_xlsx

    sheets = {"批量结果": _sheet(table)}
    if elements is not None:
        sheets["要素"] = _sheet(elements)
    if errors is not None and len(errors):
        sheets["出错的文件"] = _sheet(errors)
    if names:
        sheets["编号说明"] = (("编号", "名称"), list(names.items()))
    return sheets_to_xlsx(sheets)


def _sheet(table) -> tuple[list[str], list[tuple]]:
    records = table.astype(object).where(table.notna(), None)
    return list(table.columns), list(records.itertuples(index=False, name=None))
