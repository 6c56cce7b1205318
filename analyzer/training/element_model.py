"""Element classifier: which framework elements a paragraph gives evidence of, where the framework's
terms are not enough (reports describe 随机抽查 without saying 双随机, 考核 without 考评 …).

One-vs-rest logistic regression on the paragraph's words and word bigrams (TF-IDF), trained on the
corpus's element tags. Served by ``serving.CompactModel`` with one sigmoid per element.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from analyzer.doc import Doc
from analyzer.mapping.features import paragraph_items, words_of

REPORT_CHECKS = {"LEAD", "CAUSE"}  # report-level checks stay rule-based: their absence is the finding
MIN_EXAMPLES = 3


class ElementClassifier(BaseEstimator):
    """Learned state: ``vectorizer_``, ``model_``, ``classes_`` (element ids with enough examples)."""

    def __init__(self, *, C: float = 4.0):
        self.C = C

    def fit(self, structures: list[Doc], elements: list[list[list[str]]]) -> ElementClassifier:
        items, targets = [], []
        for structure, rows in zip(structures, elements):
            for p, item, tags in zip(structure.paragraphs, paragraph_items(structure), rows):
                if not p.is_heading:
                    items.append(item)
                    targets.append([t for t in tags if t not in REPORT_CHECKS])
        counts: dict[str, int] = {}
        for tags in targets:
            for t in tags:
                counts[t] = counts.get(t, 0) + 1
        keep = sorted(t for t, n in counts.items() if n >= MIN_EXAMPLES)
        binarizer = MultiLabelBinarizer(classes=keep)
        y = binarizer.fit_transform([[t for t in tags if t in keep] for tags in targets])
        self.vectorizer_ = TfidfVectorizer(analyzer=words_of, sublinear_tf=True, min_df=2)
        x = self.vectorizer_.fit_transform(items)
        self.model_ = OneVsRestClassifier(LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced"))
        self.model_.fit(x, y)
        self.classes_ = keep
        return self

    def to_compact(self):
        from analyzer.mapping.serving import Block, CompactModel

        vocabulary = {term: int(i) for term, i in self.vectorizer_.vocabulary_.items()}
        block = Block("words", vocabulary, self.vectorizer_.idf_.astype(np.float64))
        coef = np.vstack([e.coef_ for e in self.model_.estimators_]).astype(np.float32)
        intercept = np.concatenate([e.intercept_ for e in self.model_.estimators_]).astype(np.float32)
        return CompactModel([block], coef, intercept, list(self.classes_), 0.0, multilabel=True)
