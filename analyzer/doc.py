"""The one working document (spaCy's ``Doc`` idea): every stage after ingestion reads it and adds to it,
and the public ``Analysis`` is rendered from it once, at the end (``render_analysis``).

Its paragraphs and metadata are the output's own records (``result.Paragraph``, ``result.Metadata``):
one type from parsing to JSON. Working state that is not part of the output (tokens, run-in leads,
the header's paragraph indexes, derived caches, the check plan, the parts' statuses) lives on the
``Doc`` or as undeclared attributes of its records, so it can never reach the JSON.

Who adds what: ``text.structure.parse_structure`` → paragraphs (text, headings, sentences, ``lead``,
``enumerations``) and metadata; ``pipeline`` → ``source``; ``pipeline.attach_tokens`` → ``tokens``;
``pipeline.plan_checks`` → ``plan``; ``mapping`` (applied by the pipeline) → each paragraph's section,
scale, source, confidence and part, ``part_statuses`` and the sections' coverage (``sections``);
``checks.copying`` → ``copying``; ``checks.findings.add_findings`` → spans, specificity, the sections'
quality and elements, ``findings`` and ``stats``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec

from analyzer.frameworks import Framework, Part
from analyzer.result import (
    Analysis,
    Choice,
    Copying,
    Finding,
    Metadata,
    Paragraph,
    PartResult,
    SectionResult,
    SkippedElement,
    Source,
)
from analyzer.version import __version__


@dataclass(frozen=True)
class CheckPlan:
    """What one report is checked against: the outline of its year (sections, and the elements that
    apply to its issuer), the file whose parts it must have, and its layout."""

    outline: Framework
    parts: Framework  # the report rule of its year, or the outline itself before any rule
    checked: Framework  # the outline's sections with applicable elements, and ``parts``' parts
    outline_choice: Choice
    rule_choice: Choice | None
    layout: Choice
    level: str | None
    skipped: list[SkippedElement]


@dataclass(frozen=True)
class PartStatus:
    """A part of the report and what was found of it."""

    part: Part
    required: bool
    status: str  # present | in_passing | missing | optional_absent
    paragraphs: list[int]
    passing: int | None = None  # a paragraph that mentions the part's subject in passing


@dataclass
class Doc:
    """One report while it is analysed (see the module docstring for which stage adds which field)."""

    paragraphs: list[Paragraph]
    metadata: Metadata
    # Values derived from the paragraphs and their tokens, computed once per document by the stage
    # that needs them (e.g. classifier features, read by two models); emptied when tokens change.
    derived: dict = field(default_factory=dict, repr=False, compare=False)
    source: Source | None = None
    plan: CheckPlan | None = None
    part_statuses: list[PartStatus] = field(default_factory=list)
    sections: list[SectionResult] = field(default_factory=list)  # the outline's sections, in its order
    copying: Copying | None = None  # set when compared with an earlier report
    findings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def headings(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.is_heading]

    def body(self) -> list[Paragraph]:
        """The paragraphs that carry the report's content: not headings, not title or signature (META)."""
        return [p for p in self.paragraphs if not p.is_heading and p.section != "META"]


def render_analysis(doc: Doc) -> Analysis:
    """The public result of a fully analysed ``doc``: its records without their working attributes.
    The only place an ``Analysis`` is built from a document; no stage runs after it."""
    plan = doc.plan
    return Analysis(
        framework=plan.outline.id,
        framework_reason=plan.outline_choice.reason,
        outline=plan.outline_choice,
        rule=plan.rule_choice,
        layout=plan.layout,
        elements_skipped=plan.skipped,
        metadata=msgspec.structs.replace(doc.metadata),  # a copy carries no undeclared attribute
        sections=doc.sections,
        parts=[part_result(status, plan) for status in doc.part_statuses],
        paragraphs=[msgspec.structs.replace(p) for p in doc.paragraphs],
        findings=doc.findings,
        stats=doc.stats,
        source=doc.source,
        version=__version__,
        copying=doc.copying,
    )


def part_result(status: PartStatus, plan: CheckPlan) -> PartResult:
    """A part's status as the output reports it, with why it is (or is not) required."""
    part = status.part
    if status.required:
        why = f"{plan.parts.label}要求的必备部分"
    elif part.required:
        why = f"{plan.parts.label}的必备部分,本报告不适用"
    else:
        why = "可选部分,未写不算缺项"
    return PartResult(
        id=part.id, name=part.name, required=status.required, found=status.status == "present",
        paragraphs=status.paragraphs, status=status.status, required_reason=why, passing=status.passing,
    )
