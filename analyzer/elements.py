"""Find evidence of framework elements: the sentence that shows each one.

Patterns come from the framework files (``terms`` and ``regex`` of each element). Matching runs on
characters, not tokens: a term such as 合法性审查 must be found whether the segmenter kept it whole
or split it, so matching on token sequences would miss evidence that is plainly there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .frameworks import Element, Framework


@dataclass(frozen=True)
class Evidence:
    element: str
    paragraph: int
    sentence: str
    term: str


def element_pattern(element: Element) -> re.Pattern[str]:
    """One compiled alternation of an element's terms (longest first) and regexes."""
    terms = sorted({t for t in element.terms if t}, key=len, reverse=True)
    alternatives = [re.escape(t) for t in terms] + [f"(?:{r})" for r in element.regex]
    return re.compile("|".join(alternatives))


class ElementMatcher:
    """All elements of a framework (section elements and report-level checks)."""

    def __init__(self, framework: Framework):
        self.elements: dict[str, Element] = {}
        for section in framework.sections:
            for element in section.elements:
                self.elements[element.id] = element
        for part in framework.parts:
            for check in part.checks:
                self.elements[check.id] = check
        self.patterns = {eid: element_pattern(e) for eid, e in self.elements.items()}

    def match(self, element_id: str, text: str) -> str | None:
        """The matched term if ``text`` evidences the element, else None."""
        found = self.patterns[element_id].search(text)
        return found.group(0) if found else None

    def find(self, paragraph: int, sentences: list[str], element_ids=None) -> list[Evidence]:
        """Evidence of every element (or of ``element_ids``) in one paragraph's sentences."""
        out = []
        for element_id in element_ids or self.patterns:
            for sentence in sentences:
                term = self.match(element_id, sentence)
                if term:
                    out.append(Evidence(element_id, paragraph, sentence, term))
                    break
        return out


@lru_cache(maxsize=8)
def matcher_for(framework: Framework) -> ElementMatcher:
    return ElementMatcher(framework)
