"""Excel export of one analysis: a workbook a reviewer can filter, sort and annotate.

Sheets (named in Chinese from the message catalogue): 概览 (source, metadata, framework, headline
figures), 各部分, 段落, 问题, 必备内容; paragraphs are numbered from 1, statuses and kinds are labels.
Report text is untrusted: every text cell is stored as a string (never a formula) and characters
that Excel cannot hold are dropped, so a paragraph such as ``=HYPERLINK(...)`` stays inert text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence

from analyzer.messages import group, label, paragraph_numbers, text, where
from analyzer.result import Analysis

# A CSV cell starting with one of these is a formula to Excel (or, with tab and CR, hides one).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_CHARS = 32_767  # Excel's limit per cell; a longer paragraph is cut rather than corrupting the file
SECTION_COLUMNS = ("id", "name", "status", "share", "chars", "specificity", "boilerplate_ratio",
                   "elements_found", "elements_total", "elements_missing", "paragraphs")
PARAGRAPH_COLUMNS = ("number", "section", "is_heading", "level", "topic", "source", "specificity",
                     "boilerplate", "copied", "text")
FINDING_COLUMNS = ("severity", "kind", "section", "location", "message", "evidence", "rule", "suggestion", "why",
                   "exemplars")


def analysis_to_xlsx(analysis: Analysis) -> bytes:
    """The workbook's bytes: 概览, 各部分, 段落, 问题 (and 必备内容) sheets, headed in Chinese."""
    sheets = {
        text("excel.sheets.overview"): ((text("excel.overview.item"), text("excel.overview.value")),
                                        overview_rows(analysis)),
        text("excel.sheets.sections"): (_headers("section_columns", SECTION_COLUMNS), section_rows(analysis)),
        text("excel.sheets.paragraphs"): (_headers("paragraph_columns", PARAGRAPH_COLUMNS), paragraph_rows(analysis)),
        text("excel.sheets.findings"): (_headers("finding_columns", FINDING_COLUMNS), finding_rows(analysis)),
    }
    if analysis.parts:
        sheets[text("excel.sheets.parts")] = (PART_HEADERS(), part_rows(analysis))
    return sheets_to_xlsx(sheets)


def _headers(table: str, columns: Sequence[str]) -> list[str]:
    """Chinese column headers for a sheet (the codes stay in the JSON)."""
    return [label(f"excel.{table}", column) for column in columns]


def PART_HEADERS() -> list[str]:  # noqa: N802 - a constant read from the catalogue
    return [text("columns.section"), text("columns.status"), "是否必备", text("columns.paragraphs")]


def part_rows(analysis: Analysis) -> list[tuple]:
    from analyzer.outputs.render import part_status

    return [(p.name, label("part_status", part_status(p)), "必备" if p.required else "可选",
             paragraph_numbers(p.paragraphs)) for p in analysis.parts]


def sheets_to_xlsx(sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per entry (name → header, rows); text cells are stored as text."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in sheets.items():
        _fill(workbook.create_sheet(name), header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def overview_rows(analysis: Analysis) -> list[tuple]:
    meta, source = analysis.metadata, analysis.source
    rows = [
        ("文件", source.name),
        ("格式", source.format),
        ("字数", source.chars),
        ("标题", meta.title),
        ("发文单位", meta.issuer),
        ("主送", meta.recipient),
        ("成文日期", meta.date),
        ("报告年度", meta.year),
        ("文号", "; ".join(meta.doc_numbers)),
        ("框架", _framework_name(analysis)),
        ("框架选择理由", analysis.framework_reason),
    ]
    # Stats arrive as the pipeline grows: show what is there, known keys first, under Chinese labels.
    known = group("metric")
    keys = [k for k in known if k in analysis.stats] + [k for k in analysis.stats if k not in known]
    rows += [(label("metric", k), analysis.stats[k]) for k in keys]
    rows.append(("SHA-256", source.sha256))
    rows.append(("govreport 版本", analysis.version))
    return rows


def _framework_name(analysis: Analysis) -> str:
    from analyzer.frameworks import FrameworkError, load_framework

    try:
        return load_framework(analysis.framework).name
    except (FrameworkError, OSError, ValueError):
        return analysis.framework


def section_rows(analysis: Analysis) -> list[tuple]:
    return [
        (s.id, s.name, label("status", s.status), s.share, s.chars, s.specificity, s.boilerplate_ratio,
         sum(e.found for e in s.elements), len(s.elements),
         "; ".join(f"{e.id} {e.name}" for e in s.elements if not e.found),
         paragraph_numbers(s.paragraphs))
        for s in analysis.sections
    ]


def paragraph_rows(analysis: Analysis) -> list[tuple]:
    return [
        (p.number, _section_name(analysis, p.section), "是" if p.is_heading else "", p.level,
         _section_name(analysis, p.topic) if p.topic else None, p.source, p.specificity,
         _spans_text(p.text, p.boilerplate), _spans_text(p.text, p.copied), p.text)
        for p in analysis.paragraphs
    ]


def finding_rows(analysis: Analysis) -> list[tuple]:
    rows = []
    for f in analysis.findings:
        suggestion = f.suggestion or {}
        exemplars = [e.get("text", "") for e in suggestion.get("exemplars") or [] if isinstance(e, dict)]
        rows.append((label("severity", f.severity), label("kind", f.kind), _section_name(analysis, f.section),
                     where(f.location), f.message,
                     "\n".join(f.evidence), f.rule, suggestion.get("text"), suggestion.get("why"),
                     "\n".join(exemplars)))
    return rows


def _section_name(analysis: Analysis, section_id: str | None) -> str | None:
    """A section or part id as its name (the id itself when unknown)."""
    if section_id is None:
        return None
    names = {s.id: s.name for s in analysis.sections} | {p.id: p.name for p in analysis.parts}
    return names.get(section_id) or label("part", section_id)


def csv_safe(value):
    """A CSV cell Excel will show as text: a string that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def text_cell(cell):
    """Make an openpyxl cell holding a string a text cell, whatever the string starts with (openpyxl
    takes a leading "=" as a formula); returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _spans_text(text: str, spans: Iterable[Iterable[int]]) -> str:
    """The marked spans of a paragraph as text, one per line."""
    return "\n".join(text[start:end] for start, end in spans)


def _fill(sheet, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    from openpyxl.styles import Font

    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([plain(value) for value in row])
    for cell in (c for line in sheet.iter_rows(min_row=2) for c in line):
        text_cell(cell)  # openpyxl reads a leading "=" as a formula; report text must stay text
    sheet.freeze_panes = "A2"


def plain(value):
    """A value Excel can store: strings lose control characters and fit a cell, lists and dicts become text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (list, tuple, dict)):
        value = str(value)
    if isinstance(value, float) and math.isnan(value):  # pandas' missing value: an empty cell
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_CHARS]
    return value
