"""Paragraph features for the section classifier, computed from the structure and the tokens the
segmenter attached once per document. No scikit-learn here: serving imports this module too."""

from __future__ import annotations

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


def heading_text(item: dict) -> str:
    return f"{item['heading']} {item['lead']}".strip()
