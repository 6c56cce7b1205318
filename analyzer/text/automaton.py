"""Many literal strings found in one scan of a text (Aho–Corasick).

The checks look for thousands of fixed strings: element terms, the halves and parts of their typo
variants, the literals that the 套话 lexicon's patterns require. Searching them one ``str.find``
loop each costs a scan of the text per string (about 3,000 per report); an Aho–Corasick automaton
finds every occurrence of every string, overlapping ones included, in one pass. The automaton is
built once, by whoever owns the strings (the element matcher of a framework, the lexicon's
detector), and kept with them.

Backend: ``ahocorasick-rs`` (Rust). Measured against ``pyahocorasick`` on the strings of the three
frameworks and the lexicon over 5,000-character reports: a scan with its hits turned into Python
tuples a third faster (0.8 against 1.2 ms), building slower (5 against 1 ms), paid once per framework
and process (``benchmarks/bench_automaton.py``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import ahocorasick_rs

Hit = tuple[int, int, int]  # (string number, start, end) in characters


class Strings:
    """A fixed set of non-empty strings and their automaton; ``scan`` gives every occurrence.

    Single characters (件, 人, 在 …) stay out of the automaton: they would make a third of the hits
    of a report, and ``Occurrences`` answers for them with ``in`` and ``find`` on the text."""

    def __init__(self, strings: Iterable[str]):
        self.strings: tuple[str, ...] = tuple(dict.fromkeys(s for s in strings if len(s) > 1))
        self.number = {s: k for k, s in enumerate(self.strings)}
        # Standard match kind: every occurrence, overlapping ones too (as a ``find`` loop per string).
        self._automaton = ahocorasick_rs.AhoCorasick(self.strings) if self.strings else None

    def scan(self, text: str) -> list[Hit]:
        """Every occurrence of every string in ``text``, ordered by where it ends."""
        if self._automaton is None:
            return []
        return self._automaton.find_matches_as_indexes(text, overlapping=True)

    def occurrences(self, text: str) -> Occurrences:
        return Occurrences(self, text, self.scan(text))

    def group(self, strings: Iterable[str] | None) -> Group | None:
        """``strings`` prepared for ``Occurrences.any_of`` (None stays None: cannot tell, so True)."""
        if strings is None:
            return None
        strings = set(strings)
        return Group(frozenset(self.number[s] for s in strings if s in self.number),
                     frozenset(s for s in strings if s not in self.number))


class Group:
    """Strings asked about together: their numbers in the automaton, and the rest (``others``:
    single characters, tested against the text's set of characters, and strings the automaton was
    not built with; the empty string, which every text contains, makes the answer always yes)."""

    __slots__ = ("numbers", "others", "chars", "longer", "always")

    def __init__(self, numbers: frozenset[int], others: frozenset[str]):
        self.numbers, self.others, self.always = numbers, others - {""}, "" in others
        self.chars = frozenset(s for s in self.others if len(s) == 1)
        self.longer = tuple(sorted(s for s in self.others if len(s) > 1))


class Occurrences:
    """The hits of one scan of ``text``, read back by string: which occur, and where."""

    def __init__(self, strings: Strings, text: str, hits: list[Hit]):
        self.text = text
        self._strings = strings
        self._chars: set[str] | None = None  # the text's characters, for single-character tests
        self._starts: dict[int, list[int]] = {}
        for number, start, _ in hits:  # measured faster than sorting and grouping them
            self._starts.setdefault(number, []).append(start)
        for starts in self._starts.values():
            starts.sort()

    def __contains__(self, string: str) -> bool:
        number = self._strings.number.get(string)
        return number in self._starts if number is not None else string in self.text

    def any_of(self, strings: Iterable[str] | Group | None) -> bool:
        """Whether one of ``strings`` occurs (None: cannot tell, so True, as ``any(s in text …)`` callers
        expect); a ``Group`` of them (``Strings.group``) is answered by one set test."""
        if strings is None:
            return True
        if isinstance(strings, Group):
            if strings.always or not self._starts.keys().isdisjoint(strings.numbers):
                return True
            if strings.chars:
                if self._chars is None:
                    self._chars = set(self.text)
                if not self._chars.isdisjoint(strings.chars):
                    return True
            return any(s in self.text for s in strings.longer)
        return any(s in self for s in strings)

    def numbers(self):
        """The numbers of the automaton's strings that occur (a live view: do not change the hits)."""
        return self._starts.keys()

    def found(self, others: Iterable[str] = ()):
        """(string, starts) of every automaton string that occurs, then of each of ``others`` (strings
        the automaton was not built with) that occurs: ``by_string`` of all the automaton's strings
        and ``others``, in another order, without asking for the strings that do not occur."""
        strings = self._strings.strings
        for number, starts in self._starts.items():
            yield strings[number], starts
        yield from self.by_string(others)

    def present(self, numbers: frozenset[int]) -> set[int]:
        """Those of the automaton's strings numbered ``numbers`` that occur (one set operation)."""
        return self._starts.keys() & numbers

    def starts_of(self, number: int) -> list[int]:
        """``starts`` of the automaton's string numbered ``number``."""
        return self._starts.get(number, [])

    def starts(self, string: str) -> list[int]:
        """Where ``string`` starts in the text, in order (every occurrence, overlapping ones too)."""
        number = self._strings.number.get(string)
        return self._starts.get(number, []) if number is not None else _find_all(string, self.text)

    def by_string(self, strings: Iterable[str]):
        """(string, starts) of each of ``strings`` that occurs."""
        for string in strings:
            starts = self.starts(string)
            if starts:
                yield string, starts


def _find_all(string: str, text: str) -> list[int]:
    """Every start of ``string`` in ``text``, overlapping occurrences too (a string not in the automaton)."""
    found = []
    at = text.find(string) if string else -1
    while at >= 0:
        found.append(at)
        at = text.find(string, at + 1)
    return found


def spans_holding(starts_of: Iterable[tuple[str, list[int]]], spans: list[tuple[int, int]]) -> list[set[str]]:
    """For each span (start, end) of a text, the strings occurring wholly inside it, given where
    each string starts (``Occurrences.by_string``)."""
    span_starts = [start for start, _ in spans]
    found: list[set[str]] = [set() for _ in spans]
    for string, starts in starts_of:
        for at in starts:
            k = bisect_right(span_starts, at) - 1
            if k >= 0 and at + len(string) <= spans[k][1]:
                found[k].add(string)
    return found


class FirstMatches:
    """What ``re.finditer`` of an alternation of literals finds (the leftmost match, the earliest
    string first, then on after it), in one automaton scan: ``strings`` in the alternation's
    order of preference (``literals.finite_language`` gives it for a regex)."""

    def __init__(self, strings: Iterable[str]):
        strings = list(strings)
        self._automaton = (
            ahocorasick_rs.AhoCorasick(strings, matchkind=ahocorasick_rs.MatchKind.LeftmostFirst) if strings else None
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self._automaton is None:
            return []
        return [(start, end) for _, start, end in self._automaton.find_matches_as_indexes(text)]

    def mask(self, text: str, fill: str) -> str:
        """``text`` with every match replaced by ``fill`` repeated to its length (offsets kept)."""
        pieces, last = [], 0
        for start, end in self.spans(text):
            pieces += [text[last:start], fill * (end - start)]
            last = end
        return "".join(pieces) + text[last:] if pieces else text

