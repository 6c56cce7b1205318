"""Pick the framework a report follows, and say why.

``fzzf-2015`` covers report years 2016–2020, ``fzzf-2021`` 2021–2025; a report laid out in the
2019 rules' required parts (举措和成效 / 不足 / 第一责任人 / 下一年度安排) is read with ``duc-2019``.
Without a year, headings decide: the outline whose section names they match more often.
"""

from __future__ import annotations

from .frameworks import load_framework
from .sections import CLEAR_HEADING, heading_matcher
from .structure import Structure

DUC_PARTS_NEEDED = 3  # of the four required parts named as level-1 headings


def detect_framework(structure: Structure) -> tuple[str, str]:
    """The framework id and a one-sentence reason (in Chinese: it is shown to the report's authors)."""
    top = [p.text for p in structure.headings if p.level is not None and p.level <= 1]
    duc = heading_matcher(load_framework("duc-2019"))
    duc_hits = {m[0] for m in map(duc.match, top) if m and m[1] >= CLEAR_HEADING}
    duc_hits &= {"R1", "R3", "NEXT", "PROBLEMS"}
    if len(duc_hits) >= DUC_PARTS_NEEDED and duc_hits & {"R1", "R3"}:
        names = ", ".join(sorted(duc_hits))
        return "duc-2019", f"一级标题对应2019年督察规定要求的报告内容({names})"
    year = structure.metadata.year
    if year is not None and 2016 <= year <= 2020:
        return "fzzf-2015", f"报告年度为{year}年,属于2015—2020年纲要期间"
    if year is not None and 2021 <= year <= 2025:
        return "fzzf-2021", f"报告年度为{year}年,属于2021—2025年纲要期间"
    counts = {}
    for framework_id in ("fzzf-2015", "fzzf-2021"):
        framework = load_framework(framework_id)
        matcher = heading_matcher(framework)
        matches = [matcher.match(p.text) for p in structure.headings]
        counts[framework_id] = sum(
            1 for m in matches if m and m[1] >= CLEAR_HEADING and m[0] in framework.section_ids
        )
    best = max(counts, key=lambda k: (counts[k], k == "fzzf-2015"))
    note = "未识别出报告年度" if year is None else f"报告年度{year}年不在两部纲要期间内(可能适用新的纲要,请人工确认)"
    return best, f"{note};标题与{best}最为吻合({counts[best]}个部分标题)"
