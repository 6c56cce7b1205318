"""The analysis result: one pydantic model, the stable JSON shape every consumer reads.

Field names here are a public contract (app, batch store, tests, outside users): fields may be
added, never renamed or removed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

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


class Metadata(BaseModel):
    title: str | None = None
    recipient: str | None = None
    issuer: str | None = None
    date: str | None = None
    doc_numbers: list[str] = Field(default_factory=list)
    year: int | None = None


class ElementResult(BaseModel):
    id: str
    name: str
    found: bool
    evidence: list[dict] = Field(default_factory=list)  # {"paragraph": i, "sentence": text, "term": matched}


class SectionResult(BaseModel):
    id: str
    name: str
    status: SectionStatus
    paragraphs: list[int]
    share: float
    chars: int = 0
    heading: int | None = None  # index of the heading paragraph that names the section, if any
    elements: list[ElementResult] = Field(default_factory=list)
    specificity: float | None = None
    boilerplate_ratio: float | None = None


class ParagraphResult(BaseModel):
    index: int
    text: str
    section: str
    is_heading: bool
    heading: int | None
    level: int | None = None
    topic: str | None = None  # label in the era outline, when the framework folds sections
    source: str = ""  # what decided the section: meta | heading | inherited | model | cues | default
    sentences: list[list[int]] = Field(default_factory=list)
    boilerplate: list[list[int]] = Field(default_factory=list)  # [start, end] of formulaic sentences
    copied: list[list[int]] = Field(default_factory=list)  # [start, end] of spans found in another report
    specificity: float = 0.0  # share of the paragraph's sentences that carry a concrete fact


class Finding(BaseModel):
    kind: FindingKind
    severity: Severity
    location: list[int] | Literal["whole report"]
    message: str
    evidence: list[str] = Field(default_factory=list)
    rule: str
    section: str | None = None
    suggestion: dict | None = None


class PartResult(BaseModel):
    id: str
    name: str
    required: bool
    found: bool
    paragraphs: list[int] = Field(default_factory=list)


class Source(BaseModel):
    name: str | None = None
    format: str
    encoding: str | None = None
    converted_traditional: bool = False
    sha256: str
    chars: int


class Analysis(BaseModel):
    framework: str
    framework_reason: str = ""
    metadata: Metadata
    sections: list[SectionResult]
    parts: list[PartResult] = Field(default_factory=list)
    paragraphs: list[ParagraphResult]
    findings: list[Finding] = Field(default_factory=list)
    stats: dict = Field(default_factory=dict)
    # stats keys: sections_covered, sections_total, elements_found, elements_total, boilerplate_ratio,
    # figures_per_1000, specific_sentence_share, copied_share (None until compared), chars
    source: Source
    version: str = ""

    def section(self, section_id: str) -> SectionResult:
        return next(s for s in self.sections if s.id == section_id)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)
