"""Where the rjieba and jieba backends cut differently, and how to compare them anyway.

Both backends run the same algorithm (dictionary DAG + HMM for unknown words) on the same
dictionary and user dictionary, so on Chinese text they give the same tokens. The known
differences, all found by comparing the backends over the corpus and over random mixed text:

1. **Joined ASCII runs** (normalised). rjieba keeps a run of letters and digits joined by ``-``,
   ``_`` or ``.`` as one token; jieba's HMM step splits it with its ``re_skip`` rule
   (``[a-zA-Z0-9]+(?:\\.\\d+)?%?``): ``2015-2020`` → ``2015 | - | 2020``, ``COVID-19`` →
   ``COVID | - | 19``, ``1.2.3`` → ``1.2 | . | 3``, ``1.5-2.5%`` → ``1.5 | - | 2.5%``. A plain
   decimal (``6.5%``, ``2.0``) is one token in both. This is the only kind the corpus shows.
2. **Han characters outside jieba's range** U+4E00–U+9FD5 (normalised): extension A (U+3400…),
   U+9FD6–U+9FFF, compatibility ideographs (U+F900…) and the supplementary-plane extensions.
   jieba treats each as a lone symbol; rjieba counts them as Han and may glue them to a
   neighbouring symbol or to each other (``㐀_`` vs ``㐀 | _``).
3. **The Han run around such a character** (not normalised). Because jieba breaks the run at
   the rare character, the HMM sees shorter runs and may cut the common characters next to it
   differently (``人子𪜀`` → rjieba ``人子``, jieba ``人 | 子``). No token rule can undo that;
   ``outside_jieba_han`` finds the characters that can cause it.

``normalize`` rewrites a token sequence into the jieba form of kinds 1 and 2, keeping character
offsets, so that ``normalize(rjieba) == normalize(jieba)`` wherever kind 3 does not occur.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from analyzer.text.segment import Token

# Kind 1: a token that is a joined ASCII run, and jieba's own rule for splitting one.
JOINED_ASCII = re.compile(r"[A-Za-z0-9]+(?:[._\-][A-Za-z0-9]+)+%?")
JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")

# Kind 2: Han characters that rjieba's Han class covers and jieba's (U+4E00–U+9FD5) does not.
OUTSIDE_JIEBA_HAN = re.compile(
    "([\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U0002f800-\U0002fa1f])"
)


@dataclass(frozen=True)
class Difference:
    """One place where the two backends' raw token sequences differ."""

    rjieba: tuple[str, ...]
    jieba: tuple[str, ...]
    start: int  # character offset in the text


def normalize(tokens: Iterable[Token]) -> list[Token]:
    """Tokens in jieba's form for the normalised kinds of difference, offsets kept."""
    out: list[Token] = []
    for word, start, _ in tokens:
        for piece, offset in _pieces(word, OUTSIDE_JIEBA_HAN):
            if JOINED_ASCII.fullmatch(piece):
                out.extend((part, start + offset + at, start + offset + at + len(part))
                           for part, at in _pieces(piece, JIEBA_SKIP))
            else:
                out.append((piece, start + offset, start + offset + len(piece)))
    return out


def normalize_words(words: Iterable[str]) -> list[str]:
    """``normalize`` for bare words (offsets are reconstructed, so words must be contiguous)."""
    tokens, start = [], 0
    for word in words:
        tokens.append((word, start, start + len(word)))
        start += len(word)
    return [word for word, _, _ in normalize(tokens)]


def differences(rjieba: Sequence[Token], jieba: Sequence[Token]) -> list[Difference]:
    """Every stretch where the raw token sequences of the two backends disagree."""
    a = [w for w, _, _ in rjieba]
    b = [w for w, _, _ in jieba]
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [
        Difference(tuple(a[i1:i2]), tuple(b[j1:j2]), rjieba[i1][1] if i1 < len(rjieba) else jieba[j1][1])
        for tag, i1, i2, j1, j2 in opcodes
        if tag != "equal"
    ]


def outside_jieba_han(text: str) -> set[str]:
    """Characters of ``text`` that jieba does not treat as Han (the source of kinds 2 and 3)."""
    return set(OUTSIDE_JIEBA_HAN.findall(text))


def _pieces(word: str, splitter: re.Pattern[str]) -> list[tuple[str, int]]:
    """Non-empty parts of ``word`` split by a capturing pattern, with their offsets in ``word``."""
    if not splitter.search(word):
        return [(word, 0)]
    out, at = [], 0
    for part in splitter.split(word):
        if part:
            out.append((part, at))
        at += len(part)
    return out
