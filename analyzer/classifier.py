"""The trained section classifier: paragraph features → label probabilities.

Features come from the structure and the tokens the segmenter attached once per document (no
re-segmentation): the paragraph's words and characters, its governing headings, its neighbours,
and its position. One model is trained on every label of every framework; at prediction time the
probabilities are folded into the label space asked for (e.g. P2 counts for S1 when a report is
read with fzzf-2015), so a model trained on one era's reports helps with the other's.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from .features import paragraph_items, words_of
from .serving import fold_probabilities
from .structure import Structure


def build_features() -> TfidfVectorizer:
    """Words and word bigrams of the paragraph, TF-IDF. Other blocks were tried under report-grouped
    CV and dropped because they lowered headings-stripped macro-F1 (all five blocks: 0.909; without
    neighbour words: 0.918; words alone: 0.954): character n-grams, heading characters and position
    tokens let the model memorise how the training reports are laid out, which unseen reports do not
    share. Headings still act through ``sections`` (they decide) and neighbours through Viterbi."""
    return TfidfVectorizer(analyzer=words_of, sublinear_tf=True, min_df=2)


class SectionClassifier(BaseEstimator):
    """TF-IDF word n-grams + logistic regression, with a learned sequence prior.

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

    vectorizer, regression = model.pipeline_.steps[0][1], model.pipeline_.steps[-1][1]
    vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    block = Block("words", vocabulary, vectorizer.idf_.astype(np.float64))
    return CompactModel([block], regression.coef_.astype(np.float32), regression.intercept_.astype(np.float32),
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
    return [step for _, step in estimator.steps if isinstance(step, TfidfVectorizer)]


def stay_probability(structures: list[Structure], labels: list[list[str]]) -> float:
    """Share of consecutive body paragraphs that keep the previous paragraph's label (smoothed)."""
    same = total = 0
    for structure, row in zip(structures, labels):
        body = [label for p, label in zip(structure.paragraphs, row) if not p.is_heading and label != "META"]
        same += sum(a == b for a, b in zip(body, body[1:]))
        total += max(0, len(body) - 1)
    return (same + 1) / (total + 2)
