"""Framework auto-detection: by year, by the 2019 parts as level-1 headings, by headings otherwise."""

from __future__ import annotations

from analyzer.detect import detect_framework
from analyzer.structure import parse_structure


def _detect(paragraphs):
    return detect_framework(parse_structure(paragraphs))


def test_year_in_the_2015_outline_period(seed_paragraphs):
    framework, reason = _detect(seed_paragraphs)
    assert framework == "fzzf-2015" and "2017" in reason


def test_year_in_the_2021_outline_period():
    framework, _ = _detect(["区委依法治区办:", "现将2023年法治政府建设情况报告如下:", "一、主要工作", "正文。"])
    assert framework == "fzzf-2021"


def test_the_2019_required_parts_pick_duc_2019():
    paragraphs = [
        "现将2020年法治政府建设情况报告如下:",
        "一、主要举措和成效",
        "全年办理案件12件。",
        "二、存在的不足和原因",
        "力量不足,主要是编制有限。",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "主持召开会议4次。",
        "四、下一年度工作安排",
        "修订制度2项。",
    ]
    assert _detect(paragraphs)[0] == "duc-2019"


def test_no_year_falls_back_to_headings():
    paragraphs = ["一、健全政府机构职能体系", "正文。", "二、健全突发事件应对体系", "正文。", "三、健全行政决策制度体系", "正文。"]
    framework, reason = _detect(paragraphs)
    assert framework == "fzzf-2021" and "未识别出报告年度" in reason


def test_a_year_after_2025_is_flagged_for_a_person_to_check():
    framework, reason = _detect(["现将2026年法治政府建设情况报告如下:", "(一)依法全面履行政府职能", "正文。"])
    assert "人工确认" in reason
