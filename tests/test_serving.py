"""The numpy-only serving form of the shipped models (agreement with scikit-learn is tested in
test_classifier.py on a freshly trained model)."""

from __future__ import annotations

import numpy as np
import pytest

from analyzer.features import paragraph_items
from analyzer.model import default_element_model, default_scorer
from analyzer.pipeline import attach_tokens
from analyzer.structure import parse_structure


@pytest.fixture(scope="module")
def seed_items(seed_paragraphs):
    structure = parse_structure(seed_paragraphs)
    attach_tokens(structure)
    return paragraph_items(structure)


def test_a_subset_of_element_classes_scores_as_the_full_model(seed_items):
    model = default_element_model()
    subset = model.classes_[3::4]
    full = model.predict_items(seed_items)
    part = model.predict_items(seed_items, classes=subset)
    columns = [model.classes_.index(c) for c in subset]
    np.testing.assert_allclose(part, full[:, columns], rtol=1e-12)


def test_a_softmax_refuses_a_subset(seed_items):
    model = default_scorer()
    with pytest.raises(ValueError):
        model.predict_items(seed_items, classes=model.classes_[:2])


def test_paragraphs_without_known_words_get_the_prior(seed_items):
    """A paragraph of unseen words has no features: its scores are the intercepts alone."""
    model = default_scorer()
    items = [{"words": ["𠀀𠀁"], "heading": ""}, *seed_items[:3]]
    proba = model.predict_items(items)
    prior = np.exp(model.intercept_ - model.intercept_.max())
    np.testing.assert_allclose(proba[0], prior / prior.sum(), rtol=1e-6)  # intercepts stored as float32
    np.testing.assert_allclose(proba[1:], model.predict_items(seed_items[:3]))
