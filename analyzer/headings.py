"""Heading markers of Chinese official documents (GB/T 9704-2012 §7.3.3 and common practice).

Levels: ``第一部分`` (0), ``一、`` (1), ``(一)`` (2), ``1.``/``1、`` (3), ``(1)`` (4), ``①`` (5).
Text is width-normalised before matching, so full-width brackets need no pattern of their own.
"""

from __future__ import annotations

import re

NUMERALS = "一二三四五六七八九十"
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^\s*第[{NUMERALS}]{{1,3}}部分")),
    (1, re.compile(rf"^\s*[{NUMERALS}]{{1,3}}\s*[、.]")),
    (2, re.compile(rf"^\s*\(\s*[{NUMERALS}]{{1,3}}\s*\)")),
    (3, re.compile(r"^\s*\d{1,2}\s*(?:[、]|\.(?!\d))")),
    (4, re.compile(r"^\s*\(\s*\d{1,2}\s*\)")),
    (5, re.compile(r"^\s*[①-⑳]")),
)
INLINE_ENUM = re.compile(rf"(?:^|(?<=[。;;,,:]))\s*(?:[{NUMERALS}]是|第[{NUMERALS}],|首先|其次|再次|最后)")


def heading_marker(text: str) -> tuple[int, str] | None:
    """The level and marker text a line opens with, or None."""
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            return level, match.group(0)
    return None


def starts_with_heading(text: str) -> bool:
    return heading_marker(text) is not None


def strip_marker(text: str) -> str:
    """The heading text without its numbering marker."""
    found = heading_marker(text)
    return text[len(found[1]) :].strip() if found else text.strip()
