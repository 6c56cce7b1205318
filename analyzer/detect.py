"""Pick the framework a report follows, and say why.

``fzzf-2015`` covers report years 2016–2020, ``fzzf-2021`` 2021–2025; a report laid out in the
2019 rules' required parts (举措和成效 / 不足 / 第一责任人 / 下一年度安排) is read with ``duc-2019``.
Without a year, headings decide: the outline whose section names they match more often.
"""

from __future__ import annotations

from .frameworks import load_framework
from .sections import CLEAR_HEADING, HeadingMatcher
from .structure import Structure

DUC_PARTS_NEEDED = 3  # of the four required parts named as level-1 headings


def detect_framework(structure: Structure) -> tuple[str, str]:
    """The framework id and a one-sentence reason."""
    top = [p.text for p in structure.headings if p.level is not None and p.level <= 1]
    duc = HeadingMatcher(load_framework("duc-2019"))
    duc_hits = {m[0] for m in map(duc.match, top) if m and m[1] >= CLEAR_HEADING}
    duc_hits &= {"R1", "R3", "NEXT", "PROBLEMS"}
    if len(duc_hits) >= DUC_PARTS_NEEDED and duc_hits & {"R1", "R3"}:
        names = ", ".join(sorted(duc_hits))
        return "duc-2019", f"the level-1 headings name the 2019 rules' required parts ({names})"
    year = structure.metadata.year
    if year is not None and 2016 <= year <= 2020:
        return "fzzf-2015", f"the report covers {year}, inside the 2015–2020 outline's period"
    if year is not None and 2021 <= year <= 2025:
        return "fzzf-2021", f"the report covers {year}, inside the 2021–2025 outline's period"
    counts = {}
    for framework_id in ("fzzf-2015", "fzzf-2021"):
        framework = load_framework(framework_id)
        matcher = HeadingMatcher(framework)
        matches = [matcher.match(p.text) for p in structure.headings]
        counts[framework_id] = sum(
            1 for m in matches if m and m[1] >= CLEAR_HEADING and m[0] in framework.section_ids
        )
    best = max(counts, key=lambda k: (counts[k], k == "fzzf-2015"))
    note = "no year found" if year is None else f"the year {year} lies outside both outlines (a newer one may apply)"
    return best, f"{note}; its headings match {best} best ({counts[best]} section headings)"
