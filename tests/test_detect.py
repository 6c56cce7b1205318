"""Outline, report rule and layout: chosen independently, from the year and the headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.mapping.detect import choose_outline, choose_rule, detect_layout
from analyzer.text.structure import parse_structure

DUC_2019_REPORT = [
    "现将2020年法治政府建设情况报告如下:",
    "一、主要举措和成效",
    "全年办理行政复议案件12件。",
    "二、存在的不足和原因",
    "力量不足,主要是编制有限。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "主持召开会议4次。",
    "四、下一年度工作安排",
    "修订制度2项。",
]


def _parse(paragraphs):
    return parse_structure(paragraphs)


def test_year_in_the_2015_outline_period(seed_paragraphs):
    choice = choose_outline(_parse(seed_paragraphs))
    assert choice.id == "fzzf-2015" and "2017" in choice.reason


def test_year_in_the_2021_outline_period():
    choice = choose_outline(_parse(["区委依法治区办:", "现将2023年法治政府建设情况报告如下:", "一、主要工作", "正文。"]))
    assert choice.id == "fzzf-2021"


def test_the_2019_layout_does_not_change_the_outline():
    structure = _parse(DUC_2019_REPORT)
    assert choose_outline(structure).id == "fzzf-2015"  # a report on 2020: the 2015–2020 outline
    assert detect_layout(structure).id == "duc-2019"
    assert choose_rule(structure).id == "duc-2019"


def test_the_report_rule_applies_from_2019_on_whatever_the_layout():
    seven_sections_2018 = _parse(["现将2018年法治政府建设情况报告如下:", "一、依法全面履行政府职能", "正文。"])
    assert choose_rule(seven_sections_2018) is None
    seven_sections_2019 = _parse(["现将2019年法治政府建设情况报告如下:", "一、依法全面履行政府职能", "正文。"])
    assert choose_rule(seven_sections_2019).id == "duc-2019"


def test_generic_parts_over_topical_subheadings_are_not_the_2019_layout():
    paragraphs = [
        "现将2023年法治政府建设情况报告如下:",
        "一、主要工作及成效",
        "(一)以学促干,筑牢思想根基",
        "组织专题学习6次。",
        "(二)放管结合,服务更加便捷",
        "网上可办率达到98%。",
        "二、存在的问题",
        "执法力量不足。",
        "三、2024年工作打算",
        "修订制度2项。",
    ]
    assert detect_layout(_parse(paragraphs)).id == "topical"


def test_seven_sections_under_a_summary_part_are_the_outline_layout():
    paragraphs = ["现将2018年法治政府建设情况报告如下:", "一、主要举措和成效", "(一)依法全面履行政府职能", "正文。",
                  "(二)完善依法行政制度体系", "正文。", "(三)坚持严格规范公正文明执法", "正文。", "二、存在的问题", "正文。",
                  "三、下一步工作安排", "正文。"]
    assert detect_layout(_parse(paragraphs)).id == "seven-sections"


def test_no_headings_is_the_headingless_layout():
    assert detect_layout(_parse(["现将2023年法治政府建设情况报告如下:", "全年办理案件12件。"])).id == "headingless"


def test_no_year_falls_back_to_headings():
    paragraphs = ["一、健全政府机构职能体系", "正文。", "二、健全突发事件应对体系", "正文。", "三、健全行政决策制度体系", "正文。"]
    choice = choose_outline(_parse(paragraphs))
    assert choice.id == "fzzf-2021" and "未识别出报告年度" in choice.reason


def test_a_year_after_every_outline_takes_the_nearest_and_says_so():
    choice = choose_outline(_parse(["现将2026年法治政府建设情况报告如下:", "(一)依法全面履行政府职能", "正文。"]))
    assert choice.id == "fzzf-2021" and "最近" in choice.reason and "人工确认" in choice.reason


def test_a_year_before_every_outline_takes_the_nearest():
    choice = choose_outline(_parse(["现将2014年法治政府建设情况报告如下:", "正文。"]))
    assert choice.id == "fzzf-2015" and "2014" in choice.reason


@pytest.mark.parametrize("requested", ["fzzf-2015", "fzzf-2021"])
def test_the_user_may_name_the_outline(requested):
    assert choose_outline(_parse(DUC_2019_REPORT), requested).id == requested


def test_naming_the_rule_keeps_the_outline_of_the_year():
    structure = _parse(["现将2018年法治政府建设情况报告如下:", "正文。"])
    assert choose_outline(structure, "duc-2019").id == "fzzf-2015"
    assert choose_rule(structure, "duc-2019").id == "duc-2019"


def test_a_new_outline_is_a_new_file(tmp_path, monkeypatch):
    """Adding an outline file makes reports of its years use it, with no code change."""
    from analyzer import analyze
    from analyzer.frameworks import EXTRA_DIRS_ENV, available_frameworks, load_framework_file

    shipped = (Path(__file__).resolve().parent.parent / "analyzer" / "frameworks" / "fzzf-2021.yaml").read_text("utf-8")
    text = shipped.replace("id: fzzf-2021\n", "id: fzzf-2026\n", 1).replace("years: [2021, 2025]", "years: [2026, 2030]")
    text = text.replace("short_name: 2021—2025年纲要", "short_name: 2026—2030年纲要(测试)")
    (tmp_path / "fzzf-2026.yaml").write_text(text, encoding="utf-8")
    assert load_framework_file(tmp_path / "fzzf-2026.yaml").years == (2026, 2030)
    monkeypatch.setenv(EXTRA_DIRS_ENV, str(tmp_path))
    assert "fzzf-2026" in available_frameworks()
    report = "\n".join(["现将2026年法治政府建设情况报告如下:", "一、健全政府机构职能体系", "全年调整权责清单事项36项。"])
    analysis = analyze(report)
    assert analysis.outline.id == "fzzf-2026" and analysis.outline.name == "2026—2030年纲要(测试)"
    assert "2026" in analysis.outline.reason
    assert analyze(report.replace("2026年", "2024年")).outline.id == "fzzf-2021"
