"""Find evidence of framework elements: the sentence that shows each one.

Patterns come from the framework files (``terms`` and ``regex`` of each element). Matching runs on
characters, not tokens: a term such as 合法性审查 must be found whether the segmenter kept it whole
or split it, so matching on token sequences would miss evidence that is plainly there.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .frameworks import Element, Framework


@dataclass(frozen=True)
class Evidence:
    element: str
    paragraph: int
    sentence: str
    term: str


FUZZY_MIN = 4  # terms this long also match with one Chinese character mistyped (法律顾向 for 法律顾问)


def element_pattern(element: Element, *, fuzzy: bool = False) -> re.Pattern[str]:
    """One compiled alternation of an element's terms and regexes; with ``fuzzy``, the
    one-character-substitution variants of its longer terms instead (the first character anchors a
    variant). Alternatives are grouped by their first character, so the regex engine tests each
    position of the text against a handful of branches instead of every term."""
    terms = sorted({t for t in element.terms if t}, key=len, reverse=True)
    if fuzzy:
        # "." rather than a CJK class: a class over 20,000 characters costs ~3 ms to compile each time;
        # ``search`` checks that the stand-in character is Chinese.
        tails = [(t[0], re.escape(t[1:i]) + "." + re.escape(t[i + 1 :])) for t in terms if len(t) >= FUZZY_MIN
                 for i in range(1, len(t))]
        return re.compile(_grouped(tails)) if tails else re.compile(r"(?!)")
    grouped = _grouped([(t[0], re.escape(t[1:])) for t in terms])
    return re.compile("|".join([grouped, *(f"(?:{r})" for r in element.regex)]))


def _grouped(tails: list[tuple[str, str]]) -> str:
    """``[(first char, escaped rest)]`` → ``a(?:rest1|rest2)|b(?:…)``, longest rests first."""
    by_first: dict[str, list[str]] = {}
    for first, rest in tails:
        by_first.setdefault(first, []).append(rest)
    return "|".join(
        re.escape(first) + "(?:" + "|".join(sorted(rests, key=len, reverse=True)) + ")" for first, rests in by_first.items()
    )


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
        self.fuzzy = {eid: element_pattern(e, fuzzy=True) for eid, e in self.elements.items()}
        # A "typo" that is itself a term of some element is a different word (合法性审核 vs 合法性审查).
        self.known_terms = {t for e in self.elements.values() for t in e.terms}

    def match(self, element_id: str, text: str) -> str | None:
        """The matched term if ``text`` evidences the element, else None (exact terms first, then
        a term with one character mistyped: real reports carry typos)."""
        found = self.search(element_id, text)
        return found[0] if found else None

    def search(self, element_id: str, text: str) -> tuple[str, int] | None:
        """The matched term and where it starts, or None."""
        found = self.patterns[element_id].search(text)
        if found:
            return found.group(0), found.start()
        for near in self.fuzzy[element_id].finditer(text):
            term = near.group(0)
            if term not in self.known_terms and all("\u4e00" <= ch <= "\u9fff" for ch in term):
                return term, near.start()
        return None

    def find(self, paragraph: int, sentences: list[str], element_ids=None) -> list[Evidence]:
        """Evidence of every element (or of ``element_ids``) in one paragraph: each element is
        searched once over the paragraph, and the sentence holding the match is the evidence."""
        text = "".join(sentences)
        ends = list(accumulate(len(s) for s in sentences))
        out = []
        for element_id in element_ids or self.patterns:
            found = self.search(element_id, text)
            if found:
                term, start = found
                out.append(Evidence(element_id, paragraph, sentences[bisect_right(ends, start)], term))
        return out


_matchers: dict[str, ElementMatcher] = {}


def matcher_for(framework: Framework) -> ElementMatcher:
    """One compiled matcher per framework id, built on first use."""
    if framework.id not in _matchers:
        _matchers[framework.id] = ElementMatcher(framework)
    return _matchers[framework.id]


ELEMENT_THRESHOLD = 0.5  # probability above which the element classifier's judgement counts as evidence
MODEL_TERM = "(模型判断)"  # the ``term`` of evidence found by the element classifier, not by a term


def find_elements(analysis, framework: Framework, *, structure=None, model=None) -> dict[str, list[Evidence]]:
    """Evidence for every section element (searched in all body paragraphs: framework terms first,
    then the element classifier when one is given) and every report-level check (searched in its
    part's paragraphs, or the whole report when its scope says so)."""
    matcher = matcher_for(framework)
    body = [p for p in analysis.paragraphs if not p.is_heading and p.section != "META"]
    sentences = {p.index: [p.text[s:e] for s, e in p.sentences] or [p.text] for p in body}
    found: dict[str, list[Evidence]] = {}
    section_elements = [e.id for s in framework.sections for e in s.elements]
    for p in body:
        for evidence in matcher.find(p.index, sentences[p.index], section_elements):
            found.setdefault(evidence.element, []).append(evidence)
    unseen = set(section_elements) - set(found)  # the model only looks for what the terms did not find
    if model is not None and structure is not None and unseen:
        for evidence in _model_evidence(model, structure, body, sentences, unseen):
            found.setdefault(evidence.element, []).append(evidence)
    for part in framework.parts:
        for check in part.checks:
            scope = body if check.scope == "report" else [p for p in body if p.section == part.id]
            for p in scope:
                found.setdefault(check.id, []).extend(matcher.find(p.index, sentences[p.index], [check.id]))
    return found


def _model_evidence(model, structure, body, sentences, wanted: set[str]) -> list[Evidence]:
    """Elements the classifier sees in body paragraphs; the evidence is the paragraph's lead sentence."""
    from .features import paragraph_items

    items = paragraph_items(structure)
    rows = [p.index for p in body]
    probabilities = model.predict_items([items[i] for i in rows])
    out = []
    for row, index in enumerate(rows):
        for k, element in enumerate(model.classes_):
            if element in wanted and probabilities[row, k] >= ELEMENT_THRESHOLD:
                out.append(Evidence(element, index, sentences[index][0], MODEL_TERM))
    return out
