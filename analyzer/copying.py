"""Copied text: sentences of one report found (nearly) verbatim in another.

Two reports are compared sentence by sentence on character 5-gram shingles: a sentence is copied
when its shingles overlap an earlier sentence's by Jaccard >= 0.6, or are 80% contained in it
(a copied sentence with a changed year or figure still passes). For a corpus, ``CopyIndex`` finds
candidate reports with MinHash LSH (datasketch) before the exact comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ingest.normalize import normalize_width
from .structure import split_sentences

SHINGLE = 5
MIN_SENTENCE = 6  # shorter sentences (dates, signatures) say nothing about copying
JACCARD = 0.6
CONTAINMENT = 0.8
_IGNORED = re.compile(r"[\s,.:;!?、。:;,“”\"'()《》<>\[\]【】〔〕·—-]+")


@dataclass
class CopiedPassage:
    later_paragraph: int
    later: str
    earlier_paragraph: int
    earlier: str
    similarity: float
    span: tuple[int, int]  # character span of the sentence in the later paragraph


@dataclass
class CopyResult:
    share: float  # share of the later report's characters found in the earlier one
    passages: list[CopiedPassage] = field(default_factory=list)

    @property
    def pairs(self) -> list[tuple[int, int, float]]:
        return [(p.later_paragraph, p.earlier_paragraph, p.similarity) for p in self.passages]


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Character k-grams of the text without punctuation and white space (width-insensitive)."""
    core = _IGNORED.sub("", normalize_width(text))
    if len(core) < k:
        return {core} if core else set()
    return {core[i : i + k] for i in range(len(core) - k + 1)}


def _sentences(paragraphs: list[str]) -> list[tuple[int, tuple[int, int], str, set[str]]]:
    out = []
    for index, paragraph in enumerate(paragraphs):
        for start, end in split_sentences(paragraph):
            sentence = paragraph[start:end]
            if len(_IGNORED.sub("", normalize_width(sentence))) >= MIN_SENTENCE:
                out.append((index, (start, end), sentence, shingles(sentence)))
    return out


def compare_paragraphs(later: list[str], earlier: list[str], *, skip: set[int] | frozenset = frozenset()) -> CopyResult:
    """How much of ``later`` (paragraph texts) is copied from ``earlier``; ``skip`` holds later
    paragraph indexes not to count as copied (e.g. title and signature lines repeat every year)."""
    old = _sentences(earlier)
    postings: dict[str, list[int]] = {}
    for k, (_, _, _, sh) in enumerate(old):
        for s in sh:
            postings.setdefault(s, []).append(k)
    passages = []
    for index, span, sentence, sh in _sentences(later):
        if index in skip or not sh:
            continue
        overlap: dict[int, int] = {}
        for s in sh:
            for k in postings.get(s, ()):
                overlap[k] = overlap.get(k, 0) + 1
        best = None
        for k, shared in overlap.items():
            other = old[k][3]
            jaccard = shared / (len(sh) + len(other) - shared)
            containment = shared / len(sh)
            if jaccard >= JACCARD or containment >= CONTAINMENT:
                score = max(jaccard, containment)
                if best is None or score > best[1]:
                    best = (k, score)
        if best is not None:
            k, score = best
            passages.append(CopiedPassage(index, sentence, old[k][0], old[k][2], round(score, 3), span))
    total = sum(len(p) for p in later) or 1
    return CopyResult(share=sum(len(p.later) for p in passages) / total, passages=passages)


class CopyIndex:
    """MinHash LSH over whole reports, to find which stored reports a new one may copy from."""

    def __init__(self, *, threshold: float = 0.2, num_perm: int = 128):
        from datasketch import MinHashLSH

        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.paragraphs: dict[str, list[str]] = {}

    def _minhash(self, paragraphs: list[str]):
        from datasketch import MinHash

        mh = MinHash(num_perm=self.num_perm)
        for sh in shingles("".join(paragraphs)):
            mh.update(sh.encode("utf-8"))
        return mh

    def add(self, key: str, paragraphs: list[str]) -> None:
        self.lsh.insert(key, self._minhash(paragraphs))
        self.paragraphs[key] = paragraphs

    def candidates(self, paragraphs: list[str]) -> list[str]:
        return sorted(self.lsh.query(self._minhash(paragraphs)))

    def best_source(self, paragraphs: list[str], *, exclude: str | None = None) -> tuple[str, CopyResult] | None:
        """The stored report the given one copies most from, with the comparison."""
        results = [
            (key, compare_paragraphs(paragraphs, self.paragraphs[key]))
            for key in self.candidates(paragraphs)
            if key != exclude
        ]
        results = [r for r in results if r[1].passages]
        return max(results, key=lambda r: r[1].share) if results else None
