"""The analysis result: typed records (msgspec structs), the stable JSON shape every consumer reads.

Field names here are a public contract (app, batch store, tests, outside users): fields may be
added, never renamed or removed. msgspec rather than pydantic: the records are built by our own
code, not parsed from users, and defining them costs microseconds instead of the ~0.15 s pydantic
adds to every command-line run.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from msgspec import field

SectionStatus = Literal["covered", "thin", "missing"]
Severity = Literal["high", "medium", "low"]
FindingKind = Literal[
    "missing_section",
    "thin_section",
    "missing_element",
    "missing_part",
    "missing_metadata",
    "boilerplate",
    "copied",
]


class Record(msgspec.Struct, kw_only=True):
    """A result record: keyword construction, field order kept in the JSON."""

    def to_dict(self) -> dict:
        """The record as plain JSON-compatible values."""
        return msgspec.to_builtins(self)


class Metadata(Record, kw_only=True):
    title: str | None = None
    recipient: str | None = None
    issuer: str | None = None
    date: str | None = None
    doc_numbers: list[str] = field(default_factory=list)
    year: int | None = None


class ElementResult(Record, kw_only=True):
    id: str
    name: str
    found: bool
    evidence: list[dict] = field(default_factory=list)  # {"paragraph": i, "sentence": text, "term": matched}


class SectionResult(Record, kw_only=True):
    id: str
    name: str
    status: SectionStatus
    paragraphs: list[int]
    share: float
    chars: int = 0
    heading: int | None = None  # index of the heading paragraph that names the section, if any
    elements: list[ElementResult] = field(default_factory=list)
    specificity: float | None = None
    boilerplate_ratio: float | None = None


class ParagraphResult(Record, kw_only=True):
    index: int
    text: str
    section: str
    is_heading: bool
    heading: int | None
    level: int | None = None
    topic: str | None = None  # label in the era outline, when the framework folds sections
    source: str = ""  # what decided the section: meta | heading | inherited | content | model | cues | default
    heading_section: str | None = None  # the section the heading chain gives (body paragraphs), or null
    confidence: float = 1.0  # calibrated probability of ``section`` where the model chose it, else 1.0
    sentences: list[list[int]] = field(default_factory=list)
    boilerplate: list[list[int]] = field(default_factory=list)  # [start, end] of formulaic sentences
    copied: list[list[int]] = field(default_factory=list)  # [start, end] of spans found in another report
    specificity: float = 0.0  # share of the paragraph's sentences that carry a concrete fact

    def sentence_texts(self) -> list[str]:
        """The paragraph's sentences as text (the whole paragraph if it has no sentence spans)."""
        return [self.text[s:e] for s, e in self.sentences] or [self.text]


class Finding(Record, kw_only=True):
    kind: FindingKind
    severity: Severity
    location: list[int] | Literal["whole report"]
    message: str
    evidence: list[str] = field(default_factory=list)
    rule: str
    section: str | None = None
    suggestion: dict | None = None


class PartResult(Record, kw_only=True):
    id: str
    name: str
    required: bool
    found: bool
    paragraphs: list[int] = field(default_factory=list)


class Source(Record, kw_only=True):
    name: str | None = None
    format: str
    encoding: str | None = None
    converted_traditional: bool = False
    sha256: str
    chars: int


class Analysis(Record, kw_only=True):
    framework: str
    framework_reason: str = ""
    metadata: Metadata
    sections: list[SectionResult]
    parts: list[PartResult] = field(default_factory=list)
    paragraphs: list[ParagraphResult]
    findings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    # stats keys: sections_covered, sections_total, elements_found, elements_total, boilerplate_ratio,
    # figures_per_1000, specific_sentence_share, copied_share (None until compared), chars
    source: Source
    version: str = ""

    def section(self, section_id: str) -> SectionResult:
        return next(s for s in self.sections if s.id == section_id)

    def body(self) -> list[ParagraphResult]:
        """The paragraphs that carry the report's content: not headings, not title or signature (META)."""
        return [p for p in self.paragraphs if not p.is_heading and p.section != "META"]

    def to_json(self, *, indent: int | None = 2) -> str:
        """The result as JSON text (UTF-8 characters, not escapes); ``indent=None`` for one line."""
        raw = msgspec.json.encode(self)
        return (raw if indent is None else msgspec.json.format(raw, indent=indent)).decode("utf-8")

    @classmethod
    def from_json(cls, text: str | bytes) -> Analysis:
        """Read back a result written by ``to_json``; raises ``msgspec.ValidationError`` on another shape."""
        return msgspec.json.decode(text, type=cls)
