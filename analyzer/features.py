"""Paragraph features for the classifiers, computed from the structure and the tokens the segmenter
attached once per document (no re-segmentation). No scikit-learn here: serving imports this module."""

from __future__ import annotations

from .headings import strip_marker
from .structure import Structure


def paragraph_items(structure: Structure) -> list[dict]:
    """One feature dict per paragraph: its words, and its governing heading chain as text. Computed
    once per document (the section and element models both read them): callers may add values
    derived from them (``terms_of``, the models' looked-up ids) but never change them."""
    if "paragraph_items" not in structure.derived:
        structure.derived["paragraph_items"] = _paragraph_items(structure)
    return structure.derived["paragraph_items"]


def _paragraph_items(structure: Structure) -> list[dict]:
    paragraphs = structure.paragraphs
    items = []
    for p in paragraphs:
        chain, index = [], p.heading
        while index is not None:
            chain.append(strip_marker(paragraphs[index].text))
            index = paragraphs[index].heading
        items.append({"words": [w for w, _, _ in p.tokens if w.strip()], "heading": " ".join(chain)})
    return items


def words_of(item: dict) -> list[str]:
    """Words and word bigrams. Module-level (not a lambda or bound method) so pickled models load anywhere."""
    words = item["words"]
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


def terms_of(item: dict) -> list[str]:
    """``words_of(item)``, computed once per paragraph and kept in the item (two models read it)."""
    terms = item.get("terms")
    if terms is None:
        terms = item["terms"] = words_of(item)
    return terms
