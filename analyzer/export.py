"""Excel export of one analysis: a workbook a reviewer can filter, sort and annotate.

Sheets: 概览 (source, metadata, framework, headline figures), sections, paragraphs, findings.
Report text is untrusted: every text cell is stored as a string (never a formula) and characters
that Excel cannot hold are dropped, so a paragraph such as ``=HYPERLINK(...)`` stays inert text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence

from .result import Analysis

# A CSV cell starting with one of these is a formula to Excel (or, with tab and CR, hides one).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_CHARS = 32_767  # Excel's limit per cell; a longer paragraph is cut rather than corrupting the file
_STATUS = {"covered": "已覆盖", "thin": "单薄", "missing": "缺失"}
_SEVERITY = {"high": "高", "medium": "中", "low": "低"}
_STAT_LABELS = {
    "sections_covered": "已覆盖部分数",
    "sections_total": "部分总数",
    "elements_found": "已见要素数",
    "elements_total": "要素总数",
    "boilerplate_ratio": "套话比例",
    "figures_per_1000": "每千字数据个数",
    "specific_sentence_share": "具体句子占比",
    "copied_share": "照抄比例",
    "chars": "字数",
}
SECTION_COLUMNS = ("id", "name", "status", "status_zh", "share", "chars", "specificity", "boilerplate_ratio",
                   "elements_found", "elements_total", "elements_missing", "paragraphs")
PARAGRAPH_COLUMNS = ("index", "section", "is_heading", "level", "topic", "source", "specificity",
                     "boilerplate", "copied", "text")
FINDING_COLUMNS = ("severity", "kind", "section", "location", "message", "evidence", "rule", "suggestion", "why",
                   "exemplars")


def analysis_to_xlsx(analysis: Analysis) -> bytes:
    """The workbook's bytes: 概览, sections, paragraphs and findings sheets."""
    return sheets_to_xlsx({
        "概览": (("项目", "值"), overview_rows(analysis)),
        "sections": (SECTION_COLUMNS, section_rows(analysis)),
        "paragraphs": (PARAGRAPH_COLUMNS, paragraph_rows(analysis)),
        "findings": (FINDING_COLUMNS, finding_rows(analysis)),
    })


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
        ("框架", analysis.framework),
        ("框架选择理由", analysis.framework_reason),
    ]
    # Stats arrive as the pipeline grows: show what is there, known keys first, under Chinese labels.
    keys = [k for k in _STAT_LABELS if k in analysis.stats] + [k for k in analysis.stats if k not in _STAT_LABELS]
    rows += [(_STAT_LABELS.get(k, k), analysis.stats[k]) for k in keys]
    rows.append(("SHA-256", source.sha256))
    rows.append(("govreport 版本", analysis.version))
    return rows


def section_rows(analysis: Analysis) -> list[tuple]:
    return [
        (s.id, s.name, s.status, _STATUS.get(s.status, s.status), s.share, s.chars, s.specificity, s.boilerplate_ratio,
         sum(e.found for e in s.elements), len(s.elements),
         "; ".join(f"{e.id} {e.name}" for e in s.elements if not e.found),
         ", ".join(map(str, s.paragraphs)))
        for s in analysis.sections
    ]


def paragraph_rows(analysis: Analysis) -> list[tuple]:
    return [
        (p.index, p.section, p.is_heading, p.level, p.topic, p.source, p.specificity,
         _spans_text(p.text, p.boilerplate), _spans_text(p.text, p.copied), p.text)
        for p in analysis.paragraphs
    ]


def finding_rows(analysis: Analysis) -> list[tuple]:
    rows = []
    for f in analysis.findings:
        suggestion = f.suggestion or {}
        exemplars = [e.get("text", "") for e in suggestion.get("exemplars") or [] if isinstance(e, dict)]
        location = "全文" if f.location == "whole report" else ", ".join(map(str, f.location))
        rows.append((_SEVERITY.get(f.severity, f.severity), f.kind, f.section, location, f.message,
                     "\n".join(f.evidence), f.rule, suggestion.get("text"), suggestion.get("why"),
                     "\n".join(exemplars)))
    return rows


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
