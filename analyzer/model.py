"""The shipped classifiers: where they live and how the pipeline gets them (each loaded once)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

MODEL_DIR = Path(os.environ.get("GOVREPORT_MODEL_DIR", Path(__file__).resolve().parent.parent / "models"))
MODEL_FILE = "section_classifier.npz"  # + section_classifier.json: numpy-only serving form
ELEMENT_MODEL_FILE = "element_classifier.npz"


@cache
def _load(name: str):
    """A compact model from ``MODEL_DIR``, or None if it is not installed."""
    path = MODEL_DIR / name
    if not path.exists():
        return None
    from .serving import CompactModel

    return CompactModel.load(path)


def default_scorer():
    """The trained paragraph scorer if a model is installed, else None (cue terms decide)."""
    return _load(MODEL_FILE)


@cache
def default_element_model():
    """The trained element classifier if installed, else None (framework terms alone decide). Loaded
    once; it looks words up through the section model's vocabulary, which holds them all."""
    model, scorer = _load(ELEMENT_MODEL_FILE), default_scorer()
    if model is not None and scorer is not None:
        model.share_vocabulary(scorer)
    return model
