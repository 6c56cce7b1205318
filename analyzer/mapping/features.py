"""Paragraph features for the classifiers, computed from the structure and the tokens the segmenter
attached once per document (no re-segmentation). No scikit-learn here: serving imports this module.

Each feature block is a function from a paragraph's item to its terms (``BLOCKS``); the section model
uses several, the element model the words alone. The blocks beyond the words are chosen to carry
across writers: what a paragraph says first (its lead clause names its task), its heading's words
(never the heading's ordinal), where it sits (prefaces come first, before any heading), and which
outline tasks' element terms it names (the framework files' domain knowledge: 行政复议 is 化解纠纷
in any report, however few training paragraphs say it). Which blocks the shipped model uses, and
why the others were dropped, is in ``training.classifier.DEFAULT_BLOCKS`` and the model card.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import takewhile

from analyzer.doc import Doc
from analyzer.frameworks import Framework, load_framework, outlines
from analyzer.text.automaton import Strings
from analyzer.text.headings import strip_marker

# The lead clause ends at the first sentence or clause mark; a run-in lead longer than this many
# characters is a sentence, not a task name, and only its first LEAD_CHARS characters count.
_LEAD_END = re.compile(r"[。，,；;：:！？!?]")
LEAD_CHARS = 24
# An enumeration word opening a body line (一是, 首先) is a marker, not content.
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+是|首先|其次|再次|最后|同时)[，,:：]?")
# Quotation marks, brackets and spaces inside a lead clause are typography, not the task's name.
_NOT_CONTENT = re.compile(r"[\s“”‘’\"'《》〈〉「」『』()（）【】]+")
LEAD_NGRAMS = (2, 3)  # character n-gram lengths of the lead clause
FIRST_POSITIONS = 3  # body paragraphs 0, 1, 2 get a position term of their own; later ones share one


def paragraph_items(structure: Doc) -> list[dict]:
    """One feature dict per paragraph: its words, its lead clause's words, its governing heading
    chain (text and words) and its position. Computed once per document (the section and element
    models both read them): callers may add values derived from them (``terms_of``, the models'
    looked-up ids) but never change them."""
    if "paragraph_items" not in structure.derived:
        structure.derived["paragraph_items"] = _paragraph_items(structure)
    return structure.derived["paragraph_items"]


def _paragraph_items(structure: Doc) -> list[dict]:
    paragraphs = structure.paragraphs
    meta = set(structure.metadata.meta_paragraphs)
    items, body_seen, heading_seen = [], 0, False
    chains: dict[int | None, tuple[str, list[str]]] = {None: ("", [])}  # heading → its chain's (text, words)
    for p in paragraphs:
        joined, heading_words = _heading_chain(paragraphs, p.heading, chains)
        if p.is_heading:
            position = "heading"
        elif p.index in meta:
            position = "meta"
        else:
            position = f"body{min(body_seen, FIRST_POSITIONS)}" + ("" if heading_seen else "_before_headings")
            body_seen += 1
        heading_seen = heading_seen or p.is_heading
        lead = _lead_span(p.text)
        items.append({
            "words": [w for w, _, _ in p.tokens if w.strip()],
            "heading": joined,
            "lead": _lead_words(p, lead),
            "lead_text": _NOT_CONTENT.sub("", p.text[lead[0]:lead[1]]),
            "heading_words": list(heading_words),
            "position": position,
            "text": p.text,
        })
    return items


class OutlineTerms:
    """The element terms of every outline (the framework files), each with the tasks it belongs to:
    one automaton scan tells which tasks a paragraph names (``E:S6``, ``E:P7`` for 行政复议)."""

    def __init__(self, frameworks: Iterable[Framework]):
        owners: dict[str, list[str]] = {}
        for framework in frameworks:
            for section in framework.sections:
                token = f"E:{section.id}"
                for term in (t for e in section.elements for t in e.terms):
                    if token not in owners.setdefault(term, []):
                        owners[term].append(token)
        self.strings = Strings(owners)  # single characters stay out of the automaton: never a task's name
        self.owners = owners

    def tasks_named(self, text: str) -> list[str]:
        """One token per task for each distinct element term of it in ``text``, in a fixed order."""
        found = sorted({self.strings.strings[n] for n, _, _ in self.strings.scan(text)})
        return [token for term in found for token in self.owners[term]]


def outline_term_finder() -> OutlineTerms:
    """The finder for the outlines installed now (a new outline file adds its terms)."""
    return _outline_terms(tuple(o.id for o in outlines()))


@lru_cache(maxsize=4)
def _outline_terms(outline_ids: tuple[str, ...]) -> OutlineTerms:
    return OutlineTerms([load_framework(i) for i in outline_ids])


def _heading_chain(paragraphs, index: int | None, chains: dict) -> tuple[str, list[str]]:
    """The governing heading chain from ``index`` up: its headings' texts without markers, joined by
    spaces, and their content words, nearest heading first. Each heading's chain is computed once
    (``chains``) and extended by the next heading down: many paragraphs share a heading."""
    if index not in chains:
        parent_text, parent_words = _heading_chain(paragraphs, paragraphs[index].heading, chains)
        own = strip_marker(paragraphs[index].text)
        text = own if paragraphs[index].heading is None else f"{own} {parent_text}"
        chains[index] = (text, _content_words(paragraphs[index]) + parent_words)
    return chains[index]


def _content_start(text: str) -> int:
    """Offset where a paragraph's content begins: after its numbering marker and enumeration word."""
    start = len(text) - len(strip_marker(text).lstrip())
    found = _ENUMERATION.match(text[start:])
    return start + (found.end() if found else 0)


def _content_words(p) -> list[str]:
    start = _content_start(p.text)
    return [w for w, s, _ in p.tokens if s >= start and w.strip()]


def _lead_span(text: str) -> tuple[int, int]:
    """Offsets of the paragraph's first clause (after any marker), at most ``LEAD_CHARS`` characters."""
    start = _content_start(text)
    found = _LEAD_END.search(text, start)
    return start, min(found.start() if found else len(text), start + LEAD_CHARS)


def _lead_words(p, span: tuple[int, int]) -> list[str]:
    """Words of the paragraph's lead clause (``span``: its offsets, ``_lead_span``)."""
    start, end = span
    # Tokens come in text order: none from ``end`` on can lie inside the clause (the rest of a long
    # paragraph is not walked for a clause of at most LEAD_CHARS characters).
    return [w for w, s, e in takewhile(lambda token: token[1] < end, p.tokens) if s >= start and e <= end and w.strip()]


def words_of(item: dict) -> list[str]:
    """Words and word bigrams. Module-level (not a lambda or bound method) so pickled models load anywhere."""
    words = item["words"]
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:])]


def lead_of(item: dict) -> list[str]:
    """The lead clause's words and bigrams, marked apart from the same words elsewhere."""
    words = item.get("lead", [])
    return [f"L:{w}" for w in words] + [f"L:{a}_{b}" for a, b in zip(words, words[1:])]


def lead_chars_of(item: dict) -> list[str]:
    """Character n-grams (``LEAD_NGRAMS``) of the lead clause: the task name survives a segmenter's
    different cut, a rare compound or a variant wording (执法监督 in 加强执法监督检查 and 执法监督质效)."""
    text = item.get("lead_text", "")
    return [f"C:{text[k:k + n]}" for n in LEAD_NGRAMS for k in range(len(text) - n + 1)]


def heading_of(item: dict) -> list[str]:
    """The governing headings' words (not their ordinals), marked apart from the paragraph's own."""
    return [f"H:{w}" for w in item.get("heading_words", [])]


def position_of(item: dict) -> list[str]:
    """One term for where the paragraph sits (heading, metadata, or its rank among body paragraphs)."""
    position = item.get("position")
    return [f"P:{position}"] if position else []


def terms_of(item: dict) -> list[str]:
    """``words_of(item)``, computed once per paragraph and kept in the item (two models read it)."""
    terms = item.get("terms")
    if terms is None:
        terms = item["terms"] = words_of(item)
    return terms


def tasks_of(item: dict) -> list[str]:
    """The outline tasks whose element terms the paragraph names (``OutlineTerms``), found when a
    model first asks and kept in the item (the shipped model does not use the block: model card)."""
    tasks = item.get("tasks")
    if tasks is None:
        tasks = item["tasks"] = outline_term_finder().tasks_named(item.get("text", ""))
    return tasks


# Blocks whose terms are a prefix + the words of one item field, then prefix + ``a_b`` bigrams of
# neighbouring words (block name → (field, prefix)): serving looks them up as words and pairs of
# words (``serving.WordPairs``) without building the terms' strings.
WORD_BLOCKS: dict[str, tuple[str, str]] = {"words": ("words", ""), "lead": ("lead", "L:")}

# Block name → its term function (serving finds a stored block's function by name).
BLOCKS: dict[str, Callable[[dict], list[str]]] = {
    "words": terms_of,
    "lead": lead_of,
    "lead_chars": lead_chars_of,
    "heading": heading_of,
    "position": position_of,
    "tasks": tasks_of,
}
