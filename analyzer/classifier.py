"""The trained section classifier: paragraph features → label probabilities.

Features come from the structure and the tokens the segmenter attached once per document (no
re-segmentation): the paragraph's words and characters, its governing headings, its neighbours,
and its position. One model is trained on every label of every framework; at prediction time the
probabilities are folded into the label space asked for (e.g. P2 counts for S1 when a report is
read with fzzf-2015), so a model trained on one era's reports helps with the other's.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from .frameworks import load_framework
from .headings import strip_marker
from .structure import Structure

_BUCKETS = 10


def paragraph_items(structure: Structure) -> list[dict]:
    """One feature dict per paragraph: words, text, heading words, neighbour words, position."""
    paragraphs = structure.paragraphs
    n = len(paragraphs)
    items = []
    for i, p in enumerate(paragraphs):
        chain, index = [], p.heading
        while index is not None:
            chain.append(strip_marker(paragraphs[index].text))
            index = paragraphs[index].heading
        words = [w for w, _, _ in p.tokens if w.strip()]
        context = [w for q in paragraphs[max(0, i - 1) : i] + paragraphs[i + 1 : i + 2] for w, _, _ in q.tokens if w.strip()]
        position = [f"pos{min(_BUCKETS - 1, i * _BUCKETS // max(1, n))}", "heading" if p.is_heading else "body"]
        position += ["first3"] if i < 3 else []
        position += ["last3"] if i >= n - 3 else []
        position += [f"len{min(5, len(p.text) // 60)}"]
        items.append(
            {
                "words": words,
                "text": p.text,
                "heading": " ".join(chain),
                "lead": p.lead or "",
                "context": context,
                "position": position,
            }
        )
    return items


# Module-level functions (not lambdas or bound methods) so that pickled models load anywhere.
def words_of(item: dict) -> list[str]:
    return _with_bigrams(item["words"])


def context_of(item: dict) -> list[str]:
    return item["context"]


def position_of(item: dict) -> list[str]:
    return item["position"]


def _with_bigrams(words: list[str]) -> list[str]:
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


class FieldText(BaseEstimator, TransformerMixin):
    """Select one string field of the feature dicts (for character n-gram vectorizers)."""

    def __init__(self, field: str = "text"):
        self.field = field

    def fit(self, items, y=None):
        return self

    def transform(self, items):
        return [item[self.field] for item in items]


def heading_text(item: dict) -> str:
    return f"{item['heading']} {item['lead']}".strip()


class HeadingText(BaseEstimator, TransformerMixin):
    def fit(self, items, y=None):
        return self

    def transform(self, items):
        return [heading_text(item) for item in items]


def build_features() -> FeatureUnion:
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer=words_of, sublinear_tf=True, min_df=2)),
            ("chars", make_pipeline(FieldText("text"), TfidfVectorizer(analyzer="char", ngram_range=(2, 3),
                                                                      sublinear_tf=True, min_df=2, max_features=60000))),
            ("heading", make_pipeline(HeadingText(), TfidfVectorizer(analyzer="char", ngram_range=(2, 3),
                                                                    sublinear_tf=True, min_df=2))),
            ("context", TfidfVectorizer(analyzer=context_of, sublinear_tf=True, min_df=2)),
            ("position", TfidfVectorizer(analyzer=position_of, use_idf=False, norm=None)),
        ],
        transformer_weights={"words": 1.0, "chars": 1.0, "heading": 1.0, "context": 0.5, "position": 0.5},
    )


class SectionClassifier(BaseEstimator):
    """TF-IDF word and character n-grams + logistic regression, with a learned sequence prior.

    ``fit`` takes structures (tokens attached) and their paragraph labels. Learned state:
    ``classes_``, ``pipeline_``, ``stay_`` (how often a body paragraph keeps the previous label).
    """

    def __init__(self, *, C: float = 8.0, max_iter: int = 2000):
        self.C = C
        self.max_iter = max_iter

    def fit(self, structures: list[Structure], labels: list[list[str]]) -> SectionClassifier:
        items = [item for s in structures for item in paragraph_items(s)]
        y = [label for row in labels for label in row]
        self.pipeline_ = make_pipeline(
            build_features(),
            LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight="balanced"),
        )
        self.pipeline_.fit(items, y)
        _compact(self.pipeline_)
        self.classes_ = list(self.pipeline_.classes_)
        self.stay_ = stay_probability(structures, labels)
        return self

    def predict_proba(self, structure: Structure) -> np.ndarray:
        return self.pipeline_.predict_proba(paragraph_items(structure))

    def score(self, structure: Structure, labels: list[str]) -> list[dict[str, float]]:
        """Probabilities folded into ``labels`` (the ParagraphScorer protocol of ``sections``)."""
        return fold_probabilities(self.predict_proba(structure), self.classes_, labels)


def _compact(pipeline) -> None:
    """Shrink the fitted pipeline for shipping: drop the vectorizers' record of pruned terms
    (``stop_words_``, only kept for introspection) and store coefficients as float32."""
    for vectorizer in _vectorizers(pipeline):
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_
    model = pipeline.steps[-1][1]
    model.coef_ = model.coef_.astype(np.float32)
    model.intercept_ = model.intercept_.astype(np.float32)


def _vectorizers(estimator):
    if isinstance(estimator, TfidfVectorizer):
        yield estimator
    for _, child in getattr(estimator, "steps", []) + getattr(estimator, "transformer_list", []):
        yield from _vectorizers(child)


def stay_probability(structures: list[Structure], labels: list[list[str]]) -> float:
    """Share of consecutive body paragraphs that keep the previous paragraph's label (smoothed)."""
    same = total = 0
    for structure, row in zip(structures, labels):
        body = [label for p, label in zip(structure.paragraphs, row) if not p.is_heading and label != "META"]
        same += sum(a == b for a, b in zip(body, body[1:]))
        total += max(0, len(body) - 1)
    return (same + 1) / (total + 2)


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


def save_model(model, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_model(path: Path):
    with open(path, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own artefact, built by `govreport train`
