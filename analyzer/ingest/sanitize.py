"""Characters that must never travel from a report to a terminal, a file or a screen.

A report may carry terminal control sequences (ESC[2J clears the screen, OSC 8 makes a disguised
link, U+009B is a one-character CSI), NUL, and bidirectional overrides or isolates (U+202E shows
a name backwards): none belongs in a Chinese government report, and each can spoof or damage
what a reviewer sees. Ingestion removes them (``strip_controls``, counted in
``source.removed_controls``); outputs that show other untrusted text, such as a file name, make
them visible instead (``visible``).
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls; bidi embeddings, overrides, isolates and marks.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(paragraphs: list[str]) -> tuple[list[str], int]:
    """The paragraphs without control and bidi-override characters, and how many were removed."""
    removed = 0
    cleaned = []
    for paragraph in paragraphs:
        kept, count = CONTROL_CHARS.subn("", paragraph)
        removed += count
        cleaned.append(kept)
    return cleaned, removed


def visible(text: str) -> str:
    """``text`` with each control or bidi character shown as an escape (``\\x1b``, ``\\u202e``), so that a
    file name can be printed or written without acting on the terminal or the reader."""
    return CONTROL_CHARS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
