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

from analyzer.doc import Doc
from analyzer.frameworks import Element, Framework
from analyzer.literals import context_free, literal_sets
from analyzer.text.automaton import Group, Occurrences, Strings
from analyzer.text.specificity import is_specific


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
    """All elements of a framework (section elements and report-level checks).

    Patterns are compiled on first use, and ``possible`` tells from a whole document which
    elements need searching at all: an element's every match contains one of its terms (or a
    required literal of its regexes, see ``literals``), and every one-character typo of a term keeps
    its first or its second half intact. All those strings (and the parts around each character a
    typo may change) are found in one scan of the document by one automaton (``automaton``),
    built here once per framework: ``occurrences`` gives the hits that ``possible``, ``typos_in``,
    ``find_exact`` and ``find_in`` read."""

    def __init__(self, framework: Framework):
        self.elements: dict[str, Element] = {}
        for section in framework.sections:
            for element in section.elements:
                self.elements[element.id] = element
        for part in framework.parts:
            for check in part.checks:
                self.elements[check.id] = check
        self._exact: dict[str, re.Pattern[str]] = {}
        self._fuzzy: dict[str, re.Pattern[str]] = {}
        regexes = sorted({r for e in self.elements.values() for r in e.regex})
        literals_of = dict(zip(regexes, literal_sets(regexes)))
        free = dict(zip(regexes, context_free(regexes)))
        self._exact_needs = {eid: _exact_literals(e, literals_of) for eid, e in self.elements.items()}
        # Terms are context-free; an element is if its regexes are (see ``find_exact``).
        self._context_free = {eid: all(free[r] for r in e.regex) for eid, e in self.elements.items()}
        self._fuzzy_needs = {eid: _typo_literals(e) for eid, e in self.elements.items()}
        self._typo_parts = {eid: _typo_parts(e) for eid, e in self.elements.items()}
        self.needs_fact = {eid for eid, e in self.elements.items() if e.needs_fact}
        # A "typo" that is itself a term of some element is a different word (合法性审核 vs 合法性审查).
        self.known_terms = {t for e in self.elements.values() for t in e.terms}
        self.strings = Strings(_strings_to_scan(self.elements.values(), self._exact_needs.values(),
                                                self._fuzzy_needs.values(), self._typo_parts.values()))
        # The same screens as groups of automaton string numbers: one set test per element and document.
        self._exact_groups = {eid: self.strings.group(needs) for eid, needs in self._exact_needs.items()}
        self._fuzzy_groups = {eid: self.strings.group(needs) for eid, needs in self._fuzzy_needs.items()}
        self._parts_by_anchor = {eid: _by_anchor(parts, self.strings.number) for eid, parts in self._typo_parts.items()}
        self._anchors = {eid: frozenset(by_anchor) for eid, by_anchor in self._parts_by_anchor.items()}
        self._term_groups = {eid: self.strings.group(e.terms) for eid, e in self.elements.items()}
        self._exact_screen = _Screen(self._exact_groups)
        self._fuzzy_screen = _Screen({eid: group for eid, group in self._fuzzy_groups.items()
                                      if self._fuzzy_needs[eid]})

    def occurrences(self, text: str) -> Occurrences:
        """One scan of ``text`` for every string the screens and term searches need."""
        return self.strings.occurrences(text)

    def _hits(self, text: str | Occurrences) -> Occurrences:
        return text if isinstance(text, Occurrences) else self.occurrences(text)

    def possible(self, text: str | Occurrences, element_ids) -> tuple[set[str], set[str]]:
        """Of ``element_ids``, those whose terms and those whose typo variants could occur in ``text``
        (or in the text of these ``occurrences``)."""
        hits = self._hits(text)
        return self._exact_screen.passing(hits, element_ids), self._fuzzy_screen.passing(hits, element_ids)

    def typos_in(self, text: str | Occurrences, element_ids) -> set[str]:
        """Of ``element_ids``, those with a typo variant of a term in ``text``: the sharp form of the
        halves screen in ``possible``, worth its cost for the few elements still missing. An element
        without one never gets its typo pattern compiled (~1 ms each; most of a real report's
        missing elements have no variant at all)."""
        hits = self._hits(text)
        out = set()
        for eid in element_ids:
            anchored = hits.present(self._anchors[eid])  # parts whose longer half occurs: the only candidates
            if anchored and _has_variant([part for n in anchored for part in self._parts_by_anchor[eid][n]], hits):
                out.add(eid)
        return out

    def places(self, hits: Occurrences, element_id: str, *, exact: bool, fuzzy: bool) -> list[int] | None:
        """Where in the scanned text the element's matches could start: every occurrence of one of
        its required literals (every exact match holds one) and every start of a typo variant; None
        when its exact matches need no provable literal (then it can be anywhere)."""
        out: list[int] = []
        if exact:
            group = self._exact_groups[element_id]
            if group is None or group.always:
                return None
            for n in hits.present(group.numbers):
                out += hits.starts_of(n)
            for string in (*group.chars, *group.longer):
                out += hits.starts(string)
        if fuzzy:
            anchored = hits.present(self._anchors[element_id])
            out += _variant_starts([part for n in anchored for part in self._parts_by_anchor[element_id][n]], hits)
        return out

    def find_in(self, paragraphs: list[tuple[int, list[str]]], hits: Occurrences, element_ids, *, possible) -> list[Evidence]:
        """``find`` in each paragraph (index, sentences) whose joined text is ``hits``' text, the
        paragraphs joined by newlines, in order, with the same evidence: but each element only in
        the paragraphs that hold one of its ``places``, the only ones where it can match."""
        texts = ["".join(sentences) for _, sentences in paragraphs]
        if "\n".join(texts) != hits.text:
            return [ev for index, sentences in paragraphs
                    for ev in self.find(index, sentences, element_ids, possible=possible)]
        offsets = [0, *accumulate(len(t) + 1 for t in texts)][:-1]
        where: dict[str, set[int] | None] = {}
        for eid in element_ids:
            if eid in possible[0] or eid in possible[1]:
                places = self.places(hits, eid, exact=eid in possible[0], fuzzy=eid in possible[1])
                where[eid] = None if places is None else {bisect_right(offsets, at) - 1 for at in places}
        out = []
        for k, (index, sentences) in enumerate(paragraphs):
            here = [eid for eid, ks in where.items() if ks is None or k in ks]
            if here:
                out += self.find(index, sentences, here, possible=possible)
        return out

    def match(self, element_id: str, text: str) -> str | None:
        """The matched term if ``text`` evidences the element, else None (exact terms first, then
        a term with one character mistyped: real reports carry typos). ``text`` is one sentence for
        an element that needs a fact."""
        if element_id in self.needs_fact:
            found = self.search_sentences(element_id, [text])
        else:
            found = self.search(element_id, text)
        return found[0] if found else None

    def search(self, element_id: str, text: str, *, exact: bool = True, fuzzy: bool = True) -> tuple[str, int] | None:
        """The matched term and where it starts, or None; ``exact``/``fuzzy`` False skip a kind of
        match that ``possible`` has ruled out."""
        if exact:
            found = self._pattern(element_id).search(text)
            if found:
                return found.group(0), found.start()
        if fuzzy and self._fuzzy_needs[element_id]:
            for near in self._typo_pattern(element_id).finditer(text):
                term = near.group(0)
                if (
                    term not in self.known_terms
                    and all("\u4e00" <= ch <= "\u9fff" for ch in term)
                    and is_plausible_typo(term, self.elements[element_id].terms)
                ):
                    return term, near.start()
        return None

    def search_sentences(self, element_id: str, sentences: list[str], **kinds: bool) -> tuple[str, int] | None:
        """``search`` in the sentences that carry a concrete fact only (start counted over the joined
        sentences): evidence for an element that ``needs_fact``."""
        start = 0
        for sentence in sentences:
            found = self.search(element_id, sentence, **kinds)  # the cheaper test first: most sentences fail it
            if found and is_specific(sentence):
                return found[0], start + found[1]
            start += len(sentence)
        return None

    def find(
        self, paragraph: int, sentences: list[str], element_ids=None, *, possible=None, any_sentence: bool = False
    ) -> list[Evidence]:
        """Evidence of every element (or of ``element_ids``) in one paragraph: each element is
        searched once over the paragraph, and the sentence holding the match is the evidence.
        ``possible``: the (exact, fuzzy) sets of ``possible`` over the document, to skip the rest;
        ``any_sentence``: accept sentences without a fact even for elements that need one."""
        text = "".join(sentences)
        ends = list(accumulate(len(s) for s in sentences))
        out = []
        for element_id in element_ids or self.elements:
            if possible is None:
                kinds = {}
            elif element_id in possible[0] or element_id in possible[1]:
                kinds = {"exact": element_id in possible[0], "fuzzy": element_id in possible[1]}
            else:
                continue
            if element_id in self.needs_fact and not any_sentence:
                found = self.search_sentences(element_id, sentences, **kinds)
            else:
                found = self.search(element_id, text, **kinds)
            if found:
                term, start = found
                out.append(Evidence(element_id, paragraph, sentences[bisect_right(ends, start)], term))
        return out

    def find_exact(
        self, paragraphs: list[tuple[int, list[str]]], element_ids, exact_ids: set[str], *, hits: Occurrences | None = None
    ) -> list[Evidence]:
        """Evidence by the exact terms in every paragraph (index, sentences), in paragraph then
        element order: what ``find`` with ``possible=(exact_ids, set())`` gives paragraph by
        paragraph, but one ``finditer`` per element over the joined paragraphs. Each paragraph keeps
        its first match; a pattern that looks at context, or a match across a join, is searched
        paragraph by paragraph instead (tested over the corpus), and an element that needs a fact
        sentence by sentence. ``hits``: the occurrences over the joined paragraphs when the caller
        has scanned them already (used only if their text is that document)."""
        texts = ["".join(sentences) for _, sentences in paragraphs]
        starts = [0, *accumulate(len(t) + 1 for t in texts)][:-1]
        document = "\n".join(texts)
        wanted = [eid for eid in element_ids if eid in exact_ids]
        if hits is None or hits.text != document:
            hits = self.occurrences(document) if any(not self.elements[eid].regex for eid in wanted) else None
        found_by = {eid: self._document_hits(eid, document, texts, starts, hits)
                    for eid in wanted if eid not in self.needs_fact}
        out = []
        for k, (index, sentences) in enumerate(paragraphs):
            ends = None
            for element_id in wanted:
                if element_id in found_by:
                    found = found_by[element_id].get(k)
                else:  # evidence only in sentences with a fact: searched sentence by sentence
                    found = self.search_sentences(element_id, sentences, exact=True, fuzzy=False)
                if found:
                    term, start = found
                    ends = ends or list(accumulate(len(s) for s in sentences))
                    out.append(Evidence(element_id, index, sentences[bisect_right(ends, start)], term))
        return out

    def _document_hits(
        self, element_id: str, document: str, texts: list[str], starts: list[int], hits: Occurrences | None
    ) -> dict[int, tuple[str, int]]:
        """Paragraph position → (term, start in the paragraph) of the element's first match there
        (``hits``: the occurrences of ``document``, needed for an element without regexes)."""
        if not self.elements[element_id].regex:
            group = self._term_groups.get(element_id)
            terms = self.elements[element_id].terms if group is None else [  # only the terms that occur
                *(self.strings.strings[n] for n in hits.present(group.numbers)), *(t for t in group.others if t in hits)]
            return _term_hits(terms, hits, starts)
        pattern = self._pattern(element_id)
        found: dict[int, tuple[str, int]] = {}
        places = None if hits is None else self.places(hits, element_id, exact=True, fuzzy=False)
        if places is not None:  # a match holds one of its literals: only the paragraphs holding one are searched
            for k in sorted({bisect_right(starts, at) - 1 for at in places}):
                match = pattern.search(texts[k])
                if match:
                    found[k] = (match.group(0), match.start())
            return found
        if self._context_free[element_id]:
            for match in pattern.finditer(document):
                k = bisect_right(starts, match.start()) - 1
                if match.end() > starts[k] + len(texts[k]) or match.start() == match.end():
                    break  # across a join (or empty): decide paragraph by paragraph below
                found.setdefault(k, (match.group(0), match.start() - starts[k]))
            else:
                return found
            found = {}
        for k, text in enumerate(texts):
            match = pattern.search(text)
            if match:
                found[k] = (match.group(0), match.start())
        return found

    def _pattern(self, element_id: str) -> re.Pattern[str]:
        if element_id not in self._exact:
            self._exact[element_id] = element_pattern(self.elements[element_id])
        return self._exact[element_id]

    def _typo_pattern(self, element_id: str) -> re.Pattern[str]:
        if element_id not in self._fuzzy:
            self._fuzzy[element_id] = element_pattern(self.elements[element_id], fuzzy=True)
        return self._fuzzy[element_id]


class _Screen:
    """``Occurrences.any_of`` of each element's group, in one loop over the elements asked about: a
    group of automaton strings alone is one set test against the numbers the scan found (no call
    per element); only groups with other strings (single characters, the empty string, or none:
    cannot tell) go through ``any_of``. An element without a group never passes."""

    def __init__(self, groups: dict[str, Group | None]):
        self._numbers = {eid: group.numbers for eid, group in groups.items()
                         if group is not None and not group.always and not group.others}
        self._asked = {eid: group for eid, group in groups.items() if eid not in self._numbers}

    def passing(self, hits: Occurrences, element_ids) -> set[str]:
        """Those of ``element_ids`` for which ``hits.any_of(group)`` is true."""
        found, numbers, asked = hits.numbers(), self._numbers, self._asked
        return {eid for eid in element_ids
                if (not found.isdisjoint(numbers[eid]) if eid in numbers else eid in asked and hits.any_of(asked[eid]))}


def _term_hits(terms: list[str], hits: Occurrences, starts: list[int]) -> dict[int, tuple[str, int]]:
    """What the alternation of ``terms`` finds first in each paragraph of the document ``hits``
    scanned, without compiling it (a pattern of many terms costs about a millisecond to compile,
    more than the search): the leftmost occurrence, and the longest term there, as the alternation
    (longest first) would match. Terms hold no newline, so no occurrence spans two paragraphs."""
    first: dict[int, tuple[int, int, str]] = {}
    for term in terms:
        if not term:
            continue
        for at in hits.starts(term):
            k = bisect_right(starts, at) - 1
            candidate = (at - starts[k], -len(term), term)
            if k not in first or candidate < first[k]:
                first[k] = candidate
    return {k: (term, start) for k, (start, _, term) in first.items()}


def _exact_literals(element: Element, literals_of: dict[str, frozenset[str] | None]) -> tuple[str, ...] | None:
    """Strings one of which every exact match contains (None: cannot tell, always search)."""
    literals = {t for t in element.terms if t}
    for regex in element.regex:
        required = literals_of[regex]
        if required is None:
            return None
        literals |= required
    return tuple(sorted(literals))


def _typo_literals(element: Element) -> tuple[str, ...]:
    """Halves of the terms that have typo variants: a variant changes one character after the
    first, so the half without it is intact (for 法律顾问: 法律 or 顾问)."""
    halves = set()
    for term in element.terms:
        if len(term) >= FUZZY_MIN:
            halves |= {term[: len(term) // 2], term[len(term) // 2 :]}
    return tuple(sorted(halves))


def is_plausible_typo(variant: str, terms: list[str]) -> bool:
    """Whether ``variant`` reads as one of ``terms`` mistyped rather than as other words: the changed
    character must not sit in a dictionary word of two or more characters. 法律顾向 (法律 | 顾向) is
    法律顾问 mistyped; 政府依法 (政府 | 依法) and 制定规范(性文件) are real words, not 政府立法 or 制定规章.
    (A swap between two real words, 法制审核 for 法治审核, is lost: telling those apart needs context.)"""
    from analyzer.text.segment import any_segmenter

    segmenter = None
    for term in terms:
        changed = [i for i, (a, b) in enumerate(zip(term, variant)) if a != b] if len(term) == len(variant) else []
        if len(changed) != 1:
            continue
        segmenter = segmenter or any_segmenter()
        word = next(w for w, start, end in segmenter.tokenize(variant) if start <= changed[0] < end)
        if len(word) == 1 or not segmenter.is_word(word):
            return True
    return False


def _typo_parts(element: Element) -> tuple[tuple[str, str], ...]:
    """(before, after) around each character a typo variant may change: a variant of the element's
    typo pattern is ``before``, any one character, ``after``."""
    parts = ((t[:i], t[i + 1 :]) for t in element.terms if len(t) >= FUZZY_MIN for i in range(1, len(t)))
    return tuple(dict.fromkeys(parts))


def _by_anchor(parts: tuple[tuple[str, str], ...], number: dict[str, int]) -> dict[int, tuple[tuple[str, str], ...]]:
    """An element's typo parts grouped by the automaton number of their anchor (``_anchor``)."""
    grouped: dict[int, list[tuple[str, str]]] = {}
    for before, after in parts:
        grouped.setdefault(number[_anchor(before, after)], []).append((before, after))
    return {n: tuple(found) for n, found in grouped.items()}


def _anchor(before: str, after: str) -> str:
    """The part of a typo variant found by the automaton: the longer (at least two characters)."""
    return before if len(before) >= len(after) else after


def _variant_starts(parts, hits: Occurrences) -> list[int]:
    """Where each ``before`` + one character + ``after`` of ``parts`` starts in the scanned text."""
    text, out = hits.text, []
    for before, after in parts:
        if len(before) >= len(after):
            out += [at for at in hits.starts(before) if text.startswith(after, at + len(before) + 1)]
        else:
            out += [at - len(before) - 1 for at in hits.starts(after)
                    if at > len(before) and text.startswith(before, at - len(before) - 1)]
    return out


def _has_variant(parts, hits: Occurrences) -> bool:
    """Whether ``before`` + one character + ``after`` occurs in the scanned text for any of
    ``parts``: where the longer of the two occurs (``_anchor``), the other is checked in place."""
    text = hits.text
    for before, after in parts:
        if len(before) >= len(after):
            for at in hits.starts(before):
                if text.startswith(after, at + len(before) + 1):
                    return True
        else:
            for at in hits.starts(after):
                if at > len(before) and text.startswith(before, at - len(before) - 1):
                    return True
    return False


def _strings_to_scan(elements, exact_needs, fuzzy_needs, typo_parts) -> list[str]:
    """Every string the screens and term searches look for: terms, required literals, typo halves
    and the anchor part of each typo variant."""
    strings = [t for e in elements for t in e.terms]
    strings += [s for needs in exact_needs if needs for s in needs]
    strings += [s for needs in fuzzy_needs for s in needs]
    strings += [_anchor(before, after) for parts in typo_parts for before, after in parts]
    return sorted(set(strings))


_matchers: dict[int, tuple[Framework, ElementMatcher]] = {}


def matcher_for(framework: Framework) -> ElementMatcher:
    """One compiled matcher per framework record, built on first use (records are loaded and
    composed once, so their identity is stable; the record is kept so that it stays so)."""
    if id(framework) not in _matchers:
        _matchers[id(framework)] = (framework, ElementMatcher(framework))
    return _matchers[id(framework)][1]


ELEMENT_THRESHOLD = 0.5  # probability above which the element classifier's judgement counts as evidence
MODEL_TERM = "(模型判断)"  # the ``term`` of evidence found by the element classifier, not by a term


def find_elements(doc: Doc, framework: Framework, *, model=None) -> dict[str, list[Evidence]]:
    """Evidence for every section element (searched in all body paragraphs: framework terms first,
    then, for elements still missing, their terms with one character mistyped, then the element
    classifier when one is given) and every report-level check (searched in its
    part's paragraphs, or the whole report when its scope says so)."""
    matcher = matcher_for(framework)
    body = doc.body()
    sentences = {p.index: p.sentence_texts() for p in body}
    document = "\n".join(p.text for p in body)
    hits = matcher.occurrences(document)  # the one scan of the body that the screens below read
    found: dict[str, list[Evidence]] = {}
    section_elements = [e.id for s in framework.sections for e in s.elements]
    exact, typos = matcher.possible(hits, section_elements)
    paragraphs = [(p.index, sentences[p.index]) for p in body]
    for evidence in matcher.find_exact(paragraphs, section_elements, exact, hits=hits):
        found.setdefault(evidence.element, []).append(evidence)
    # Typo tolerance is a fallback: an element its terms evidence needs no mistyped evidence too
    # (and typo patterns, the costliest to compile, are built only for elements still missing
    # that have a variant in the document).
    typos = matcher.typos_in(hits, typos - set(found))
    if typos:
        for evidence in matcher.find_in(paragraphs, hits, [e for e in section_elements if e in typos],
                                        possible=(set(), typos)):
            found.setdefault(evidence.element, []).append(evidence)
    unseen = set(section_elements) - set(found)  # the model only looks for what the terms did not find
    if model is not None and unseen:
        for evidence in _model_evidence(model, doc, body, sentences, unseen):
            found.setdefault(evidence.element, []).append(evidence)
    for check, scope in _check_scopes(framework, body):
        text = "\n".join(p.text for p in scope)
        scope_hits = hits if text == document else matcher.occurrences(text)
        exact, typos = matcher.possible(scope_hits, [check.id])
        possible = (exact, matcher.typos_in(scope_hits, typos))
        in_scope = [(p.index, sentences[p.index]) for p in scope]
        found.setdefault(check.id, []).extend(matcher.find_in(in_scope, scope_hits, [check.id], possible=possible))
    return found


def _check_scopes(framework: Framework, body: list):
    """(check, the paragraphs it is searched in): its part's, or the whole body when its scope says so."""
    for part in framework.parts:
        for check in part.checks:
            yield check, body if check.scope == "report" else [p for p in body if p.part == part.id]


def unmeasured_mentions(doc: Doc, framework: Framework, evidence: dict[str, list[Evidence]]) -> dict[str, Evidence]:
    """For each element that needs a fact and has no evidence, the first sentence that names it
    without one (the 第一责任人 rule's own formula, 亲自部署、亲自过问…): the finding can then say
    what the report has and what it lacks, instead of "not seen"."""
    matcher = matcher_for(framework)
    wanted = {eid for eid in matcher.needs_fact if not evidence.get(eid)}
    if not wanted:
        return {}
    body = doc.body()
    scopes = {check.id: scope for check, scope in _check_scopes(framework, body)}
    out = {}
    for element_id in sorted(wanted):
        for p in scopes.get(element_id, body):
            found = matcher.find(p.index, p.sentence_texts(), [element_id], any_sentence=True)
            if found:
                out[element_id] = found[0]
                break
    return out


def _model_evidence(model, doc: Doc, body, sentences, wanted: set[str]) -> list[Evidence]:
    """Elements the classifier sees in body paragraphs; the evidence is the paragraph's lead sentence."""
    from analyzer.mapping.features import paragraph_items

    items = paragraph_items(doc)
    rows = [p.index for p in body]
    classes = [c for c in model.classes_ if c in wanted]
    if not classes:
        return []
    probabilities = model.predict_items([items[i] for i in rows], classes=classes)
    # (row, class) pairs over the threshold, row by row, as a loop over both would give them
    over_rows, over_classes = (probabilities >= ELEMENT_THRESHOLD).nonzero()
    return [Evidence(classes[k], rows[row], sentences[rows[row]][0], MODEL_TERM)
            for row, k in zip(over_rows.tolist(), over_classes.tolist())]
