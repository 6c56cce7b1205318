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

from .features import context_of, heading_text, paragraph_items, position_of, words_of
from .serving import fold_probabilities
from .structure import Structure


class FieldText(BaseEstimator, TransformerMixin):
    """Select one string field of the feature dicts (for character n-gram vectorizers)."""

    def __init__(self, field: str = "text"):
        self.field = field

    def fit(self, items, y=None):
        return self

    def transform(self, items):
        return [item[self.field] for item in items]


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


def to_compact(model: SectionClassifier):
    """The numpy-only serving form of a fitted classifier (same probabilities, no scikit-learn)."""
    from .serving import Block, CompactModel

    union, regression = model.pipeline_.steps[0][1], model.pipeline_.steps[-1][1]
    blocks, offset = [], 0
    for name, transformer in union.transformer_list:
        vectorizer = transformer.steps[-1][1] if hasattr(transformer, "steps") else transformer
        kind = {"chars": "chars:text", "heading": "chars:heading"}.get(name, name)
        idf = vectorizer.idf_.astype(np.float64) if vectorizer.use_idf else None
        vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        blocks.append(Block(name, kind, vocabulary, idf, vectorizer.sublinear_tf, vectorizer.norm == "l2",
                            float(union.transformer_weights[name]), tuple(vectorizer.ngram_range), offset))
        offset += len(vocabulary)
    return CompactModel(blocks, regression.coef_.astype(np.float32), regression.intercept_.astype(np.float32),
                        list(model.classes_), model.stay_)


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


def save_model(model, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_model(path: Path):
    with open(path, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own artefact, built by `govreport train`
