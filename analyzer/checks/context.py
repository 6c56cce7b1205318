"""What every registered check reads (one record built once per report by ``add_findings``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzer.checks.elements import Evidence
from analyzer.doc import Doc
from analyzer.frameworks import Framework


@dataclass(frozen=True)
class CheckContext:
    """What every check reads: the working document (paragraphs with their sections, parts and spans,
    metadata, the sections' coverage, the parts' statuses, the copying measured), the framework (the
    outline's sections and the parts the report must have), what the shared searches found, and the
    thresholds of the check that reads it (``params``: its declared defaults, or a house rule's values).
    There is no ``Analysis`` yet: it is rendered from the document after every check has run."""

    doc: Doc
    framework: Framework
    evidence: dict[str, list[Evidence]]
    mentions: dict[str, Evidence]
    flags: dict[int, list[tuple]]
    exclude: frozenset[str]
    params: Mapping[str, float] = field(default_factory=dict)
