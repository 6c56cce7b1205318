"""Required literals of a regular expression: strings of which every match contains at least one.

A lexicon of dozens of patterns is slow to search with one big alternation: Python's ``re`` tries
every branch at every position. But almost every pattern needs some literal text (起到…作用 needs
``起到``; 高度重视|十分重视 needs one of the two), and ``substring in text`` is a C loop. So a pattern
is searched only where one of its required literals occurs. The analysis walks the parsed pattern
(``re._parser``, the parser ``re`` itself uses) and is conservative: when it cannot prove a literal
is required it returns None and the caller searches as before.
"""

from __future__ import annotations

import re
from re import _constants as C  # noqa: N812
from re import _parser

MAX_CLASS = 12  # a character class of at most this many literal characters is a set of one-char literals
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def required_literals(pattern: str) -> frozenset[str] | None:
    """Literals one of which occurs in every match of ``pattern``; None if none can be proven."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # case folding changes what "contains" means; keep it simple and safe
    found = _sequence(parsed.data)
    return frozenset(found) if found else None


def literal_sets(patterns: list[str]) -> list[frozenset[str] | None]:
    """``required_literals`` of each pattern, from the disk cache when these patterns were analysed before."""
    from analyzer.cache import cached

    def build():
        return [None if found is None else sorted(found) for found in map(required_literals, patterns)]

    stored = cached("literals", ["\0".join(patterns).encode("utf-8")], build, code=(__file__,))
    return [None if found is None else frozenset(found) for found in stored]


def context_free(patterns: list[str]) -> list[bool]:
    """Whether each pattern's matches depend only on the matched characters: no anchors, word
    boundaries, look-arounds or back-references. Such a pattern finds, in a text made of joined
    paragraphs, what it finds in each paragraph, unless a match runs across the join (which the
    caller can see). Cached like ``literal_sets``."""
    from analyzer.cache import cached

    def build():
        return [_free(_parser.parse(pattern).data) for pattern in patterns]

    return cached("context-free", ["\0".join(patterns).encode("utf-8")], build, code=(__file__,))


_CONTEXT = (C.AT, C.ASSERT, C.ASSERT_NOT, C.GROUPREF, C.GROUPREF_EXISTS)


def _free(items) -> bool:
    for op, av in items:
        if op in _CONTEXT:
            return False
        if op is C.SUBPATTERN and not _free(av[-1].data):
            return False
        if op is C.BRANCH and not all(_free(branch.data) for branch in av[1]):
            return False
        if op in _REPEATS and not _free(av[2].data):
            return False
    return True


def _sequence(items) -> set[str] | None:
    """Every item of a sequence is required, so any item's literals will do: keep the most selective."""
    options: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is C.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append({run})
            run = ""
        found = _item(op, av)
        if found:
            options.append(found)
    if run:
        options.append({run})
    if not options:
        return None
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


def _item(op, av) -> set[str] | None:
    if op is C.SUBPATTERN:
        return _sequence(av[-1].data)
    if op is C.BRANCH:
        branches = [_sequence(branch.data) for branch in av[1]]
        return set().union(*branches) if branches and all(branches) else None
    if op in _REPEATS and av[0] >= 1:
        return _sequence(av[2].data)
    if op is C.IN and len(av) <= MAX_CLASS and all(kind is C.LITERAL for kind, _ in av):
        return {chr(code) for _, code in av}
    return None  # assertions, anchors, any-character, negated or ranged classes: nothing required


def finite_language(pattern: str, *, limit: int = 2000) -> list[str] | None:
    """Every string ``pattern`` matches, in the order a backtracking matcher prefers them (earlier
    branch, greedier repeat first), when it is a finite set of at most ``limit`` non-empty literals
    without flags, anchors or look-arounds; else None. An automaton that reports the leftmost
    match, first string first, then finds exactly what the regex finds (``automaton.FirstMatches``)."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE | re.DOTALL):
        return None
    try:
        strings = _language(parsed.data, limit)
    except _NotFinite:
        return None
    if strings is None or "" in strings:
        return None
    return list(dict.fromkeys(strings))


class _NotFinite(Exception):
    pass


def _language(items, limit: int) -> list[str]:
    strings = [""]
    for op, av in items:
        strings = [a + b for a in strings for b in _item_language(op, av, limit)]
        if len(strings) > limit:
            raise _NotFinite
    return strings


def _item_language(op, av, limit: int) -> list[str]:
    if op is C.LITERAL:
        return [chr(av)]
    if op is C.IN and all(kind is C.LITERAL for kind, _ in av):
        return [chr(code) for _, code in av]  # one character: only one of them can match at a place
    if op is C.SUBPATTERN and not av[1] and not av[2]:  # a group without flags
        return _language(av[-1].data, limit)
    if op is C.BRANCH:
        return [s for branch in av[1] for s in _language(branch.data, limit)]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] is not C.MAXREPEAT and av[1] <= 8:
        body = _language(av[2].data, limit)
        counts = range(av[1], av[0] - 1, -1) if op is C.MAX_REPEAT else range(av[0], av[1] + 1)
        out: list[str] = []
        for count in counts:  # greedy: more repetitions first; lazy: fewer first
            repeated = [""]
            for _ in range(count):
                repeated = [a + b for a in repeated for b in body]
                if len(repeated) > limit:
                    raise _NotFinite
            out += repeated
        return out
    raise _NotFinite

