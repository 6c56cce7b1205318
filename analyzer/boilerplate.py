"""Flag formulaic sentences (套话) with the authored lexicon in ``corpora/lexicon/``.

Rule (documented in the lexicon's README and tested on every entry's examples): a sentence is
boilerplate when a lexicon pattern matches it **and** it carries no concrete fact
(``specificity.facts``). Template leftovers (category ``placeholder``) are flagged even next to
figures: a figure beside ``XX件`` is itself suspect.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .frameworks import load_yaml
from .specificity import facts, measurements

LEXICON = Path(
    os.environ.get("GOVREPORT_LEXICON", Path(__file__).resolve().parent.parent / "corpora" / "lexicon" / "boilerplate.yaml")
)
ALWAYS_FLAGGED = ("placeholder",)
# Claims of results are measured by figures or dates; a named document does not measure a result.
MEASURED_ONLY = ("empty_result", "goal_slogan")


class _Examples(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fail: list[str] = Field(min_length=1)
    pass_: list[str] = Field(alias="pass", min_length=1)


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    category: str
    pattern: str
    note: str
    examples: _Examples


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    description: str


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: list[Category]
    entries: list[Entry]


@dataclass(frozen=True)
class Flag:
    """Why a sentence is boilerplate: the entry and category that matched, and the matched text."""

    entry: str
    category: str
    matched: str


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON) -> Lexicon:
    return Lexicon.model_validate(load_yaml(Path(path).read_text(encoding="utf-8")))


class BoilerplateDetector:
    """Compiled lexicon; ``flag(sentence)`` returns the first matching entry or None."""

    def __init__(self, lexicon: Lexicon | None = None):
        lexicon = lexicon or load_lexicon()
        self.categories = {c.id: c.name for c in lexicon.categories}
        self.entries = [(e, re.compile(e.pattern)) for e in lexicon.entries]
        # One alternation screens sentences cheaply; most sentences match nothing.
        self._screen = re.compile("|".join(f"(?:{e.pattern})" for e in lexicon.entries))

    def screens(self, text: str) -> bool:
        """Whether any entry could match somewhere in ``text`` (one search for a whole paragraph)."""
        return self._screen.search(text) is not None

    def match(self, sentence: str) -> Flag | None:
        """The first lexicon entry whose pattern matches, regardless of facts."""
        if not self._screen.search(sentence):
            return None
        for entry, pattern in self.entries:
            found = pattern.search(sentence)
            if found:
                return Flag(entry.id, entry.category, found.group(0))
        return None

    def flag(self, sentence: str) -> Flag | None:
        """The entry that makes ``sentence`` boilerplate, or None if it is not."""
        hit = self.match(sentence)
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
