"""The shipped section classifier: where it lives and how the pipeline gets it (loaded once)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

MODEL_DIR = Path(os.environ.get("GOVREPORT_MODEL_DIR", Path(__file__).resolve().parent.parent / "models"))
MODEL_FILE = "section_classifier.npz"  # + section_classifier.json: numpy-only serving form


@lru_cache(maxsize=1)
def default_scorer():
    """The trained paragraph scorer if a model is installed, else None (cue terms decide)."""
    path = MODEL_DIR / MODEL_FILE
    if not path.exists():
        return None
    from .serving import CompactModel

    return CompactModel.load(path)


ELEMENT_MODEL_FILE = "element_classifier.npz"


@lru_cache(maxsize=1)
def default_element_model():
    """The trained element classifier if installed, else None (framework terms alone decide)."""
    path = MODEL_DIR / ELEMENT_MODEL_FILE
    if not path.exists():
        return None
    from .serving import CompactModel

    return CompactModel.load(path)
