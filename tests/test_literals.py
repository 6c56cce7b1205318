"""Required literals: every match of a pattern contains one of them, or the analysis says None."""

from __future__ import annotations

import re

import pytest

from analyzer.literals import finite_language, required_literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("高度重视", {"高度重视"}),
        ("取得了?(较好|良好)的?(效果|成效)", {"取得"}),  # an optional 了 breaks the run
        ("全力以赴|竭尽全力", {"全力以赴", "竭尽全力"}),
        ("(?<!依法)有效(解决|破解)", {"有效"}),  # a look-behind requires nothing
        ("[Xx×](?=[件项])", {"X", "x", "×"}),
        ("(抓紧)+抓实", {"抓紧"}),  # at least once: its literal is required (as long as 抓实)
    ],
)
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == expected


@pytest.mark.parametrize("pattern", [".*", "(?i)xx", "[^，。]{2,4}", "(法治)?", "a|.", "\\d+"])
def test_nothing_provable_gives_none(pattern):
    assert required_literals(pattern) is None


SAMPLES = ["取得了良好的成效", "有效解决", "依法有效解决", "抓紧抓紧抓实", "X件", "全力以赴。竭尽全力", "ab", "XXyy"]


@pytest.mark.parametrize(
    "pattern", ["取得了?(较好|良好)的?(效果|成效)", "(?<!依法)有效(解决|破解)", "(抓紧)+抓实", "[Xx](?=件)", "a(b|c)?|XX"]
)
def test_every_match_contains_a_literal(pattern):
    literals = required_literals(pattern)
    for text in SAMPLES:
        for match in re.finditer(pattern, text):
            assert any(lit in match.group(0) for lit in literals), (pattern, match.group(0))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[一二]个(?:意识|“)", ["一个意识", "一个“", "二个意识", "二个“"]),
        ("六个“?统一", ["六个“统一", "六个统一"]),  # greedy: with the optional character first
        ("六个“??统一", ["六个统一", "六个“统一"]),  # lazy: without it first
        ("(?:ab|a)c|ac", ["abc", "ac"]),  # in the order a backtracking matcher tries them, once each
    ],
)
def test_finite_language(pattern, expected):
    assert finite_language(pattern) == expected


@pytest.mark.parametrize("pattern", ["a+", "a*b", "^ab", "a(?=b)", "(?i)ab", "a?", "[^a]b", "\\d件", "a{1,20}"])
def test_an_unbounded_or_contextual_pattern_has_no_finite_language(pattern):
    assert finite_language(pattern) is None
