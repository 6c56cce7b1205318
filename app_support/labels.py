"""Chinese labels, status marks and colours shared by every page."""

from __future__ import annotations

STATUS_ZH = {"covered": "已覆盖", "thin": "单薄", "missing": "缺失"}
STATUS_MARK = {"covered": "🟢", "thin": "🟡", "missing": "🔴"}
STATUS_COLOUR = {"covered": "#2e7d32", "thin": "#f9a825", "missing": "#c62828"}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
SEVERITY_MARK = {"high": "🔴", "medium": "🟠", "low": "🔵"}
SEVERITY_ORDER = ("high", "medium", "low")
KIND_ZH = {
    "missing_section": "缺少部分",
    "thin_section": "部分单薄",
    "missing_element": "缺少要素",
    "missing_part": "缺少必备内容",
    "missing_metadata": "缺少文头信息",
    "boilerplate": "套话",
    "copied": "照抄",
}
# Parts outside the framework's sections, the same ids in every framework.
PART_ZH = {"INTRO": "前言/总体", "PROBLEMS": "问题不足", "NEXT": "下一步", "META": "文头落款", "OTHER": "其他"}
# Section colours: distinct hues that stay clear of the yellow (boilerplate) and red (copied) highlights
# and of the amber/red status marks; parts get greys.
SECTION_PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#8c564b", "#e377c2", "#0b5394", "#38761d",
                   "#674ea7", "#00838f", "#6d4c41", "#ad1457")
PART_COLOUR = {"INTRO": "#78909c", "PROBLEMS": "#8d6e63", "NEXT": "#5c6bc0", "META": "#b0bec5", "OTHER": "#cfd8dc"}


def section_colours(section_ids: list[str]) -> dict[str, str]:
    """A colour per section id (in framework order) and per shared part id."""
    colours = {sid: SECTION_PALETTE[i % len(SECTION_PALETTE)] for i, sid in enumerate(section_ids)}
    return {**PART_COLOUR, **colours}


def percent(value: float | None, *, digits: int = 1) -> str:
    """A share as a percentage, or a dash when the analyzer did not report it."""
    return "—" if value is None else f"{value:.{digits}%}"
