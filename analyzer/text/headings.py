"""Heading markers of Chinese official documents (GB/T 9704-2012 §7.3.3 and common practice).

Levels: ``第一部分`` (0), ``一、`` (1), ``(一)`` (2), ``1.``/``1、`` (3), ``(1)`` (4), ``①`` (5).
Text is width-normalised before matching, so full-width brackets need no pattern of their own.
Web pages and converted files often garble the punctuation after a marker (``一,、``, ``一、、``,
``(一),``); ``clean_marker`` restores the standard form, and ingestion applies it to every paragraph.
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
# Garbled marker punctuation: a run of separators where the standard has one 、 (or none after a bracket).
# Only before a Chinese character or an opening quote, so that "一,二季度" or "1,200" stay as they are.
_TEXT_AHEAD = rf"(?=\s*[\u4e00-\u9fff“《])(?![{NUMERALS}])"
_GARBLED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^(\s*[{NUMERALS}]{{1,3}})\s*(?:[,,.．]\s*[、,,.．]*|、\s*[、,,.．]+){_TEXT_AHEAD}"), r"\1、"),
    (re.compile(rf"^(\s*\(\s*[{NUMERALS}]{{1,3}}\s*\))\s*[,,.．、]+{_TEXT_AHEAD}"), r"\1"),
    (re.compile(rf"^(\s*\d{{1,2}})\s*(?:[,,]\s*、[、,,.．]*|、\s*[、,,.．]+){_TEXT_AHEAD}"), r"\1、"),
    (re.compile(rf"^(\s*\(\s*\d{{1,2}}\s*\))\s*[,,.．、]+{_TEXT_AHEAD}"), r"\1"),
)
INLINE_ENUM = re.compile(rf"(?:^|(?<=[。;;,,:]))\s*(?:[{NUMERALS}]是|第[{NUMERALS}],|首先|其次|再次|最后)")


# Characters a marker can open with after white space: 第, a numeral, a bracket, a circled number
# (digits are told by ``str.isdecimal``, what the patterns' ``\d`` matches).
_MARKER_FIRST = frozenset("第(" + NUMERALS + "".join(map(chr, range(ord("①"), ord("⑳") + 1))))


def heading_marker(text: str) -> tuple[int, str] | None:
    """The level and marker text a line opens with, or None."""
    first = text.lstrip()[:1]  # most lines open with none: one set test instead of six patterns
    if first not in _MARKER_FIRST and not first.isdecimal():
        return None
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


def clean_marker(text: str) -> str:
    """The line with a garbled heading marker in its standard form: ``一,、`` / ``一、、`` / ``一,`` /
    ``一.`` → ``一、``, ``(一),`` → ``(一)``, ``1,、`` → ``1、``, ``(1)、`` → ``(1)``. Other lines are returned unchanged."""
    if not text or not (text.lstrip()[:1] in NUMERALS or text.lstrip()[:1] in "(0123456789"):
        return text  # the common case: the line opens with no marker at all
    for pattern, replacement in _GARBLED:
        found = pattern.match(text)  # anchored: tried at the start only (``subn`` would try every position)
        if found:
            return found.expand(replacement) + text[found.end():]
    return text
