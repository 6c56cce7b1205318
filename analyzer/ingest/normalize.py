"""Text normalisation applied to every ingested paragraph (documented in the README).

1. Full-width ASCII variants (U+FF01–FF5E) and small-form brackets become their ASCII forms, the
   ideographic space a plain space: ``（一）``, ``(一)`` and ``﹙一﹚`` read alike, ``２０１７`` is ``2017``.
   Chinese-only punctuation (。、《》“” …) is kept.
2. Traditional characters become simplified (OpenCC ``t2s``), only when the text holds traditional
   characters, so that simplified text is never touched.
3. Runs of white space inside a paragraph become one space; ends are stripped.
4. Invisible characters go: zero-width space (U+200B) and byte-order marks (U+FEFF). Lone
   surrogates, which no encoded file can hold but pasted text can, become U+FFFD.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xFE59: ord("("), 0xFE5A: ord(")"), 0xFE55: ord(":"), 0xFE50: ord(",")})
_WIDTH.update({0xFE54: ord(";"), 0xFE56: ord("?"), 0xFE57: ord("!"), 0x00A0: 0x20, 0x200B: None, 0xFEFF: None})
_WIDTH.update({c: 0xFFFD for c in range(0xD800, 0xE000)})
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Convert only when at least this many characters change: guards against rare one-off t2s variants.
_MIN_TRADITIONAL = 2


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: only documents that need it pay for it

    return opencc.OpenCC("t2s")


def normalize_width(text: str) -> str:
    """Map full-width and small-form variants to their ASCII forms."""
    return text.translate(_WIDTH)


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert traditional characters to simplified; say whether anything changed."""
    converted = _t2s().convert(text)
    if converted == text:  # the common case, decided in C
        return text, False
    changed = sum(a != b for a, b in zip(text, converted)) if len(converted) == len(text) else _MIN_TRADITIONAL
    if changed < _MIN_TRADITIONAL:
        return text, False
    return converted, True


def clean_paragraph(text: str) -> str:
    """Width-normalise one paragraph and fold its white space."""
    return _SPACES.sub(" ", normalize_width(text)).strip()


def normalize_paragraphs(paragraphs: list[str]) -> tuple[list[str], bool]:
    """Normalise every paragraph; drop empty ones; convert the whole document to simplified at once."""
    cleaned = [p for p in (clean_paragraph(p) for p in paragraphs) if p]
    joined, converted = to_simplified("\n".join(cleaned))
    return (joined.split("\n") if converted else cleaned), converted


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))
