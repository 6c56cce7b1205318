"""The one-scan automaton against the plain searches it replaced (a ``find`` loop per string),
kept here as reference functions: the same hits, screens, typo variants and evidence over every
corpus report in every framework, as written and with the terms damaged."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

import pytest
from builders import corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.checks.boilerplate import default_detector
from analyzer.checks.elements import ElementMatcher
from analyzer.frameworks import load_framework
from analyzer.text.automaton import Strings, spans_holding
from analyzer.text.structure import split_sentences

FRAMEWORKS = ("fzzf-2015", "fzzf-2021", "duc-2019")


# -- the plain searches (as the modules did them before the automaton) -------------------------


def find_all(string: str, text: str) -> list[int]:
    found, at = [], text.find(string)
    while at >= 0:
        found.append(at)
        at = text.find(string, at + 1)
    return found


def reference_possible(matcher: ElementMatcher, text: str, ids) -> tuple[set[str], set[str]]:
    def any_in(literals):
        return literals is None or any(literal in text for literal in literals)

    exact = {eid for eid in ids if any_in(matcher._exact_needs[eid])}
    fuzzy = {eid for eid in ids if matcher._fuzzy_needs[eid] and any_in(matcher._fuzzy_needs[eid])}
    return exact, fuzzy


def reference_has_variant(parts, text: str) -> bool:
    for before, after in parts:
        if len(before) >= len(after):
            if any(text.startswith(after, at + len(before) + 1) for at in find_all(before, text)):
                return True
        elif any(text.startswith(before, at - len(before) - 1) for at in find_all(after, text) if at > len(before)):
            return True
    return False


def reference_candidates(detector, text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    starts = [start for start, _ in spans]
    found: list[set[int]] = [set(detector._always) for _ in spans]
    for literal, entries in detector._by_literal.items():
        for at in find_all(literal, text):
            k = bisect_right(starts, at) - 1
            if k >= 0 and at + len(literal) <= spans[k][1]:
                found[k].update(entries)
    return [sorted(f) for f in found]


# -- the automaton itself ------------------------------------------------------------------------

PIECES = st.text(alphabet="法治政府法律顾问审查在\n", min_size=1, max_size=6)  # strings are never empty


@given(st.lists(PIECES, max_size=12), st.text(alphabet="法治政府律顾问审查在\n", max_size=60))
@settings(max_examples=300, deadline=None)
def test_every_occurrence_is_found_overlapping_ones_too(strings, text):
    hits = Strings(strings).occurrences(text)
    for string in strings:
        assert hits.starts(string) == find_all(string, text)
        assert (string in hits) == (string in text)


def test_overlapping_and_nested_occurrences():
    hits = Strings(["法治", "法治政府", "政府", "府府"]).occurrences("法治政府府府")
    assert hits.starts("法治") == [0] and hits.starts("法治政府") == [0]
    assert hits.starts("府府") == [3, 4]  # overlapping
    assert hits.starts("政") == [2]  # a single character, answered from the text
    assert "审查" not in hits and hits.starts("审查") == []


def test_spans_holding_counts_only_strings_wholly_inside_a_span():
    text = "依法行政。法治\n政府"
    hits = Strings(["依法", "法行", "法治", "治政", "政府"]).occurrences(text)
    inside = spans_holding(hits.by_string(["依法", "法行", "法治", "治政", "政府"]), [(0, 5), (5, 8), (8, 10)])
    assert inside == [{"依法", "法行"}, {"法治"}, {"政府"}]  # 治\n政 spans a join: nowhere


def test_no_strings_finds_nothing():
    assert Strings(["", "法"]).scan("法治") == []


# -- the checks that read it, over the corpus ----------------------------------------------------


def damaged(texts: list[str], matcher: ElementMatcher) -> list[list[str]]:
    """The report as written, with one character of every long term replaced (typo variants: what
    typo tolerance must find), and with one dropped (near misses: what it must not)."""
    swapped, dropped = texts, texts
    for n, term in enumerate(sorted(matcher.known_terms, key=len, reverse=True)):
        if len(term) >= 4:
            i = 1 + n % (len(term) - 1)
            swapped = [t.replace(term, term[:i] + "丁" + term[i + 1 :]) for t in swapped]
            dropped = [t.replace(term, term[:-1]) for t in dropped]
    return [texts, swapped, dropped]


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_element_screens_and_evidence_match_the_plain_search(framework_id):
    matcher = ElementMatcher(load_framework(framework_id))
    ids = list(matcher.elements)
    variants = evidence = typo_evidence = 0
    for report in corpus_texts():
        for texts in damaged(report, matcher):
            document = "\n".join(texts)
            hits = matcher.occurrences(document)
            exact, fuzzy = reference_possible(matcher, document, ids)
            assert matcher.possible(hits, ids) == (exact, fuzzy)
            typos = {eid for eid in fuzzy if reference_has_variant(matcher._typo_parts[eid], document)}
            assert matcher.typos_in(hits, fuzzy) == typos
            variants += len(typos)
            # Evidence by the exact terms: the automaton's hits against each element's regex, paragraph by paragraph.
            paragraphs = [(i, [t[s:e] for s, e in split_sentences(t)] or [t]) for i, t in enumerate(texts)]
            expected = [ev for i, sentences in paragraphs for ev in matcher.find(i, sentences, ids, possible=(exact, set()))]
            assert matcher.find_exact(paragraphs, ids, exact, hits=hits) == expected
            evidence += len(expected)
            # Every element searched only in the paragraphs holding one of its places: what searching each finds.
            possible = (exact, typos)
            everywhere = [ev for i, sentences in paragraphs for ev in matcher.find(i, sentences, ids, possible=possible)]
            assert matcher.find_in(paragraphs, hits, ids, possible=possible) == everywhere
            typo_evidence += sum(ev.element in typos and ev.element not in exact for ev in everywhere)
    assert variants > 50 and evidence > 1000 and typo_evidence > 0  # every search had work to do


def test_boilerplate_candidates_match_the_plain_search():
    detector = default_detector()
    sentences = 0
    for texts in corpus_texts():
        spans = [(start + s, start + e) for start, t in zip([0, *accumulate(len(t) + 1 for t in texts)], texts)
                 for s, e in split_sentences(t)]
        document = "\n".join(texts)
        candidates = detector.candidates(document, spans)
        assert candidates == reference_candidates(detector, document, spans)
        sentences += sum(map(bool, candidates))
    assert sentences > 500


@given(st.text(alphabet="一二个意识“统是进步", max_size=40))
@settings(max_examples=300, deadline=None)
def test_first_matches_are_what_the_regex_finds(text):
    from analyzer.literals import finite_language
    from analyzer.text.automaton import FirstMatches

    pattern = "[一二]个(?:意识|“)|二个|一是|进一步|一|“?统一"
    matches = FirstMatches(finite_language(pattern))
    assert matches.spans(text) == [m.span() for m in re.finditer(pattern, text)]
    assert matches.mask(text, "□") == re.sub(pattern, lambda m: "□" * len(m.group(0)), text)


@given(st.lists(PIECES, max_size=8), st.lists(PIECES, max_size=4), st.text(alphabet="法治政府律顾问审查在\n", max_size=40))
@settings(max_examples=300, deadline=None)
def test_a_group_occurs_when_one_of_its_strings_does(built, asked, text):
    """Asked about strings the automaton was built with or not, single characters, the empty string."""
    strings = Strings(built)
    asked = [*asked, ""] if len(asked) == 3 else asked
    assert strings.occurrences(text).any_of(strings.group(asked)) == any(s in text for s in asked)
