"""Findings a reviewer can act on. Each has a kind, a severity, a location, evidence and a rule."""

from __future__ import annotations

from .frameworks import Framework
from .result import Analysis, Finding
from .structure import Structure

_METADATA_FIELDS = {"title": "标题", "issuer": "发文单位", "date": "成文日期", "year": "报告年度"}


def add_findings(analysis: Analysis, structure: Structure, framework: Framework) -> None:
    """Append every finding to ``analysis.findings``, most severe first."""
    findings = section_findings(analysis) + part_findings(analysis) + metadata_findings(analysis)
    order = {"high": 0, "medium": 1, "low": 2}
    analysis.findings.extend(sorted(findings, key=lambda f: order[f.severity]))


def section_findings(analysis: Analysis) -> list[Finding]:
    out = []
    for s in analysis.sections:
        if s.status == "missing":
            out.append(Finding(kind="missing_section", severity="high", location="whole report", section=s.id,
                               message=f"未见“{s.name}”({s.id})部分的内容", rule=f"{analysis.framework}:{s.id}"))
        elif s.status == "thin":
            out.append(Finding(kind="thin_section", severity="medium", location=s.paragraphs, section=s.id,
                               message=f"“{s.name}”({s.id})仅有{s.chars}字,内容单薄",
                               evidence=[p.text for p in analysis.paragraphs if p.index in s.paragraphs][:3],
                               rule=f"{analysis.framework}:{s.id}:thin"))
    return out


def part_findings(analysis: Analysis) -> list[Finding]:
    return [
        Finding(kind="missing_part", severity="high", location="whole report", section=p.id,
                message=f"缺少必备部分“{p.name}”", rule=f"{analysis.framework}:{p.id}")
        for p in analysis.parts
        if p.required and not p.found and p.id != "META"
    ]


def metadata_findings(analysis: Analysis) -> list[Finding]:
    meta = analysis.metadata
    return [
        Finding(kind="missing_metadata", severity="low", location="whole report",
                message=f"未能识别{label}", rule=f"metadata:{field}")
        for field, label in _METADATA_FIELDS.items()
        if getattr(meta, field) in (None, "")
    ]
