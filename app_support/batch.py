"""Batch page helpers: unpack uploads (zips in memory), analyse each file, build the report × section table.

One bad file never stops the others: it becomes a row holding its error message.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from analyzer.errors import InputError, advice_for
from analyzer.frameworks import FrameworkError
from analyzer.limits import Limits
from analyzer.result import Analysis

from .labels import STATUS_MARK, STATUS_ZH

MAX_ZIP_MEMBERS = 500  # more files than a reviewer batch holds: refuse rather than churn
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024  # inflated bytes across one zip's members (zip-bomb guard)
_UTF8_FLAG = 0x800
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
    """The files inside a zip; a corrupt, encrypted or oversized zip or member becomes an error row."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir() and not _is_junk(i.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        return [Upload(name, None, f"the zip file cannot be read ({exc})", "corrupt_file")]
    if len(infos) > MAX_ZIP_MEMBERS:
        return [Upload(name, None, f"the zip holds {len(infos)} files, over the limit of {MAX_ZIP_MEMBERS}",
                       "too_large")]
    out, total = [], 0
    for info in infos:
        member = f"{name}/{_member_name(info)}"
        if info.flag_bits & 0x1:
            out.append(Upload(member, None, "the file is encrypted inside the zip", "encrypted"))
            continue
        try:
            with archive.open(info) as handle:
                content = handle.read(limits.max_bytes + 1)  # never trust the header's size
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
            out.append(Upload(member, None, f"the file cannot be read from the zip ({exc})", "corrupt_file"))
            continue
        if len(content) > limits.max_bytes:
            out.append(Upload(member, None, f"the file is over the limit of {limits.max_bytes / 2**20:.0f} MB",
                              "too_large"))
            continue
        total += len(content)
        if total > MAX_ZIP_TOTAL_BYTES:
            out.append(Upload(name, None, f"the zip inflates to more than {MAX_ZIP_TOTAL_BYTES / 2**20:.0f} MB; "
                              "the remaining files were skipped", "too_large"))
            break
        out.append(Upload(member, content))
    return out


def _is_junk(filename: str) -> bool:
    """macOS resource forks and hidden files that archivers add."""
    path = PurePosixPath(filename)
    return path.parts[0] == "__MACOSX" or path.name.startswith(".")


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; Windows archivers store Chinese names as GBK without saying so."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


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
    if upload.data is None:
        return BatchRow(upload.name, error=upload.error, code=upload.code)
    try:
        return BatchRow(upload.name, analysis=analyze(upload.name, upload.data))
    except InputError as exc:
        return BatchRow(upload.name, error=str(exc), code=exc.code)
    except FrameworkError as exc:
        return BatchRow(upload.name, error=str(exc), code="framework")
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the batch
        return BatchRow(upload.name, error=f"internal error: {type(exc).__name__}", code="internal")


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


def batch_table(rows: list[BatchRow]):
    """A pandas DataFrame: one row per file, one column per section (🟢 covered, 🟡 thin, 🔴 missing)."""
    import pandas as pd

    sections = section_names(rows)
    return pd.DataFrame([_table_row(row, sections) for row in rows])


def element_table(rows: list[BatchRow]):
    """One row per analysed file, one column per element: ✅ evidenced, ❌ not, blank when not in its framework."""
    import pandas as pd

    elements = element_names(rows)
    table = []
    for row in (r for r in rows if r.analysis):
        found = {e.id: e.found for s in row.analysis.sections for e in s.elements}
        table.append({"文件": row.name} | {eid: ("✅" if found[eid] else "❌") if eid in found else ""
                                          for eid in elements})
    return pd.DataFrame(table, columns=["文件", *elements])


def _table_row(row: BatchRow, sections: dict[str, str]) -> dict:
    a = row.analysis
    stats = a.stats if a else {}
    out = {
        "文件": row.name,
        "结果": "✅ 完成" if a else "❌ 出错",
        "错误信息": f"{advice_for(row.code)}(详情:{row.error})" if row.error else "",
        "发文单位": (a.metadata.issuer or "") if a else "",
        "年度": a.metadata.year if a else None,
        "框架": a.framework if a else "",
    }
    status = {s.id: s.status for s in a.sections} if a else {}
    for sid in sections:
        out[sid] = f"{STATUS_MARK[status[sid]]} {STATUS_ZH[status[sid]]}" if sid in status else ""
    out |= {
        "已覆盖": stats.get("sections_covered"),
        "部分数": stats.get("sections_total"),
        "已见要素": stats.get("elements_found"),
        "要素总数": stats.get("elements_total"),
        "套话比例": stats.get("boilerplate_ratio"),
        "每千字数据": stats.get("figures_per_1000"),
        "问题(高)": sum(f.severity == "high" for f in a.findings) if a else None,
        "问题(中)": sum(f.severity == "medium" for f in a.findings) if a else None,
        "问题(低)": sum(f.severity == "low" for f in a.findings) if a else None,
    }
    return out


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


def table_xlsx(table, *, elements=None, names: dict[str, str] | None = None) -> bytes:
    """The tables as an Excel workbook (text stays text), plus a sheet naming each section and element id."""
    from analyzer.export import sheets_to_xlsx

    sheets = {"批量结果": _sheet(table)}
    if elements is not None:
        sheets["要素"] = _sheet(elements)
    if names:
        sheets["编号说明"] = (("id", "名称"), list(names.items()))
    return sheets_to_xlsx(sheets)


def _sheet(table) -> tuple[list[str], list[tuple]]:
    records = table.astype(object).where(table.notna(), None)
    return list(table.columns), list(records.itertuples(index=False, name=None))
