"""Report parts (the layout's axis) beside the outline's sections (the substance's axis)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import analyze
from analyzer.frameworks import load_framework
from analyzer.mapping.parts import assign_parts
from analyzer.text.structure import parse_structure
from analyzer.training.corpus import parse_source

SRC = Path(__file__).resolve().parent.parent / "corpora" / "src"


def _text(report_id: str, *, drop: tuple[str, ...] = ()) -> str:
    """A corpus report as plain text, without the paragraphs labelled ``drop`` (headings included)."""
    report = parse_source(SRC / f"{report_id}.txt")
    return "\n".join(p.text for p in report.paragraphs if p.label not in drop)


def _findings(analysis, kind, section=None):
    return [f for f in analysis.findings if f.kind == kind and (section is None or f.section == section)]


def test_a_2019_layout_report_without_decision_making_is_told_the_task_is_missing():
    full = analyze(_text("au105"))  # a 2019 report in the 督察规定's parts, with the seven areas inside
    assert full.layout.id == "duc-2019" and full.outline.id == "fzzf-2015"
    assert [s.id for s in full.sections] == [f"S{i}" for i in range(1, 8)]
    assert not _findings(full, "missing_section")
    without = analyze(_text("au105", drop=("S3",)))
    (finding,) = _findings(without, "missing_section", "S3")
    assert finding.severity == "high" and "行政决策" in finding.message
    assert finding.evidence and "主要举措和成效" in finding.evidence[0]  # where it was looked for
    assert finding.suggestion["text"] and finding.suggestion["figures"]


def test_the_2019_layout_keeps_the_full_element_checklist():
    analysis = analyze(_text("au105"))
    checked = [e for s in analysis.sections for e in s.elements]
    skipped = {e.id for e in analysis.elements_skipped}
    assert len(checked) + len(skipped) == 43 and len(checked) >= 38
    assert skipped <= {"A1.4", "A2.1", "A2.2", "A2.3", "A2.5"}  # a 司法局 makes no laws


def test_an_absent_optional_part_is_never_a_finding():
    analysis = analyze(_text("au105"))
    other = next(p for p in analysis.parts if p.id == "R5")
    assert other.required is False and other.status == "optional_absent"
    assert not [f for f in analysis.findings if f.section == "R5"]


def test_a_2018_seven_section_report_is_not_asked_for_the_2019_parts():
    analysis = analyze(_text("au301"))  # 2018, seven sections
    assert analysis.metadata.year == 2018 and analysis.rule is None
    assert {p.id for p in analysis.parts} == {"INTRO", "PROBLEMS", "NEXT", "META", "OTHER"}
    assert not [f for f in analysis.findings if f.kind == "missing_part" and "第一责任人职责情况" in f.message]


def test_a_2021_report_in_the_2019_parts_is_checked_on_the_2021_outline():
    analysis = analyze(_text("au406"))
    assert analysis.outline.id == "fzzf-2021" and analysis.layout.id == "duc-2019"
    assert [s.id for s in analysis.sections] == [f"P{i}" for i in range(1, 11)]
    by_part = {p.id: p for p in analysis.parts}
    assert all(by_part[i].status == "present" for i in ("R1", "PROBLEMS", "R3", "NEXT"))
    scales = {p.section: p.scale for p in analysis.paragraphs if p.section.startswith("P")}
    assert scales.get("P2") == "S1" and scales.get("P10") == "S7"
    assert all(scales.get(k, k) == k for k in ("P6", "P9"))  # 2021 additions keep their own id


def test_first_responsible_person_content_only_in_passing_is_a_low_finding():
    text = "\n".join([
        "青溪县水利局2023年法治政府建设情况报告",
        "一、主要举措和成效",
        "全年办理行政许可事项86件,全部在承诺时限内办结。局党组书记、局长主持召开党组会议4次专题研究法治政府建设。",
        "对3件重大行政决策事项开展合法性审查,聘请法律顾问2名。",
        "二、存在的不足和原因",
        "执法人员不足,主要原因是编制有限。",
        "三、下一年度工作安排",
        "2024年6月底前修订《行政执法公示办法》。",
    ])
    analysis = analyze(text)
    part = next(p for p in analysis.parts if p.id == "R3")
    assert part.status == "in_passing" and part.passing is not None
    (finding,) = [f for f in _findings(analysis, "missing_part", "R3") if f.rule == "report.parts.in-passing"]
    assert finding.severity == "low" and "顺带提及" in finding.message


def test_a_required_part_with_no_trace_is_missing():
    text = "\n".join([
        "青溪县水利局2023年法治政府建设情况报告",
        "一、主要举措和成效",
        "全年办理行政许可事项86件,全部在承诺时限内办结。",
        "二、下一年度工作安排",
        "2024年6月底前修订《行政执法公示办法》。",
    ])
    analysis = analyze(text)
    missing = {f.section for f in _findings(analysis, "missing_part") if f.severity == "high"}
    assert {"R3", "PROBLEMS"} <= missing and "NEXT" not in missing


@pytest.mark.parametrize("heading", ["四、下一步工作打算", "四、2020年工作思路", "四、下一年度主要安排"])
def test_next_year_plans_under_any_usual_heading_are_the_next_part(heading):
    paragraphs = ["现将2019年法治政府建设情况报告如下:", "一、主要举措和成效", "全年办理案件12件。", "二、存在的不足和原因",
                  "力量不足,主要是编制有限。", "三、党政主要负责人履行推进法治建设第一责任人职责情况", "主持召开会议4次。",
                  heading, "修订制度2项,年底前完成执法人员轮训。"]
    structure = parse_structure(paragraphs)
    labels = ["INTRO", "INTRO", "S4", "PROBLEMS", "PROBLEMS", "S7", "S7", "NEXT", "NEXT"]
    parts = assign_parts(structure, labels, load_framework("duc-2019"))
    assert parts[1:] == ["R1", "R1", "PROBLEMS", "PROBLEMS", "R3", "R3", "NEXT", "NEXT"]


def test_a_paragraph_opening_on_the_duty_is_that_part_without_a_heading():
    paragraphs = ["现将2022年法治政府建设情况报告如下:", "全年办理案件12件。",
                  "主要负责人履行推进法治建设第一责任人职责情况。局长主持召开局务会议3次,研究执法改革。"]
    parts = assign_parts(parse_structure(paragraphs), ["INTRO", "P5", "P10"], load_framework("duc-2019"))
    assert parts == ["INTRO", "R1", "R3"]


def test_the_leaders_acts_reported_elsewhere_make_the_part_in_passing_not_missing():
    text = "\n".join([
        "青溪县人民政府2023年法治政府建设情况报告",
        "一、主要举措和成效",
        "全年办理行政许可事项86件。县长主持召开县政府常务会议3次专题研究法治政府建设,听取执法体制改革汇报2次。",
        "二、存在的不足和原因",
        "执法人员不足,主要原因是编制有限。",
        "三、下一年度工作安排",
        "2024年6月底前修订《行政执法公示办法》。",
    ])
    analysis = analyze(text)
    part = next(p for p in analysis.parts if p.id == "R3")
    assert part.status == "in_passing" and part.passing == 2
    assert not [f for f in _findings(analysis, "missing_part", "R3") if f.severity == "high"]


def test_a_removed_task_mentioned_in_passing_is_still_missing_and_the_mention_is_shown():
    # au717 leaves out 化解纠纷 (S6); one clause of an oversight paragraph mentions 行政复议 cases
    text = _text("au717")
    analysis = analyze(text)
    (finding,) = _findings(analysis, "missing_section", "S6")
    assert finding.severity == "high"
    paragraphs = [p.text for p in analysis.paragraphs]
    mention = next(i for i, t in enumerate(paragraphs) if "行政复议" in t)
    assert any(f"第{mention + 1}段提到“行政复议”" in line for line in finding.evidence[1:])


def test_a_missing_task_no_paragraph_mentions_has_only_where_it_was_looked_for():
    report = "\n".join(["现将2023年法治政府建设情况报告如下:", "一、健全政府机构职能体系", "全年调整权责清单事项36项。"])
    (finding,) = _findings(analyze(report), "missing_section", "P7")
    assert len(finding.evidence) == 1 and "没有一段主要写这一方面" in finding.evidence[0]
