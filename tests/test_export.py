from __future__ import annotations

import copy
import io
import math

import pytest

from analyzer.outputs.export import EXCEL_CELL_CHARS, analysis_to_xlsx, sheets_to_xlsx


def _load(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def _records(sheet) -> list[dict]:
    rows = list(sheet.values)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture(scope="module")
def seed_book(seed_analysis):
    return _load(analysis_to_xlsx(seed_analysis))


def test_workbook_has_the_four_sheets(seed_book):
    assert seed_book.sheetnames == ["概览", "各部分", "段落", "问题", "必备内容"]


def test_overview_names_the_seed_issuer_year_and_framework(seed_book):
    overview = dict(list(seed_book["概览"].values)[1:])
    # The seed is the 2017 report of 阳江市科学技术局, under the 2015–2020 outline.
    assert overview["发文单位"] == "阳江市科学技术局"
    assert overview["报告年度"] == 2017
    assert overview["框架"] == "法治政府建设实施纲要(2015-2020年)"


def test_sections_sheet_has_one_row_per_section_with_its_status(seed_book, seed_analysis):
    rows = _records(seed_book["各部分"])
    assert [r["编号"] for r in rows] == ["S1", "S2", "S3", "S4", "S5", "S6", "S7"]
    status_zh = {"covered": "已覆盖", "thin": "单薄", "missing": "缺失"}
    for row, section in zip(rows, seed_analysis.sections):
        assert row["状态"] == status_zh[section.status]
        assert row["已见要素数"] == sum(e.found for e in section.elements)
        missing = [e.id for e in section.elements if not e.found]
        assert all(element_id in (row["未见要素"] or "") for element_id in missing)


def test_paragraphs_sheet_keeps_every_paragraph_and_its_marked_spans(seed_book, seed_analysis):
    rows = _records(seed_book["段落"])
    assert [r["原文"] for r in rows] == [p.text for p in seed_analysis.paragraphs]
    assert [r["段号"] for r in rows] == list(range(1, len(rows) + 1))
    for row, paragraph in zip(rows, seed_analysis.paragraphs):
        for start, end in paragraph.boilerplate:
            assert paragraph.text[start:end] in row["套话"]


def test_findings_sheet_lists_every_finding_with_its_suggestion(seed_book, seed_analysis):
    rows = _records(seed_book["问题"])
    assert [r["说明"] for r in rows] == [f.message for f in seed_analysis.findings]
    with_suggestion = [f for f in seed_analysis.findings if f.suggestion and f.suggestion.get("text")]
    assert len([r for r in rows if r["建议"]]) == len(with_suggestion)


def test_report_text_that_looks_like_a_formula_stays_text(seed_analysis):
    analysis = copy.deepcopy(seed_analysis)
    formula = '=HYPERLINK("http://example.invalid","点击")'
    analysis.paragraphs[1].text = formula
    sheet = _load(analysis_to_xlsx(analysis))["段落"]
    cells = {row[-1].value: row[-1].data_type for row in sheet.iter_rows(min_row=2)}
    assert cells[formula] == "s"


def test_control_characters_are_dropped_and_long_text_is_cut(seed_analysis):
    analysis = copy.deepcopy(seed_analysis)
    analysis.paragraphs[1].text = "法治\x07政府\x1b建设"
    analysis.paragraphs[2].text = "字" * (EXCEL_CELL_CHARS + 10)
    rows = _records(_load(analysis_to_xlsx(analysis))["段落"])
    assert rows[1]["原文"] == "法治政府建设"
    assert len(rows[2]["原文"]) == EXCEL_CELL_CHARS


def test_sheets_to_xlsx_writes_missing_values_as_empty_cells():
    book = _load(sheets_to_xlsx({"表": (("a", "b"), [(1, math.nan), ("x", None)])}))
    assert list(book["表"].values) == [("a", "b"), (1, None), ("x", None)]
