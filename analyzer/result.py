"""The analysis result: typed records (msgspec structs), the stable JSON shape every consumer reads.

Field names here are a public contract (app, batch store, tests, outside users): fields may be
added, never renamed or removed. msgspec rather than pydantic: the records are built by our own
code, not parsed from users, and defining them costs microseconds instead of the ~0.15 s pydantic
adds to every command-line run.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import field

SectionStatus = Literal["covered", "thin", "missing"]
Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[str, ...] = Severity.__args__  # most severe first: the order findings are listed in
FindingKind = Literal[  # the built-in checks' kinds (a registered check may add more)
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


class Metadata(Record, kw_only=True, dict=True):
    """The report's title, recipient, issuer, date, 文号 and covered year. While the report is worked on,
    ``meta_paragraphs`` (the indexes of the header and signature lines) is a working attribute set by
    ``text.structure``: undeclared, so never encoded (``dict=True`` allows it)."""

    title: str | None = None
    recipient: str | None = None
    issuer: str | None = None
    date: str | None = None
    doc_numbers: list[str] = field(default_factory=list)
    year: int | None = None
    doc_numbers_cited: list[str] = field(default_factory=list)  # 文号 cited in the text; doc_numbers: the report's own


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
    scale: str | None = None  # its place on the common S1..S7 scale (null for 2021 additions: P6, P9)
    elements: list[ElementResult] = field(default_factory=list)
    specificity: float | None = None
    boilerplate_ratio: float | None = None


class Paragraph(Record, kw_only=True, dict=True):
    """One paragraph: what the text stage parsed, the section and part the mapping gave it, the spans
    and figures the checks added. The same record is the working paragraph (``doc.Doc``) and the
    output's: the working attributes ``lead``, ``enumerations`` and ``tokens`` (set by ``text``) are
    undeclared, so they are never encoded and ``doc.render_analysis`` leaves them behind."""

    index: int
    text: str
    section: str  # "" until the mapping stage labels it
    is_heading: bool
    heading: int | None  # index of the governing heading paragraph
    level: int | None = None
    topic: str | None = None  # kept for readers of version 1: always null (``section`` is on the outline)
    part: str | None = None  # the report part (layout) the paragraph belongs to, e.g. R1, PROBLEMS, R3
    scale: str | None = None  # the section on the common S1..S7 scale (2021 additions keep their id: P6, P9)
    source: str = ""  # what decided the section: meta | heading | inherited | content | model | cues | container | default
    heading_section: str | None = None  # the section the heading chain gives (body paragraphs), or null
    confidence: float = 1.0  # calibrated probability of ``section`` where the model chose it, else 1.0
    sentences: list[list[int]] = field(default_factory=list)
    boilerplate: list[list[int]] = field(default_factory=list)  # [start, end] of formulaic sentences
    copied: list[list[int]] = field(default_factory=list)  # [start, end] of spans found in another report
    specificity: float = 0.0  # share of the paragraph's sentences that carry a concrete fact
    number: int = 0  # 1-based, as people count ("第3段"); ``index`` stays 0-based for code

    def __post_init__(self) -> None:
        if not self.number:  # filled from the index, so every builder and older JSON gets it
            self.number = self.index + 1

    def sentence_texts(self) -> list[str]:
        """The paragraph's sentences as text (the whole paragraph if it has no sentence spans)."""
        return [self.text[s:e] for s, e in self.sentences] or [self.text]


ParagraphResult = Paragraph  # the name readers of version 1 import


class Finding(Record, kw_only=True):
    # FindingKind for the built-in checks; a registered check may add its own (``govreport rules``)
    kind: Annotated[str, msgspec.Meta(pattern="^[a-z_]+$")]
    severity: Severity
    location: list[int] | Literal["whole report"]
    message: str
    evidence: list[str] = field(default_factory=list)
    rule: str  # its stable id: <check>.<sub-id> (outline.sections.thin; ``govreport rules`` lists them)
    section: str | None = None
    suggestion: dict | None = None
    check: str | None = None  # the registered check that produced it (``govreport rules``; --disable ID)
    element: str | None = None  # the outline element or the part's check it is about (its id in the framework)


PartStatus = Literal["present", "in_passing", "missing", "optional_absent"]


class PartResult(Record, kw_only=True):
    id: str
    name: str
    required: bool
    found: bool
    paragraphs: list[int] = field(default_factory=list)
    status: PartStatus = "present"
    required_reason: str = ""  # why the part is (or is not) required of this report
    passing: int | None = None  # with status in_passing: a paragraph that mentions the part's subject


class Choice(Record, kw_only=True):
    """What a report was checked against (an outline, a report rule or a layout) and why."""

    id: str
    name: str
    reason: str


class SkippedElement(Record, kw_only=True):
    """An outline element not asked of this issuer (a township makes no 规章)."""

    id: str
    name: str
    section: str
    reason: str


CopyKind = Literal["verbatim", "figures_changed", "near"]


class CopiedPassage(Record, kw_only=True):
    """One sentence of the later report found in the earlier one (``earlier_paragraph`` None when the
    earlier text has no paragraph numbering the reader can use)."""

    later_paragraph: int
    later_span: list[int]  # [start, end] of the sentence in that paragraph
    later: str
    earlier_paragraph: int | None
    earlier: str
    kind: CopyKind  # verbatim: same but for spaces/punctuation; figures_changed: only figures, years, dates, 文号
    similarity: float  # 3-gram Jaccard or containment of the normalised sentences (1.0 for the first two kinds)
    changed: list[list[int]] = field(default_factory=list)  # [start, end] spans in ``later`` that differ


class Copying(Record, kw_only=True):
    """How much of a report repeats an earlier one, counted in body sentences (no headings, no META)."""

    share: float  # copied body sentences / body sentences
    chars_share: float  # characters of copied body sentences / characters of body sentences
    sentences: int
    copied_sentences: int
    counts: dict[str, int] = field(default_factory=dict)  # per kind
    passages: list[CopiedPassage] = field(default_factory=list)


class Source(Record, kw_only=True):
    name: str | None = None
    format: str
    encoding: str | None = None
    converted_traditional: bool = False
    sha256: str
    chars: int
    removed_controls: int = 0  # control and bidi-override characters removed at ingestion


class Analysis(Record, kw_only=True):
    framework: str  # the outline's id (kept from version 1; same as ``outline.id``)
    framework_reason: str = ""
    metadata: Metadata
    sections: list[SectionResult]  # always the outline's sections
    parts: list[PartResult] = field(default_factory=list)  # the report parts of the year's rule (or outline)
    outline: Choice | None = None
    rule: Choice | None = None  # the report-content rule whose parts apply, if any
    layout: Choice | None = None
    elements_skipped: list[SkippedElement] = field(default_factory=list)
    paragraphs: list[Paragraph]
    findings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    # stats keys: sections_covered, sections_total, elements_found, elements_total, boilerplate_ratio,
    # figures_per_1000, specific_sentence_share, copied_share (share of body sentences; None until compared),
    # copied_chars_share, chars
    source: Source
    version: str = ""
    copying: Copying | None = None  # set when compared with an earlier report (``--previous``)

    def section(self, section_id: str) -> SectionResult:
        return next(s for s in self.sections if s.id == section_id)

    def body(self) -> list[Paragraph]:
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
