"""What every registered check reads (one record built once per report by ``add_findings``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzer.checks.elements import Evidence
from analyzer.frameworks import Framework
from analyzer.mapping.parts import PartStatus
from analyzer.result import Analysis, Copying
from analyzer.text.structure import Structure


@dataclass(frozen=True)
class CheckContext:
    """What every check reads: the analysis so far, the parsed structure, the framework (the outline's
    sections and the parts the report must have), what the shared searches found, and the thresholds
    of the check that reads it (``params``: its declared defaults, or a house rule's values)."""

    analysis: Analysis
    structure: Structure
    framework: Framework
    evidence: dict[str, list[Evidence]]
    mentions: dict[str, Evidence]
    flags: dict[int, list[tuple]]
    exclude: frozenset[str]
    copy: Copying | None
    parts: list[PartStatus] | None
    params: Mapping[str, float] = field(default_factory=dict)
