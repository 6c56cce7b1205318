"""Chinese labels, status colours and badges shared by every page.

Wordings come from the message catalogue (``analyzer.messages``). Status is shown as a coloured text
label (已覆盖 / 单薄 / 缺失, 已见 / 未见), never by an emoji: office PCs and CI images often have no
emoji font, and the marks then render as identical boxes.
"""

from __future__ import annotations

from html import escape

from analyzer.messages import group
from analyzer.result import SEVERITIES

STATUS_ZH: dict[str, str] = dict(group("status"))
SEVERITY_ZH: dict[str, str] = dict(group("severity"))
KIND_ZH: dict[str, str] = dict(group("kind"))
PART_ZH: dict[str, str] = dict(group("part"))
PART_STATUS_ZH: dict[str, str] = dict(group("part_status"))
ELEMENT_ZH: dict[str, str] = dict(group("element"))
SEVERITY_ORDER = SEVERITIES  # most severe first, as the analysis lists findings

STATUS_COLOUR = {"covered": "#2e7d32", "thin": "#b26a00", "missing": "#c62828"}
SEVERITY_COLOUR = {"high": "#c62828", "medium": "#b26a00", "low": "#1565c0"}
PART_STATUS_COLOUR = {"present": "#2e7d32", "in_passing": "#b26a00", "missing": "#c62828",
                      "optional_absent": "#757575"}
ELEMENT_COLOUR = {"found": "#2e7d32", "missing": "#c62828"}
# Streamlit's named colours for Markdown badges in widget labels (``:green-badge[已覆盖]``).
STATUS_BADGE = {"covered": "green", "thin": "orange", "missing": "red"}
SEVERITY_BADGE = {"high": "red", "medium": "orange", "low": "blue"}
PART_STATUS_BADGE = {"present": "green", "in_passing": "orange", "missing": "red", "optional_absent": "gray"}

# Section colours: distinct hues that stay clear of the yellow (boilerplate) and red (copied) highlights
# and of the amber/red status colours; parts get greys.
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


def badge(text: str, colour: str) -> str:
    """A coloured text label as HTML: the word carries the meaning, the colour only helps."""
    return (f'<span class="gr-badge" style="color:{escape(colour)};border-color:{escape(colour)}">'
            f"{escape(text)}</span>")


def md_badge(text: str, colour: str) -> str:
    """A coloured text label in Streamlit Markdown (widget labels, captions); ``text`` must be plain words."""
    return f":{colour}-badge[{text}]"
