"""Findings: seed boilerplate and specificity, one missing section per deletion, copy findings,
suggestions with exemplars and no invented figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer import analyze
from analyzer.training.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPUS = {r.id: r for r in load_corpus(ROOT / "corpora" / "src")}


def test_seed_is_boilerplate_heavy_and_figure_free(seed_analysis):
    flagged = " ".join(s for f in seed_analysis.findings if f.kind == "boilerplate" for s in f.evidence)
    for phrase in ("取得了较好效果", "全力以赴", "攻坚克难", "以钉钉子精神"):
        assert phrase in flagged
    assert seed_analysis.stats["figures_per_1000"] < 0.5


def test_seed_boilerplate_ratio_is_well_above_exemplary_reports(seed_analysis):
    exemplary = [r for r in CORPUS.values() if r.meta["quality"] == "exemplary"][:6]
    ratios = [analyze(r.text).stats["boilerplate_ratio"] for r in exemplary]
    assert seed_analysis.stats["boilerplate_ratio"] > 2 * (sum(ratios) / len(ratios))


def test_seed_thinnest_sections_get_suggestions(seed_analysis):
    thin = sorted(seed_analysis.sections, key=lambda s: s.chars)[:2]
    for section in thin:
        finding = next(f for f in seed_analysis.findings if f.section == section.id and f.kind == "thin_section")
        suggestion = finding.suggestion
        assert suggestion["text"] and suggestion["why"] and suggestion["figures"]
        assert 1 <= len(suggestion["exemplars"]) <= 3
        assert all(e["corpus_id"] in CORPUS for e in suggestion["exemplars"])


def test_suggestions_never_carry_figures_for_the_user(seed_analysis):
    for finding in seed_analysis.findings:
        if finding.suggestion:
            assert not any(ch.isdigit() for ch in finding.suggestion["text"])


def _without_section(report, section_id) -> str:
    return "\n".join(p.text for p in report.paragraphs if p.label != section_id) + "\n"


COMPLETE = [r for r in ("seed-000", "au101", "au301", "au501") if not CORPUS[r].meta.get("missing_sections")]


@pytest.mark.parametrize("report_id", COMPLETE)
def test_deleting_a_section_adds_exactly_one_missing_section(report_id):
    report = CORPUS[report_id]
    base = analyze(report.text, framework="fzzf-2015")
    before = {f.section for f in base.findings if f.kind == "missing_section"}
    for section_id in [f"S{i}" for i in range(1, 8)]:
        after = analyze(_without_section(report, section_id), framework="fzzf-2015")
        missing = {f.section for f in after.findings if f.kind == "missing_section"}
        assert missing - before == {section_id}, f"{report_id} without {section_id}: {missing - before}"


def test_consecutive_year_pair_yields_a_copied_finding():
    later, earlier = CORPUS["au510"], CORPUS["au509"]
    truth = sum(len(p.text) for p in later.paragraphs if p.copied) / sum(len(p.text) for p in later.paragraphs)
    result = analyze(later.text, previous=earlier.text)
    copied = [f for f in result.findings if f.kind == "copied"]
    assert len(copied) == 1 and copied[0].evidence
    assert abs(result.stats["copied_share"] - truth) <= 0.05
    assert any(p.copied for p in result.paragraphs)


def test_every_finding_has_kind_severity_location_evidence_and_rule(seed_analysis):
    data = json.loads(seed_analysis.to_json())
    for finding in data["findings"]:
        assert {"kind", "severity", "location", "evidence", "rule"} <= set(finding)
        assert finding["location"] == "whole report" or all(isinstance(i, int) for i in finding["location"])


def test_report_without_problems_part_gets_a_missing_part():
    report = CORPUS["au602"]  # authored with no problems paragraph at all
    result = analyze(report.text)
    assert any(f.kind == "missing_part" and f.section == "PROBLEMS" for f in result.findings)


def _lead_findings(report):
    return [f for f in analyze(report.text, framework=report.meta["framework"]).findings
            if f.element == "LEAD"]


LEADERS = [r for r in CORPUS.values() if r.meta["framework"] != "duc-2019"]


@pytest.mark.parametrize("report", [r for r in LEADERS if any("LEAD" in p.elements for p in r.paragraphs)][:12],
                         ids=lambda r: r.id)
def test_a_leaders_concrete_act_is_found_wherever_the_report_tells_it(report):
    """The authors tagged a concrete act of the principal leader: no LEAD finding, whichever part
    holds it (often 组织领导 rather than the opening)."""
    assert _lead_findings(report) == []


@pytest.mark.parametrize("report", [r for r in LEADERS if "generic_leader" in (r.meta.get("defects") or [])],
                         ids=lambda r: r.id)
def test_the_leader_formula_alone_is_quoted_as_general(report):
    """Reports written with only the 第一责任人 formula (亲自部署、亲自过问…) get a LEAD finding that
    quotes the general sentence and says what it lacks, located at its paragraph."""
    from analyzer.checks.builders import GENERAL_ONLY

    findings = _lead_findings(report)
    assert len(findings) == 1
    finding = findings[0]
    if finding.evidence:  # the report names the duties somewhere
        assert GENERAL_ONLY in finding.message and len(finding.location) == 1
        assert not any(ch.isdigit() for ch in finding.evidence[0])
    else:
        assert finding.message.startswith("未见") and finding.location == "whole report"


def test_the_lead_check_tells_general_from_absent(seed_analysis):
    lead = [f for f in seed_analysis.findings if f.element == "LEAD"]
    assert len(lead) == 1 and lead[0].message.startswith("未见")  # the seed names no leader's duty at all
    generic = [r for r in LEADERS if "generic_leader" in (r.meta.get("defects") or []) and r.id != "seed-000"]
    quoted = [f for r in generic for f in _lead_findings(r) if f.evidence]
    assert len(quoted) >= 3 and all("亲自" in f.evidence[0] or "带头" in f.evidence[0] for f in quoted)


def test_the_copied_finding_counts_sentences_per_kind_and_the_result_reads_back():
    from analyzer.result import Analysis

    earlier = ("江城市司法局2022年法治政府建设情况报告\n一、主要工作\n全年共办理行政复议案件15件，纠错2件。"
               "组织行政执法人员培训3次。市政府常务会议研究的议题全部经过合法性审查。")
    later = ("江城市司法局2023年法治政府建设情况报告\n一、主要工作\n全年共办理行政复议案件18件，纠错3件。"
             "组织行政执法人员培训3次。今年在政务服务中心设立了行政复议受理窗口。")
    result = analyze(later, previous=earlier)
    copying = result.copying
    assert (copying.sentences, copying.copied_sentences) == (3, 2)
    assert copying.counts == {"verbatim": 1, "figures_changed": 1, "near": 0}
    assert result.stats["copied_share"] == pytest.approx(2 / 3, abs=1e-3)
    (finding,) = [f for f in result.findings if f.kind == "copied"]
    assert "3句中有2句" in finding.message and "原样照抄1句" in finding.message and "仅改动数字、年份或日期1句" in finding.message
    assert finding.location == [2] and finding.severity == "high"
    assert Analysis.from_json(result.to_json()).copying == copying
