"""Flag formulaic sentences (套话) with the authored lexicon in ``analyzer/data/lexicon/``.

Rule (documented in the lexicon's README and tested on every entry's examples): a sentence is
boilerplate when a lexicon pattern matches it **and** it carries no concrete fact
(``specificity.facts``). Template leftovers (category ``placeholder``) are flagged even next to
figures: a figure beside ``XX件`` is itself suspect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import msgspec
from msgspec import field

from analyzer import assets
from analyzer.frameworks import NonEmpty, load_yaml_file, validate_record
from analyzer.literals import literal_sets
from analyzer.text.automaton import Strings, spans_holding
from analyzer.text.specificity import facts, measurements

ALWAYS_FLAGGED = ("placeholder",)
# Claims of results are measured by figures or dates; a named document does not measure a result.
MEASURED_ONLY = ("empty_result", "goal_slogan")


class _Strict(msgspec.Struct, forbid_unknown_fields=True):
    """Lexicon records: a misspelt key in the YAML is an error, not a silently ignored field."""


class _Examples(_Strict, kw_only=True):
    fail: NonEmpty
    pass_: NonEmpty = field(name="pass")


class Entry(_Strict):
    id: str
    category: str
    pattern: str
    note: str
    examples: _Examples


class Category(_Strict):
    id: str
    name: str
    description: str


class Lexicon(_Strict):
    categories: list[Category]
    entries: list[Entry]


@dataclass(frozen=True)
class Flag:
    """Why a sentence is boilerplate: the entry and category that matched, and the matched text."""

    entry: str
    category: str
    matched: str


@lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> Lexicon:
    """The 套话 lexicon at ``path``, validated (``ValueError`` naming the field if malformed); by default
    the shipped one (``AssetError`` naming it if it is missing or malformed)."""
    if path is None:
        return assets.load(assets.LEXICON, lambda found: validate_record(load_yaml_file(found), Lexicon))
    return validate_record(load_yaml_file(path), Lexicon)


class BoilerplateDetector:
    """Compiled lexicon; ``flag(sentence)`` returns the first matching entry or None.

    Each entry is searched only where one of its required literals occurs (``literals``): most
    sentences hold none of them. The literals are found in one scan of the text by an automaton
    built here, once per lexicon, far cheaper than a regex alternation of 69 patterns."""

    def __init__(self, lexicon: Lexicon | None = None):
        lexicon = lexicon or load_lexicon()
        self.categories = {c.id: c.name for c in lexicon.categories}
        self.entries = list(lexicon.entries)
        self._compiled: dict[int, re.Pattern[str]] = {}  # compiled on first use: most entries are rare
        # Each entry's required literals (one of them occurs in its every match), turned around:
        # literal → entries. Entries without a provable literal are always searched.
        self._by_literal: dict[str, list[int]] = {}
        self._always: list[int] = []
        for k, literals in enumerate(literal_sets([e.pattern for e in lexicon.entries])):
            if literals is None:
                self._always.append(k)
            for literal in sorted(literals or ()):
                self._by_literal.setdefault(literal, []).append(k)
        self._literals = Strings(self._by_literal)
        self._short = [literal for literal in self._by_literal if literal not in self._literals.number]  # not scanned

    def candidates(self, text: str, spans: list[tuple[int, int]] | None = None) -> list[list[int]]:
        """For each span of ``text`` (a sentence; default: the whole text), the entries that could
        match inside it, in lexicon order. One scan of the whole text finds every literal, so a
        document costs one pass, not one Python test per sentence and entry."""
        spans = spans or [(0, len(text))]
        found: list[set[int]] = [set(self._always) for _ in spans]
        occurring = self._literals.occurrences(text).found(self._short)  # the literals that occur
        for entries, literals in zip(found, spans_holding(occurring, spans)):
            for literal in literals:
                entries.update(self._by_literal[literal])
        return [sorted(f) for f in found]

    def match(self, sentence: str, *, among: list[int] | None = None) -> Flag | None:
        """The first lexicon entry whose pattern matches, regardless of facts; ``among``: the
        sentence's candidates when they are already known (``candidates`` over its document)."""
        for k in self.candidates(sentence)[0] if among is None else among:
            entry = self.entries[k]
            if k not in self._compiled:
                self._compiled[k] = re.compile(entry.pattern)
            found = self._compiled[k].search(sentence)
            if found:
                return Flag(entry.id, entry.category, found.group(0))
        return None

    def flag(self, sentence: str, *, among: list[int] | None = None) -> Flag | None:
        """The entry that makes ``sentence`` boilerplate, or None if it is not."""
        hit = self.match(sentence, among=among)
        if hit is None:
            return None
        if hit.category in ALWAYS_FLAGGED:
            return hit
        if hit.category in MEASURED_ONLY:
            return None if measurements(sentence) else hit
        return None if facts(sentence) else hit


@lru_cache(maxsize=1)
def default_detector() -> BoilerplateDetector:
    return BoilerplateDetector()
