"""Element evidence: terms found in sentences, typos tolerated, near-synonyms kept apart."""

from __future__ import annotations

from analyzer.elements import ElementMatcher
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
    paragraph_of = {p.index: p.section for p in seed_analysis.paragraphs}
    adviser = [ev for ev in found["A3.4"].evidence if ev["term"].startswith("法律顾")]
    assert adviser and paragraph_of[adviser[0]["paragraph"]] == "S5"
