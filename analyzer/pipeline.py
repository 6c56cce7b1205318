"""The pipeline: ingest → structure → segment (once) → map sections → check → result.

``analyze`` is the one entry point the CLI, the batch runner and the app call.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import __version__
from .frameworks import Framework, load_framework
from .ingest import Document, ingest_bytes, ingest_file, ingest_text
from .limits import Limits
from .result import Analysis, Metadata, ParagraphResult, PartResult, SectionResult, Source
from .sections import DEFAULT_STAY, Assignment, ParagraphScorer, label_space, map_sections
from .segment import get_segmenter
from .structure import Structure, parse_structure

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
) -> Analysis:
    """Analyse a report given as a path, as text, or as the bytes of a file named ``filename``.
    ``previous`` (same forms) is the issuer's earlier report: copied text is measured against it."""
    limits = limits or Limits.from_env()
    document = _ingest(source, filename=filename, limits=limits)
    earlier = _ingest(previous, filename=previous_filename, limits=limits).paragraphs if previous is not None else None
    return analyze_document(document, framework=framework, segmenter=segmenter, scorer=scorer, previous=earlier)


def analyze_document(
    document: Document,
    *,
    framework: str = "auto",
    segmenter: str | None = None,
    scorer: ParagraphScorer | None = None,
    previous: list[str] | None = None,
    element_model=None,
) -> Analysis:
    """Run every stage after ingestion on an already ingested document (``previous``: the
    paragraphs of the issuer's earlier report, to measure copying)."""
    structure = parse_structure(document.paragraphs, heading_hints=document.heading_hints or None)
    attach_tokens(structure, backend=segmenter)
    framework_id, reason = _choose_framework(structure, framework)
    chosen = load_framework(framework_id)
    if scorer is None:
        from .model import default_scorer

        scorer = default_scorer()
    if scorer is not None:
        scorer = _ScoresOnce(scorer)
    if element_model is None:
        from .model import default_element_model

        element_model = default_element_model()
    assignments = map_sections(structure, chosen, scorer=scorer)
    topics = _topics(structure, chosen, assignments, scorer)
    analysis = _assemble(document, structure, chosen, reason, assignments, topics)
    copy = None
    if previous is not None:
        from .copying import compare_paragraphs
        from .ingest.normalize import clean_paragraph

        meta = {p.index for p in analysis.paragraphs if p.section == "META"}
        earlier = [clean_paragraph(p) for p in previous]  # compared as ingestion would have normalised it
        copy = compare_paragraphs([p.text for p in analysis.paragraphs], earlier, skip=meta)
    from .findings import add_findings

    add_findings(analysis, structure, chosen, copy=copy, element_model=element_model)
    return analysis


class _ScoresOnce:
    """Score a document once per label space: mapping for a folding framework (duc-2019) needs the
    era outline's scores twice, for the sections and for the topics."""

    def __init__(self, scorer: ParagraphScorer):
        self.scorer = scorer
        self.stay_ = getattr(scorer, "stay_", DEFAULT_STAY)
        self.override_ = getattr(scorer, "override_", None)
        self._cache: dict[tuple[int, tuple[str, ...]], list[dict[str, float]]] = {}

    def score(self, structure: Structure, labels: list[str]) -> list[dict[str, float]]:
        key = (id(structure), tuple(labels))
        if key not in self._cache:
            self._cache[key] = self.scorer.score(structure, labels)
        return self._cache[key]


def attach_tokens(structure: Structure, *, backend: str | None = None) -> None:
    """Segment the document once and hand each paragraph its tokens (paragraph offsets). Each
    paragraph is cut on its own: jieba cuts independently between non-word characters, so this
    gives the tokens of the whole text joined by newlines (tested over the corpus) without
    re-basing thousands of offsets in Python."""
    segmenter = get_segmenter(backend)
    for p in structure.paragraphs:
        p.tokens = segmenter.tokenize(p.text)
    structure.derived.clear()  # anything computed from the old tokens


def _ingest(source, *, filename, limits) -> Document:
    if isinstance(source, bytes):
        return ingest_bytes(source, filename=filename or "upload.txt", limits=limits)
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        return ingest_file(source, limits=limits)
    return ingest_text(source, name=filename, limits=limits)


def _looks_like_path(text: str) -> bool:
    """A string is a path only if it is one line naming an existing file of a supported type, so
    that pasted text can never make the analyzer read an arbitrary file (pass a Path to be explicit)."""
    from .ingest import SUPPORTED_SUFFIXES

    return (
        len(text) < 4096
        and "\n" not in text
        and text.lower().endswith(SUPPORTED_SUFFIXES)
        and os.path.isfile(text)
    )


def _choose_framework(structure: Structure, requested: str) -> tuple[str, str]:
    if requested != "auto":
        return requested, "chosen by the user"
    from .detect import detect_framework

    return detect_framework(structure)


def _topics(structure, framework: Framework, assignments, scorer) -> list[str] | None:
    """For folding frameworks, each paragraph's label in the era outline (kept for comparisons)."""
    space = label_space(framework, structure.metadata.year)
    if space is framework:
        return None
    return [a.label for a in map_sections(structure, space, scorer=scorer)]


def _assemble(document, structure, framework, reason, assignments: list[Assignment], topics) -> Analysis:
    meta = structure.metadata
    body_chars = sum(
        len(p.text) for p, a in zip(structure.paragraphs, assignments) if not p.is_heading and a.label != "META"
    ) or 1
    paragraphs = [
        ParagraphResult(
            index=p.index,
            text=p.text,
            section=a.label,
            is_heading=p.is_heading,
            heading=p.heading,
            level=p.level,
            topic=topics[p.index] if topics else None,
            source=a.source,
            heading_section=a.heading_label,
            confidence=a.confidence,
            sentences=[[s, e] for s, e in p.sentences],
        )
        for p, a in zip(structure.paragraphs, assignments)
    ]
    members: dict[str, list[ParagraphResult]] = {}
    for p in paragraphs:
        members.setdefault(p.section, []).append(p)
    sections = [_section_result(s, members.get(s.id, []), body_chars) for s in framework.sections]
    parts = [
        PartResult(
            id=part.id,
            name=part.name,
            required=part.required,
            found=part.id in members,
            paragraphs=[p.index for p in members.get(part.id, [])],
        )
        for part in framework.parts
    ]
    text = "\n".join(p.text for p in structure.paragraphs)
    return Analysis(
        framework=framework.id,
        framework_reason=reason,
        metadata=Metadata(
            title=meta.title,
            recipient=meta.recipient,
            issuer=meta.issuer,
            date=meta.date,
            doc_numbers=meta.doc_numbers,
            year=meta.year,
        ),
        sections=sections,
        parts=parts,
        paragraphs=paragraphs,
        source=Source(
            name=document.name,
            format=document.source_format,
            encoding=document.encoding,
            converted_traditional=document.converted_traditional,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            chars=len(text),
        ),
        version=__version__,
    )


def _section_result(section, members: list[ParagraphResult], body_chars: int) -> SectionResult:
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
    )
