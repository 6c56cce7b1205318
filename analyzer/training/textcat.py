"""Approach (c) of the model comparison: a spaCy ``textcat`` on ``spacy.blank("zh")``.

Docs are built from the tokens the segmenter already produced (``Doc(vocab, words=...)``), so
spaCy never segments again. Kept reproducible for the model card; the shipped model is whichever
approach scores best under report-grouped cross-validation.
"""

from __future__ import annotations

import random

from sklearn.base import BaseEstimator

from analyzer.doc import Doc as WorkingDoc  # spacy has a Doc of its own
from analyzer.training.classifier import fold_probabilities, paragraph_items, stay_probability


def _words(item: dict) -> list[str]:
    heading = [f"H:{ch}" for ch in item["heading"][:20]]
    return heading + item["words"][:200] or ["∅"]


class SpacyTextcat(BaseEstimator):
    """Exclusive-class bag-of-n-grams textcat; learned state ``nlp_``, ``classes_``, ``stay_``."""

    def __init__(self, *, epochs: int = 10, seed: int = 0):
        self.epochs = epochs
        self.seed = seed

    def fit(self, structures: list[WorkingDoc], labels: list[list[str]]) -> SpacyTextcat:
        import spacy
        from spacy.tokens import Doc
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(self.seed)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        textcat = nlp.add_pipe(
            "textcat",
            config={"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                              "ngram_size": 2, "no_output_layer": False}},
        )
        self.classes_ = sorted({label for row in labels for label in row})
        for label in self.classes_:
            textcat.add_label(label)
        examples = []
        for structure, row in zip(structures, labels):
            for item, label in zip(paragraph_items(structure), row):
                doc = Doc(nlp.vocab, words=_words(item))
                examples.append(Example.from_dict(doc, {"cats": {c: float(c == label) for c in self.classes_}}))
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=32):
                nlp.update(batch, sgd=optimizer, drop=0.1)
        self.nlp_ = nlp
        self.stay_ = stay_probability(structures, labels)
        return self

    def predict_proba(self, structure: WorkingDoc):
        import numpy as np
        from spacy.tokens import Doc

        docs = [Doc(self.nlp_.vocab, words=_words(item)) for item in paragraph_items(structure)]
        textcat = self.nlp_.get_pipe("textcat")
        return np.array([[doc.cats[c] for c in self.classes_] for doc in textcat.pipe(docs)])

    def score(self, structure: WorkingDoc, labels: list[str]) -> list[dict[str, float]]:
        return fold_probabilities(self.predict_proba(structure), self.classes_, labels)
