"""The shipped classifiers: where they live and how the pipeline gets them (each loaded once)."""

from __future__ import annotations

from functools import cache
from pathlib import PurePosixPath

from analyzer import assets

MODEL_DIR = assets.asset_path(assets.SECTION_MODEL).parent  # where ``govreport train`` writes
MODEL_FILE = PurePosixPath(assets.SECTION_MODEL.path).name  # + section_classifier.json: numpy-only serving form
ELEMENT_MODEL_FILE = PurePosixPath(assets.ELEMENT_MODEL.path).name


@cache
def _load(asset: assets.Asset):
    """A shipped compact model; ``AssetError`` if it is missing or damaged (never a silent fallback)."""
    from analyzer.mapping.serving import CompactModel

    return assets.load(asset, CompactModel.load)


def default_scorer():
    """The trained paragraph scorer (``AssetError`` if the installation lacks it)."""
    return _load(assets.SECTION_MODEL)


@cache
def default_element_model():
    """The trained element classifier (``AssetError`` if missing). Loaded once; it looks words up
    through the section model's vocabulary, which holds them all."""
    model = _load(assets.ELEMENT_MODEL)
    model.share_vocabulary(default_scorer())
    return model
