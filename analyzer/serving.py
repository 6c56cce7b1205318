"""Serving the section classifier without scikit-learn.

Training uses scikit-learn (``classifier``); serving only needs the fitted vocabularies, IDF
weights and logistic-regression coefficients. ``CompactModel`` recomputes the same TF-IDF features
with numpy and applies the same softmax, so a report is scored without importing scikit-learn or
SciPy (seconds of start-up on a 2-core machine). A test checks it agrees with the sklearn pipeline.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import paragraph_items, words_of
from .frameworks import load_framework
from .structure import Structure


@dataclass
class Block:
    """A fitted TF-IDF vectorizer over a paragraph's words and word bigrams (sublinear tf, l2 norm), as data."""

    name: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int = 0

    def features(self, item: dict) -> tuple[list[int], list[float]]:
        counts = Counter(t for t in words_of(item) if t in self.vocabulary)
        if not counts:
            return [], []
        index = [self.vocabulary[t] for t in counts]
        values = (np.log(np.array([float(c) for c in counts.values()])) + 1.0) * self.idf[index]
        values = values / (math.sqrt(float(values @ values)) or 1.0)
        return [self.offset + i for i in index], list(values)


class CompactModel:
    """Numpy-only scorer with the ``ParagraphScorer`` interface; learned state loaded from disk."""

    def __init__(self, blocks: list[Block], coef: np.ndarray, intercept: np.ndarray, classes: list[str], stay: float,
                 *, multilabel: bool = False):
        self.blocks = blocks
        self.coef_ = coef
        self.intercept_ = intercept
        self.classes_ = classes
        self.stay_ = stay
        self.multilabel = multilabel  # one sigmoid per class (elements) instead of one softmax (sections)

    def predict_proba(self, structure: Structure) -> np.ndarray:
        return self.predict_items(paragraph_items(structure))

    def predict_items(self, items: list[dict]) -> np.ndarray:
        scores = np.tile(self.intercept_, (len(items), 1)).astype(np.float64)
        for row, item in enumerate(items):
            index: list[int] = []
            values: list[float] = []
            for block in self.blocks:
                i, v = block.features(item)
                index += i
                values += v
            if index:
                scores[row] += self.coef_[:, index] @ np.asarray(values)
        if self.multilabel:
            return 1.0 / (1.0 + np.exp(-scores))
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def score(self, structure: Structure, labels: list[str]) -> list[dict[str, float]]:
        return fold_probabilities(self.predict_proba(structure), self.classes_, labels)

    def save(self, path: Path) -> None:
        """``path`` (.npz: coefficients, IDF arrays) and ``path`` with .json (vocabularies, classes)."""
        arrays = {"coef": self.coef_, "intercept": self.intercept_}
        meta = {"classes": self.classes_, "stay": self.stay_, "multilabel": self.multilabel, "blocks": []}
        for k, b in enumerate(self.blocks):
            arrays[f"idf{k}"] = b.idf.astype(np.float32)
            meta["blocks"].append({"name": b.name, "vocabulary": b.vocabulary, "offset": b.offset})
        np.savez_compressed(path, **arrays)
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CompactModel:
        arrays = np.load(path)
        meta = json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))
        blocks = [
            Block(b["name"], b["vocabulary"], arrays[f"idf{k}"].astype(np.float64), b["offset"])
            for k, b in enumerate(meta["blocks"])
        ]
        return cls(blocks, arrays["coef"], arrays["intercept"], meta["classes"], meta["stay"],
                   multilabel=meta.get("multilabel", False))


def _equivalents() -> dict[str, dict[str, list[str]]]:
    """For each target label space, which labels of other frameworks count towards each label."""
    f15, f21 = load_framework("fzzf-2015"), load_framework("fzzf-2021")
    to15: dict[str, list[str]] = {s: [s] for s in f15.section_ids}
    to21: dict[str, list[str]] = {p: [p] for p in f21.section_ids}
    for part in f21.sections:
        if part.scale:
            to15[part.scale].append(part.id)
            to21[part.id].append(part.scale)
    return {"S": to15, "P": to21}


_EQUIV: dict | None = None


def fold_probabilities(proba: np.ndarray, classes: list[str], labels: list[str]) -> list[dict[str, float]]:
    """Sum each target label's own probability and that of its equivalents in the other era.
    A 2015 section that maps onto two 2021 parts (S7 → P1, P10) is shared in proportion."""
    global _EQUIV
    if _EQUIV is None:
        _EQUIV = _equivalents()
    index = {c: i for i, c in enumerate(classes)}
    table = _EQUIV["P"] if any(label.startswith("P") and label[1:].isdigit() for label in labels) else _EQUIV["S"]
    sharers: dict[str, int] = {}
    for label in labels:
        for source in table.get(label, [label])[1:]:
            sharers[source] = sharers.get(source, 0) + 1
    out = []
    for row in proba:
        scores = {}
        for label in labels:
            value = row[index[label]] if label in index else 0.0
            for source in table.get(label, [label])[1:]:
                if source in index:
                    value += row[index[source]] / sharers[source]
            scores[label] = float(value)
        total = sum(scores.values()) or 1.0
        out.append({k: v / total for k, v in scores.items()})
    return out
