"""Exemplar passages for suggestions: the most specific corpus paragraphs for a section,
element or report part, cited by corpus id. Never a figure for the user's own report."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .specificity import figures, sentence_specificity
from .structure import split_sentences

LABELS = Path(
    os.environ.get("GOVREPORT_EXEMPLARS", Path(__file__).resolve().parent.parent / "corpora" / "labels.jsonl")
)
MAX_CHARS = 320


@dataclass(frozen=True)
class Exemplar:
    corpus_id: str
    paragraph: int
    text: str
    specificity: float
    figures: int

    def as_dict(self) -> dict:
        return {"corpus_id": self.corpus_id, "paragraph": self.paragraph, "text": self.text,
                "specificity": round(self.specificity, 2)}


class ExemplarIndex:
    """Corpus paragraphs by section label and by element id, best first."""

    def __init__(self, rows: list[dict]):
        self.by_key: dict[str, list[Exemplar]] = {}
        for row in rows:
            if row.get("is_heading") or row.get("boilerplate") or row["label"] in ("META", "OTHER", "INTRO"):
                continue
            text = row["text"]
            sentences = [text[s:e] for s, e in split_sentences(text)]
            item = Exemplar(row["id"], row["para"], text[:MAX_CHARS], sentence_specificity(sentences),
                            len(figures(text)))
            for key in [row["label"], *row.get("elements", [])]:
                self.by_key.setdefault(key, []).append(item)
        for items in self.by_key.values():
            items.sort(key=lambda e: (-e.specificity, -e.figures, e.corpus_id, e.paragraph))

    def best(self, key: str, *, n: int = 3, exclude_texts: frozenset[str] = frozenset()) -> list[Exemplar]:
        """Up to ``n`` exemplars for ``key``, from different reports."""
        out, seen = [], set()
        for item in self.by_key.get(key, []):
            if item.corpus_id in seen or item.text in exclude_texts:
                continue
            out.append(item)
            seen.add(item.corpus_id)
            if len(out) == n:
                break
        return out


@lru_cache(maxsize=1)
def default_index() -> ExemplarIndex:
    if not LABELS.exists():
        return ExemplarIndex([])
    with open(LABELS, encoding="utf-8") as fh:
        return ExemplarIndex([json.loads(line) for line in fh if line.strip()])
