"""The pipeline: ingest → structure → segment (once) → map sections and parts → check → render the result.

``analyze`` is the one entry point the CLI, the batch runner and the app call.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import msgspec

from analyzer.checks.rules import Params
from analyzer.doc import CheckPlan, Doc, render_analysis
from analyzer.frameworks import Framework, load_framework, one_listing
from analyzer.ingest import Document, ingest_guarded, ingest_text
from analyzer.issuers import issuer_level
from analyzer.limits import Limits
from analyzer.mapping.detect import choose_outline, choose_rule, detect_layout, rule_reason
from analyzer.mapping.parts import assign_parts, part_statuses
from analyzer.mapping.sections import Assignment, ParagraphScorer, map_sections
from analyzer.result import Analysis, Choice, Copying, Paragraph, SectionResult, SkippedElement, Source
from analyzer.text.segment import get_segmenter
from analyzer.text.structure import parse_structure

# A section whose body text is shorter than this is "thin": one formulaic sentence is not coverage.
THIN_CHARS = 150


def analyze(
    source: str | Path | bytes,
    *,
    framework: str = "auto",
    filename: str | None = None,
    limits: Limits | None = None,
    segmenter: str | None = None,
    scorer: ParagraphScorer | None = None,
    previous: str | Path | bytes | None = None,
    previous_filename: str | None = None,
    disable: frozenset[str] | set[str] = frozenset(),
    params: Params | None = None,
) -> Analysis:
    """Analyse a report given as a path, as text, or as the bytes of a file named ``filename``.
    ``previous`` (same forms) is the issuer's earlier report: copied text is measured against it.
    ``framework``: an outline or report-rule id, or auto; ``disable``: check ids not to run;
    ``params``: thresholds of checks, ``{check id: {name: value}}`` (``govreport rules``)."""
    limits = limits or Limits.from_env()
    with collector_paused():
        document = _ingest(source, filename=filename, limits=limits)
        earlier = _ingest(previous, filename=previous_filename, limits=limits).paragraphs if previous is not None else None
        return analyze_document(document, framework=framework, segmenter=segmenter, scorer=scorer, previous=earlier,
                                disable=disable, params=params)


def analyze_document(
    document: Document,
    *,
    framework: str = "auto",
    segmenter: str | None = None,
    scorer: ParagraphScorer | None = None,
    previous: list[str] | None = None,
    element_model=None,
    disable: frozenset[str] | set[str] = frozenset(),
    params: Params | None = None,
) -> Analysis:
    """Run every stage after ingestion on an already ingested document (``previous``: the
    paragraphs of the issuer's earlier report, to measure copying). Each stage adds to one working
    document (``doc.Doc``); the ``Analysis`` is rendered from it once, at the end."""
    with collector_paused(), one_listing():  # the framework folders listed once for the whole analysis
        return _analyze(document, framework=framework, segmenter=segmenter, scorer=scorer, previous=previous,
                        element_model=element_model, disable=disable, params=params)


def _analyze(document: Document, *, framework: str, segmenter: str | None, scorer: ParagraphScorer | None,
             previous: list[str] | None, element_model, disable: frozenset[str] | set[str],
             params: Params | None) -> Analysis:
    doc = parse_structure(document.paragraphs, heading_hints=document.heading_hints or None)
    doc.source = source_of(document, doc)
    attach_tokens(doc, backend=segmenter)
    doc.plan = plan_checks(doc, framework)
    if scorer is None:
        from analyzer.mapping.model import default_scorer

        scorer = default_scorer()
    if element_model is None:
        from analyzer.mapping.model import default_element_model

        element_model = default_element_model()
    label_sections(doc, map_sections(doc, doc.plan.outline, scorer=scorer))
    label_parts(doc)
    doc.sections = cover_sections(doc)
    if previous is not None:
        doc.copying = compare_with(doc, previous)
    from analyzer.checks.findings import add_findings

    add_findings(doc, element_model=element_model, disable=frozenset(disable), params=params)
    return render_analysis(doc)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while an analysis runs, back on after it (left off if
    the caller had switched it off). An analysis allocates tens of thousands of containers (tokens,
    hits, feature items) and leaves no reference cycle behind (tested), so the collector's passes
    over them, a couple of dozen per report, find nothing and cost 3–7% of a warm analysis; the
    memory is freed by reference counting as before. Switching it is process-wide: an analysis in
    another thread meanwhile runs without it too, and the first to finish switches it back on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def plan_checks(doc: Doc, requested: str = "auto") -> CheckPlan:
    """Choose outline, report rule and layout for a parsed report (``requested``: an outline or rule id, or auto)."""
    outline_choice = choose_outline(doc, requested)
    outline = load_framework(outline_choice.id)
    rule = choose_rule(doc, requested)
    year = doc.metadata.year
    rule_choice = None
    if rule is not None:
        rule_choice = Choice(id=rule.id, name=rule.label,
                             reason=rule_reason(rule, year, requested=requested == rule.id))
    level = issuer_level(doc.metadata.issuer)
    parts = rule or outline
    layout = detect_layout(doc)
    return CheckPlan(
        outline=outline, parts=parts, checked=checked_framework(outline.id, parts.id, level),
        outline_choice=Choice(id=outline_choice.id, name=outline_choice.name, reason=outline_choice.reason),
        rule_choice=rule_choice, layout=Choice(id=layout.id, name=layout.name, reason=layout.reason), level=level,
        skipped=[SkippedElement(id=e.id, name=e.name, section=s.id, reason=e.not_applicable or "不适用于该发文单位")
                 for s in outline.sections for e in s.elements if not e.applies(level)],
    )


@cache
def checked_framework(outline_id: str, parts_id: str, level: str | None) -> Framework:
    """The outline's sections, each with the elements asked of an issuer of ``level``, and the parts
    of ``parts_id``: one record the checks read. Cached, so matchers built on it are built once."""
    outline, parts = load_framework(outline_id), load_framework(parts_id)
    sections = [msgspec.structs.replace(s, elements=[e for e in s.elements if e.applies(level)])
                for s in outline.sections]
    return msgspec.structs.replace(outline, sections=sections, parts=parts.parts)


def attach_tokens(doc: Doc, *, backend: str | None = None) -> None:
    """Segment the document once and hand each paragraph its tokens (paragraph offsets). Each
    paragraph is cut on its own: jieba cuts independently between non-word characters, so this
    gives the tokens of the whole text joined by newlines (tested over the corpus) without
    re-basing thousands of offsets in Python."""
    segmenter = get_segmenter(backend)
    for p in doc.paragraphs:
        p.tokens = segmenter.tokenize(p.text)
    doc.derived.clear()  # anything computed from the old tokens


def _ingest(source, *, filename, limits) -> Document:
    if isinstance(source, bytes):
        return ingest_guarded(source, filename=filename or "upload.txt", limits=limits)
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        return ingest_guarded(source, limits=limits)
    return ingest_text(source, name=filename, limits=limits)


def _looks_like_path(text: str) -> bool:
    """A string is a path only if it is one line naming an existing file of a supported type, so
    that pasted text can never make the analyzer read an arbitrary file (pass a Path to be explicit)."""
    from analyzer.ingest import SUPPORTED_SUFFIXES

    return (
        len(text) < 4096
        and "\n" not in text
        and text.lower().endswith(SUPPORTED_SUFFIXES)
        and os.path.isfile(text)
    )


def source_of(document: Document, doc: Doc) -> Source:
    """The source facts of the ingested ``document`` whose parsed paragraphs ``doc`` holds."""
    text = "\n".join(p.text for p in doc.paragraphs)
    return Source(
        name=document.name,
        format=document.source_format,
        encoding=document.encoding,
        converted_traditional=document.converted_traditional,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        chars=len(text),
        removed_controls=document.removed_controls,
    )


def label_sections(doc: Doc, assignments: list[Assignment]) -> None:
    """Write the mapping's decision into each paragraph: its section, its place on the common scale,
    what decided it and how sure it is."""
    outline = doc.plan.outline
    for p, a in zip(doc.paragraphs, assignments):
        p.section = a.label
        p.scale = outline.scale_of(a.label) or (a.label if a.label in outline.section_ids else None)
        p.source = a.source
        p.heading_section = a.heading_label
        p.confidence = a.confidence


def label_parts(doc: Doc) -> None:
    """Each paragraph's report part, and each part's status (the parts of the plan's report rule)."""
    parts = doc.plan.parts
    part_ids = assign_parts(doc, [p.section for p in doc.paragraphs], parts)
    for p in doc.paragraphs:
        p.part = part_ids[p.index]
    doc.part_statuses = part_statuses(doc, parts, part_ids)


def compare_with(doc: Doc, previous: list[str]) -> Copying:
    """How much of the report repeats ``previous`` (the earlier report's paragraphs), counted over body
    sentences: headings and title/signature lines repeat every year."""
    from analyzer.checks.copying import compare_paragraphs
    from analyzer.ingest.normalize import clean_paragraph

    not_body = {p.index for p in doc.paragraphs if p.is_heading or p.section == "META"}
    earlier = [clean_paragraph(p) for p in previous]  # compared as ingestion would have normalised it
    return compare_paragraphs([p.text for p in doc.paragraphs], earlier, skip=not_body,
                              spans=[p.sentences for p in doc.paragraphs])


def cover_sections(doc: Doc) -> list[SectionResult]:
    """Every outline section's coverage: its paragraphs, characters, share of the body and status."""
    body_chars = sum(len(p.text) for p in doc.paragraphs if not p.is_heading and p.section != "META") or 1
    members: dict[str, list[Paragraph]] = {}
    for p in doc.paragraphs:
        members.setdefault(p.section, []).append(p)
    return [_section_result(s, members.get(s.id, []), body_chars) for s in doc.plan.outline.sections]


def _section_result(section, members: list[Paragraph], body_chars: int) -> SectionResult:
    """The section's coverage from its paragraphs (``members``, in document order)."""
    body = [p for p in members if not p.is_heading]
    chars = sum(len(p.text) for p in body)
    heading = next((p.index for p in members if p.is_heading), None)
    status = "missing" if not body else ("thin" if chars < THIN_CHARS else "covered")
    return SectionResult(
        id=section.id,
        name=section.name,
        status=status,
        paragraphs=[p.index for p in members],
        share=round(chars / body_chars, 4),
        chars=chars,
        heading=heading,
        scale=section.scale,
    )
