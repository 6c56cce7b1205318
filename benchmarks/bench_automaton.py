"""Which Aho–Corasick library: ``ahocorasick-rs`` or ``pyahocorasick``, on our strings and reports?

    python benchmarks/bench_automaton.py [--reports 20] [--repeat 7]

The strings are what the element matchers scan for in all three frameworks (terms, required
literals, typo halves and anchors: ``ElementMatcher.strings``) plus the 套话 lexicon's literals.
Measured in one run, medians of ``--repeat``: building the automaton, and one overlapping scan of
each 5,000-character report turned into (string number, start) hits, against the ``str.find``
loop per string that the automaton replaced and raw ``jieba.lcut`` of the same text (ratio 1.00).
``pyahocorasick`` is optional here (``pip install pyahocorasick``); the project depends on the other.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import build_reports, fmt_ms, print_header


def strings() -> list[str]:
    from analyzer.checks.boilerplate import default_detector
    from analyzer.checks.elements import ElementMatcher
    from analyzer.frameworks import load_framework

    found = set(default_detector()._literals.strings)
    for framework_id in ("fzzf-2015", "fzzf-2021", "duc-2019"):
        found |= set(ElementMatcher(load_framework(framework_id)).strings.strings)
    return sorted(found)


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    import ahocorasick_rs
    import jieba

    print_header("bench_automaton: Aho-Corasick libraries on the checks' strings")
    patterns = strings()
    texts = build_reports(args.reports)
    jieba.initialize()

    def build_rs():
        return ahocorasick_rs.AhoCorasick(patterns)

    def scan_rs(automaton, text):
        return [(n, start) for n, start, _ in automaton.find_matches_as_indexes(text, overlapping=True)]

    def scan_find(_, text):
        out = []
        for n, string in enumerate(patterns):
            at = text.find(string)
            while at >= 0:
                out.append((n, at))
                at = text.find(string, at + 1)
        return out

    libraries = {"ahocorasick-rs": (build_rs, scan_rs)}
    try:
        import ahocorasick

        def build_py():
            automaton = ahocorasick.Automaton()
            for n, string in enumerate(patterns):
                automaton.add_word(string, (n, len(string)))
            automaton.make_automaton()
            return automaton

        def scan_py(automaton, text):
            return [(n, end - size + 1) for end, (n, size) in automaton.iter(text)]

        libraries["pyahocorasick"] = (build_py, scan_py)
    except ImportError:
        print("   (pyahocorasick not installed: only ahocorasick-rs measured)")
    libraries["str.find per string"] = (lambda: None, scan_find)

    built = {name: build() for name, (build, _) in libraries.items()}
    reference = [sorted(scan_find(None, t)) for t in texts]
    for name, (_, scan) in libraries.items():
        assert [sorted(scan(built[name], t)) for t in texts] == reference, f"{name} finds other hits"
    base = median(lambda: [jieba.lcut(t) for t in texts], args.repeat) / len(texts)
    print(f"\n   {len(patterns):,} strings, {len(texts)} reports of {len(texts[0]):,} characters, median of {args.repeat}")
    print(f"   {'method':22} {'build':>12} {'scan/report':>12} {'/ jieba.lcut':>13}")
    for name, (build, scan) in libraries.items():
        building = median(build, args.repeat)
        scanning = median(lambda scan=scan, name=name: [scan(built[name], t) for t in texts], args.repeat) / len(texts)
        print(f"   {name:22} {fmt_ms(building)} {fmt_ms(scanning)} {scanning / base:13.3f}")
    print(f"   {'jieba.lcut':22} {'':>12} {fmt_ms(base)} {1:13.3f}")


if __name__ == "__main__":
    main()
