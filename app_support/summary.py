"""Headline figures of one analysis, read defensively: stats keys may still be missing."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.result import Analysis

from .labels import percent


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str


def headline(analysis: Analysis) -> list[Metric]:
    """Sections covered n/total, elements found, boilerplate ratio, figures per 1,000 characters."""
    stats = analysis.stats
    covered = stats.get("sections_covered")
    if covered is None:
        covered = sum(s.status == "covered" for s in analysis.sections)
    total = stats.get("sections_total") or len(analysis.sections)
    found = stats.get("elements_found")
    if found is None:
        found = sum(e.found for s in analysis.sections for e in s.elements)
    elements = stats.get("elements_total")
    if elements is None:
        elements = sum(len(s.elements) for s in analysis.sections)
    figures = stats.get("figures_per_1000")
    return [
        Metric("已覆盖部分", f"{covered}/{total}", "框架要求的部分中,有实质内容的部分数"),
        Metric("已见要素", f"{found}/{elements}" if elements else "—", "框架列出的具体举措中,报告给出证据的个数"),
        Metric("套话比例", percent(stats.get("boilerplate_ratio")), "程式化、空泛句子占正文字数的比例"),
        Metric("每千字数据", "—" if figures is None else f"{figures:.1f}", "每 1000 字中的具体数字个数"),
    ]
