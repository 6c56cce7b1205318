"""Element evidence: terms found in sentences, typos tolerated, near-synonyms kept apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.checks.elements import ElementMatcher, is_plausible_typo
from analyzer.frameworks import load_framework

MATCHER = ElementMatcher(load_framework("fzzf-2015"))


def test_a_term_evidences_its_element():
    assert MATCHER.match("A1.2", "大力推进权责清单并实施动态管理。") == "权责清单"


def test_one_mistyped_character_is_tolerated():
    assert MATCHER.match("A3.4", "三是聘请法律顾向,加强涉法事项的指导。") == "法律顾向"


def test_a_different_domain_word_is_not_a_typo():
    matcher = ElementMatcher(load_framework("fzzf-2021"))
    assert matcher.match("B3.3", "对重大行政决策事项全部进行合法性审查。") is None


def test_seed_elements_with_evidence(seed_analysis):
    found = {e.id: e for s in seed_analysis.sections for e in s.elements if e.found}
    assert "A1.2" in found and found["A1.2"].evidence[0]["term"] == "权责清单"
    # A3.4 is evidenced by its terms (合法性审查), so the seed's typo 法律顾向 is not needed as well.
    assert found["A3.4"].evidence and all(ev["term"] != "法律顾向" for ev in found["A3.4"].evidence)


def test_a_typo_evidences_an_element_its_terms_miss(seed_paragraphs):
    """The seed's own typo (聘请法律顾向) evidences A3.4 once the exact terms are gone."""
    from analyzer import analyze

    text = "\n".join(p.replace("合法性审查", "审查") for p in seed_paragraphs)
    analysis = analyze(text, framework="fzzf-2015")
    found = {e.id: e for s in analysis.sections for e in s.elements}
    paragraph_of = {p.index: p.section for p in analysis.paragraphs}
    adviser = [ev for ev in found["A3.4"].evidence if ev["term"] == "法律顾向"]
    assert adviser and paragraph_of[adviser[0]["paragraph"]] == "S5"


def test_the_document_screen_changes_no_evidence_over_the_corpus():
    """Skipping the elements whose terms (and typo halves) are absent from a document finds, paragraph
    for paragraph, exactly what searching every element everywhere finds, in all frameworks."""
    from builders import corpus_texts

    from analyzer.text.structure import split_sentences

    evidence = 0
    for framework_id in ("fzzf-2015", "fzzf-2021", "duc-2019"):
        matcher = ElementMatcher(load_framework(framework_id))
        ids = list(matcher.elements)
        for texts in corpus_texts():
            possible = matcher.possible("\n".join(texts), ids)
            for index, text in enumerate(texts):
                sentences = [text[s:e] for s, e in split_sentences(text)] or [text]
                brute = matcher.find(index, sentences, ids)
                assert matcher.find(index, sentences, ids, possible=possible) == brute, text
                evidence += len(brute)
    assert evidence > 3000


def test_the_typo_screen_changes_no_evidence_over_the_corpus():
    """Typo patterns searched only for elements with a variant in the document (``typos_in``) find,
    paragraph for paragraph, what searching them everywhere finds, with the corpus's terms removed
    so that typo search has work to do."""
    from builders import corpus_texts

    checked = typos = 0
    for framework_id in ("fzzf-2015", "fzzf-2021"):
        matcher = ElementMatcher(load_framework(framework_id))
        ids = list(matcher.elements)
        for texts in corpus_texts()[::3]:
            # Drop one character from every long term: the exact search then misses most elements.
            for term in sorted(matcher.known_terms, key=len, reverse=True):
                if len(term) >= 4:
                    texts = [t.replace(term, term[:-1]) for t in texts]
            document = "\n".join(texts)
            _, halves = matcher.possible(document, ids)
            sharp = (set(), matcher.typos_in(document, halves))
            for index, text in enumerate(texts):
                brute = matcher.find(index, [text], ids, possible=(set(), set(ids)))
                assert matcher.find(index, [text], ids, possible=sharp) == brute, text
                typos += len(brute)
            checked += len(halves - sharp[1])
    assert typos > 20 and checked > 500  # typo evidence was found, and many patterns were skipped


TERM_PIECES = ["法律顾问", "合法性审查", "权责清单", "行政复议", "法", "律", "顾", "问", "审", "查", "。", "向", "\n"]


PIECE_ELEMENTS = sorted(eid for eid, e in MATCHER.elements.items() if set(e.terms) & set(TERM_PIECES))


@given(st.lists(st.sampled_from(TERM_PIECES), max_size=30), st.sampled_from(PIECE_ELEMENTS))
@settings(max_examples=300, deadline=None)
def test_the_typo_screen_keeps_every_element_its_pattern_matches(pieces, element_id):
    text = "".join(pieces)
    if MATCHER._typo_pattern(element_id).search(text):
        assert MATCHER.typos_in(text, [element_id]) == {element_id}


def test_a_typo_survives_the_document_screen():
    ids = list(MATCHER.elements)
    possible = MATCHER.possible("三是聘请法律顾向。", ids)
    assert "A3.4" in possible[1] and "A3.4" not in possible[0]
    assert "A3.4" in MATCHER.typos_in("三是聘请法律顾向。", possible[1])
    assert "A3.4" not in MATCHER.typos_in("三是聘请法律人员。", possible[1])  # halves, but no variant
    found = MATCHER.find(0, ["三是聘请法律顾向。"], ids, possible=possible)
    assert [e.term for e in found if e.element == "A3.4"] == ["法律顾向"]


def test_searching_the_joined_paragraphs_finds_what_each_paragraph_holds():
    """``find_exact`` (one search per element over the document) gives, evidence for evidence and in
    the same order, what searching paragraph by paragraph gives, over the corpus and frameworks."""
    from builders import corpus_texts

    from analyzer.text.structure import split_sentences

    compared = 0
    for framework_id in ("fzzf-2015", "fzzf-2021", "duc-2019"):
        matcher = ElementMatcher(load_framework(framework_id))
        ids = list(matcher.elements)
        for texts in corpus_texts():
            paragraphs = [(i, [t[s:e] for s, e in split_sentences(t)] or [t]) for i, t in enumerate(texts)]
            exact, _ = matcher.possible("\n".join(texts), ids)
            expected = [ev for i, sentences in paragraphs
                        for ev in matcher.find(i, sentences, ids, possible=(exact, set()))]
            assert matcher.find_exact(paragraphs, ids, exact) == expected
            compared += len(expected)
    assert compared > 3000


def test_a_match_across_paragraphs_falls_back_to_each_paragraph():
    """A regex that could run over a paragraph join (\\s matches the newline) is not trusted there."""
    from analyzer.frameworks import Element, validate_record

    element = validate_record({
        "id": "X1", "name": "规章数量", "status": "unverified", "terms": ["规章数量统计"],
        "regex": [r"规章\s*\d+\s*件"], "evidence": ["规章件数"],
        "examples": {"pass": ["制定规章3件。"], "fail": ["规章。"]},
    }, Element)
    matcher = ElementMatcher(load_framework("fzzf-2015"))
    matcher.elements["X1"], matcher._exact_needs["X1"], matcher._context_free["X1"] = element, ("规章",), True
    paragraphs = [(0, ["修订规章"]), (1, ["12件材料。"]), (2, ["制定规章3件。"])]
    found = matcher.find_exact(paragraphs, ["X1"], {"X1"})
    assert [(ev.paragraph, ev.term) for ev in found] == [(2, "规章3件")]


LEAD_FORMULA = "局主要负责人做到重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办。"
LEAD_ACT = "局长主持召开党组会议4次专题研究法治政府建设。"


def test_an_element_that_needs_a_fact_ignores_sentences_without_one():
    assert "LEAD" in MATCHER.needs_fact
    assert MATCHER.match("LEAD", LEAD_FORMULA) is None
    assert MATCHER.match("LEAD", LEAD_ACT) in LEAD_ACT
    assert MATCHER.search("LEAD", LEAD_FORMULA)  # the terms are there: only the fact is missing


def test_the_evidence_of_an_element_that_needs_a_fact_is_the_sentence_with_one():
    found = MATCHER.find(7, [LEAD_FORMULA, LEAD_ACT], ["LEAD"])
    assert [(e.paragraph, e.sentence) for e in found] == [(7, LEAD_ACT)]
    assert MATCHER.find(7, [LEAD_FORMULA], ["LEAD"]) == []
    general = MATCHER.find(7, [LEAD_FORMULA], ["LEAD"], any_sentence=True)
    assert [e.sentence for e in general] == [LEAD_FORMULA]
    assert MATCHER.find_exact([(7, [LEAD_FORMULA, LEAD_ACT])], ["LEAD"], {"LEAD"}) == found


@pytest.mark.parametrize("variant, term, typo", [
    ("法律顾向", "法律顾问", True),  # the seed's own typo: 顾向 is no word
    ("行政复仪", "行政复议", True),
    ("政府依法", "政府立法", False),  # 政府 | 依法: two real words
    ("制定规范", "制定规章", False),  # as in 制定规范性文件
    ("综合受理", "综合治理", False),
])
def test_a_typo_must_not_read_as_other_real_words(variant, term, typo):
    assert is_plausible_typo(variant, [term]) is typo


def test_a_common_phrase_one_character_off_a_term_is_no_evidence():
    assert "政府立法" in MATCHER.elements["A2.1"].terms
    assert MATCHER.match("A2.1", "县政府依法决策水平不断提高。") is None
