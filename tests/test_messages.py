"""The message catalogue: every code has a Chinese label, and no output shown to people carries a bare code."""

from __future__ import annotations

import io
import re
import typing

import pytest

from analyzer import messages
from analyzer.result import FindingKind, SectionStatus, Severity

CJK = re.compile(r"[\u4e00-\u9fff]")


def _codes(literal) -> list[str]:
    return list(typing.get_args(literal))


@pytest.mark.parametrize(("group", "literal"), [("status", SectionStatus), ("severity", Severity),
                                                 ("kind", FindingKind)])
def test_every_code_of_the_result_has_a_chinese_label(group, literal):
    for code in _codes(literal):
        assert CJK.search(messages.label(group, code)), (group, code)


def test_every_part_and_part_status_has_a_label():
    from analyzer.frameworks import available_frameworks, load_framework

    parts = {part.id for fid in available_frameworks() for part in load_framework(fid).parts}
    for part_id in parts | {"INTRO", "PROBLEMS", "NEXT", "META", "OTHER"}:
        assert CJK.search(messages.label("part", part_id)), part_id
    for status in ("present", "in_passing", "missing", "optional_absent"):
        assert CJK.search(messages.label("part_status", status)), status


def test_an_unknown_code_shows_as_itself_so_it_is_noticed():
    assert messages.label("kind", "brand_new_kind") == "brand_new_kind"


def test_locations_count_paragraphs_from_one():
    assert messages.where([0, 4]) == "第1、5段"
    assert messages.where("whole report") == "全文"
    assert messages.paragraph_numbers([9]) == "10"


def test_templates_fill_their_placeholders():
    assert messages.text("report.title", name="某局") == "某局 — 审阅结果"
    assert "{" not in messages.text("annotate.summary_title", framework="纲要")


# ----------------------------------------------------------------------------- outputs scanned for codes
def _untranslated(text: str, analysis) -> list[str]:
    """Codes of ours that a person would see: kinds, statuses, severities, framework, section and rule ids."""
    codes = set(_codes(FindingKind)) | set(_codes(SectionStatus)) | set(_codes(Severity))
    codes |= {"whole report", analysis.framework, "framework", "status_zh", "INTRO", "PROBLEMS", "NEXT", "META"}
    codes |= {f.rule for f in analysis.findings}
    found = [code for code in codes if re.search(rf"(?<![A-Za-z0-9_.-]){re.escape(code)}(?![A-Za-z0-9_-])", text)]
    found += re.findall(r"(?<![A-Za-z0-9])(?:S[1-7]|P\d{1,2}|A\d\.\d+|R\d)(?![A-Za-z0-9.])", text)
    return found


def _assert_chinese_only(text: str, analysis, where: str) -> None:
    assert not _untranslated(text, analysis), (where, _untranslated(text, analysis))


def test_markdown_has_no_codes(seed_analysis):
    from analyzer.outputs.render import to_markdown

    _assert_chinese_only(to_markdown(seed_analysis), seed_analysis, "markdown")


def test_terminal_table_has_no_codes(seed_analysis):
    from rich.console import Console

    from analyzer.outputs.render import print_table

    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_table(seed_analysis, console)
    _assert_chinese_only(console.file.getvalue(), seed_analysis, "terminal")


def test_excel_headers_and_labels_have_no_codes(seed_analysis):
    from openpyxl import load_workbook

    from analyzer.outputs.export import analysis_to_xlsx

    book = load_workbook(io.BytesIO(analysis_to_xlsx(seed_analysis)))
    for sheet in book.worksheets:
        _assert_chinese_only(sheet.title, seed_analysis, "sheet name")
        header = [str(c.value) for c in next(sheet.iter_rows(max_row=1))]
        _assert_chinese_only(" ".join(header), seed_analysis, f"{sheet.title} header")
    findings = book["问题"]
    labels = [str(row[i].value) for row in findings.iter_rows(min_row=2) for i in (0, 1, 3)]
    _assert_chinese_only(" ".join(labels), seed_analysis, "finding labels")


def test_word_comments_have_no_codes(seed_analysis):
    import docx

    from analyzer.outputs.annotate import annotated_docx

    document = docx.Document(io.BytesIO(annotated_docx(seed_analysis)))
    _assert_chinese_only("\n".join(c.text for c in document.comments), seed_analysis, "docx comments")


def test_compare_chart_specs_name_frameworks_and_sections(seed_analysis):
    import json

    from analyzer.compare.tables import group_summary, metrics_chart, report_rows, sections_chart

    groups = group_summary(report_rows([seed_analysis]), by="year")
    for chart in (metrics_chart(groups), sections_chart(groups)):
        spec = json.dumps(chart.to_dict(), ensure_ascii=False)
        titles = re.findall(r'"(?:title|text)": "([^"]*)"', spec)
        assert titles and all(CJK.search(t) for t in titles), titles
        values = [v for d in chart.to_dict().get("datasets", {}).values() for row in d for v in row.values()]
        _assert_chinese_only(" ".join(map(str, values)), seed_analysis, "chart data")
