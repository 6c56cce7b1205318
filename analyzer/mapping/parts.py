"""The report's parts: which part of its layout each paragraph belongs to, and whether each
required part is there.

The parts come from the report rule of the report's year (the 2019 督察规定's contents: measures
and results, shortcomings and causes, the first responsible person's duties, next year's plan,
other matters) or, before it, from the outline file's own parts. A paragraph's part is decided,
strongest first, by a heading above it that names a part; by its opening phrase (``lead``: a
paragraph that opens on the 第一责任人 duties is that part's, wherever it stands); by a heading that
names the part holding the outline's tasks; by its outline label (PROBLEMS, NEXT, META, or any
outline section for the part that holds them).
"""

from __future__ import annotations

from analyzer.doc import Doc, PartStatus
from analyzer.frameworks import Framework, Part
from analyzer.mapping.sections import GENERIC_PARTS, heading_cores, heading_matcher
from analyzer.text.headings import strip_marker

LEAD_WINDOW = 24  # characters at a paragraph's start in which a part's lead phrase counts


def assign_parts(structure: Doc, labels: list[str], framework: Framework) -> list[str | None]:
    """One part id (or None) per paragraph; ``labels`` are the paragraphs' outline labels and
    ``framework`` the file whose ``parts`` the report must have."""
    parts = {p.id: p for p in framework.parts}
    holder = next((p.id for p in framework.parts if p.sections), None)
    by_label = {label: p.id for p in framework.parts for label in p.label_set}
    named = _named_by_headings(structure, framework, parts)
    out: list[str | None] = []
    for p, label in zip(structure.paragraphs, labels):
        heading_part = named.get(p.index) if p.is_heading else _chain_part(structure, p.index, named)
        if heading_part is not None and heading_part != holder:
            out.append(heading_part)
            continue
        lead = None if label == "META" else _lead_part(p.text, framework.parts)
        if lead is not None:
            out.append(lead)
        elif heading_part is not None:
            out.append(heading_part)
        else:
            out.append(by_label.get(label, holder))  # an outline section's paragraph: the part holding them
    return out


def part_statuses(structure: Doc, framework: Framework, assigned: list[str | None]) -> list[PartStatus]:
    """Each part with its status; a part the file marks optional is never missing."""
    out = []
    for part in framework.parts:
        members = [i for i, a in enumerate(assigned) if a == part.id]
        body = [i for i in members if not structure.paragraphs[i].is_heading]
        required = part.required
        if body:
            status, passing = "present", None
        else:
            passing = _passing_mention(structure, part, assigned)
            if passing is not None:
                status = "in_passing"
            else:
                status = "missing" if required else "optional_absent"
        out.append(PartStatus(part=part, required=required, status=status, paragraphs=members, passing=passing))
    return out


def _named_by_headings(structure: Doc, framework: Framework, parts: dict[str, Part]) -> dict[int, str]:
    """Heading index → the part it names clearly (generic preface headings name none)."""
    matcher = heading_matcher(framework)
    cores = heading_cores(structure)
    named = {}
    for p in structure.headings:
        found = matcher.match_core(cores[p.index])
        if found and found[0] in parts and found[0] not in GENERIC_PARTS:
            named[p.index] = found[0]
    return named


def _chain_part(structure: Doc, index: int, named: dict[int, str]) -> str | None:
    """The part named by the nearest heading above the paragraph that names one."""
    heading = structure.paragraphs[index].heading
    while heading is not None:
        if heading in named:
            return named[heading]
        heading = structure.paragraphs[heading].heading
    return None


def _lead_part(text: str, parts: list[Part]) -> str | None:
    opening = strip_marker(text)[:LEAD_WINDOW]
    for part in parts:
        if any(phrase in opening for phrase in part.lead):
            return part.id
    return None


def _passing_mention(structure: Doc, part: Part, assigned: list[str | None]) -> int | None:
    """The first body paragraph of another part that names the part's subject."""
    if not part.mentions:
        return None
    for p in structure.paragraphs:
        if p.is_heading or assigned[p.index] in (part.id, "META"):
            continue
        if any(term in p.text for term in part.mentions):
            return p.index
    return None
