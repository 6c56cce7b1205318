"""How fast is a full analysis, against jieba merely segmenting the same text?

    python benchmarks/bench_analyze.py [--reports 20] [--repeat 5] [--batch 1000] [--profile] [--cpu]
                                       [--corpus-only] [--repeat-corpus 9]

First, for **every** report of the corpus (``corpora/src``) and the seed: the full analysis with the
default backend, JSON included (``analyze(text).to_json()``), against raw ``jieba.lcut`` of the same
text, interleaved report by report, median of ``--repeat-corpus`` calls each; the ratio per report,
its median and worst (issue 18: median <= 0.5, worst <= 0.8), and where the analysis spends its time
by stage (ingest, structure, segment, plan, map, elements, boilerplate, copying, findings, render),
each stage's time also split into a fixed part and a part per 1,000 characters (a least-squares fit
over the reports and their first halves, analysed as new reports): which part of a report's ratio
cutting fixed costs can remove, and which ratio a long report tends to; the cost of a call on
each report's first two paragraphs (almost no text); and the floor of today's features, what any
analysis does once per character, word or paragraph with none of the checks' logic (``floor_times``),
against jieba: what the median goal leaves for that logic.
Each call is timed as a new report's: the heading matchers forget the headings of the call before.

Then, on the seed and on a set of 5,000-character reports, each method timed on the same text: raw
``jieba.lcut`` (the baseline, ratio 1.00), raw ``rjieba.cut``, and the full ``analyze`` with each
segmenter backend. ``--batch N`` adds throughput over N distinct reports analysed one after
another in this warm process; ``--profile`` prints where a warm ``analyze`` spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from functools import lru_cache

from common import ROOT, build_reports, fmt_ms, median_time, peak_rss_mb, print_header, print_profile, seed_text

BACKENDS = ("rjieba", "jieba")


def methods() -> dict[str, Callable[[str], object]]:
    """Name → function of the text; everything loaded here, outside the timings. (``rjieba.cut``
    runs with the domain words that ``analyzer.text.segment`` added to rjieba's global dictionary;
    ``jieba.lcut`` with jieba's plain one: a few hundred words change nothing in their speed.)"""
    import logging

    import jieba
    import rjieba

    from analyzer import analyze
    from analyzer.mapping.model import default_scorer
    from analyzer.text.segment import get_segmenter

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for backend in BACKENDS:
        get_segmenter(backend)
    default_scorer()
    return {
        "jieba.lcut (baseline)": jieba.lcut,
        "rjieba.cut": rjieba.cut,
        **{f"analyze, {b}": as_new_report(lambda text, b=b: analyze(text, segmenter=b)) for b in BACKENDS},
    }


def as_new_report(analyze_fn: Callable) -> Callable:
    """``analyze_fn`` with the heading matchers' caches emptied before each call: a report timed again
    for a median would find its headings matched by its own earlier call, which a new report never does
    (matching a report's new headings was ~10% of its analysis, hidden by that cache until 2026-12-07)."""
    from analyzer.mapping import sections

    def call(*args, **kwargs):
        for matcher in sections._heading_matchers.values():
            matcher._cache.clear()
        return analyze_fn(*args, **kwargs)

    return call


def first_calls(fns: dict, text: str) -> dict[str, float]:
    """The first call of each method in this process: what caches and lazy loads still cost."""
    out = {}
    for name, fn in fns.items():
        start = time.perf_counter()
        fn(text)
        out[name] = time.perf_counter() - start
    return out


def time_texts(fns: dict, texts: list[str], *, repeat: int, clock) -> dict[str, list[float]]:
    """Per text, the median time of each method; methods interleaved text by text."""
    out: dict[str, list[float]] = {name: [] for name in fns}
    for text in texts:
        for name, fn in fns.items():
            out[name].append(median_time(lambda fn=fn, text=text: fn(text), repeat=repeat, warmup=0, clock=clock))
    return out


def print_table(title: str, times: dict[str, list[float]], chars: int) -> None:
    base = statistics.median(times["jieba.lcut (baseline)"])
    print(f"\n-- {title}")
    print(f"   {'method':24} {'median/report':>13} {'chars/s':>12} {'ratio':>7}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"   {name:24} {fmt_ms(med)} {chars / med:12,.0f} {med / base:7.2f}")


def batch(fns: dict, count: int, *, clock) -> None:
    """Throughput over ``count`` distinct reports, one after another, each method in turn."""
    texts = build_reports(count, seed=1)
    chars = sum(len(t) for t in texts)
    print(f"\n-- batch: {count} distinct reports, {chars:,} characters, sequential in one process")
    print(f"   {'method':24} {'total':>10} {'reports/s':>10} {'chars/s':>12} {'ratio':>7}")
    base = None
    for name, fn in fns.items():
        start = clock()
        for text in texts:
            fn(text)
        total = clock() - start
        base = base or total
        print(f"   {name:24} {total:9.2f}s {count / total:10.1f} {chars / total:12,.0f} {total / base:7.2f}")


def profile(fn, texts: list[str], *, top: int = 25) -> None:
    """cProfile of warm calls; cumulative time, so each stage shows with what it calls."""
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        fn(text)
    profiler.disable()
    print(f"\n-- profile: warm analyze (default backend) over {len(texts)} reports")
    print_profile(pstats.Stats(profiler, stream=io.StringIO()), top=top)


class StageClock:
    """Exclusive time per stage: module functions of the pipeline wrapped so that each call adds
    its time, less that of wrapped calls inside it, to its stage. Wrapping costs a few microseconds
    per call (a few dozen calls per report); ``analyzer`` itself is not changed."""

    def __init__(self, clock):
        self.clock = clock
        self.totals: dict[str, float] = {}
        self._inner = [0.0]  # time of wrapped calls inside the current one, one entry per depth
        self._wrapped: list[tuple[object, str, Callable]] = []

    def wrap(self, module, name: str, stage: str) -> None:
        fn = getattr(module, name)

        def timed(*args, **kwargs):
            self._inner.append(0.0)
            start = self.clock()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = self.clock() - start
                inner = self._inner.pop()
                self.totals[stage] = self.totals.get(stage, 0.0) + elapsed - inner
                self._inner[-1] += elapsed

        setattr(module, name, timed)
        self._wrapped.append((module, name, fn))

    def unwrap(self) -> None:
        """Put the wrapped functions back."""
        for module, name, fn in reversed(self._wrapped):
            setattr(module, name, fn)
        self._wrapped.clear()


STAGES = ("ingest", "structure", "segment", "plan", "map", "elements", "boilerplate", "copying", "findings", "render")


def staged(clock) -> StageClock:
    """A clock on the stages of ``analyze`` (plan: outline, rule and layout chosen; findings:
    suggestions, exemplars and the rest of ``add_findings``; render: ``render_analysis`` and ``to_json``)."""
    from analyzer import pipeline, result
    from analyzer.checks import copying, findings

    stages = StageClock(clock)
    for module, name, stage in (
        (pipeline, "_ingest", "ingest"),
        (pipeline, "parse_structure", "structure"),
        (pipeline, "attach_tokens", "segment"),
        (pipeline, "plan_checks", "plan"),
        (pipeline, "map_sections", "map"),
        (findings, "find_elements", "elements"),
        (findings, "unmeasured_mentions", "elements"),
        (findings, "mark_paragraphs", "boilerplate"),
        (findings, "section_quality", "boilerplate"),
        (findings, "report_stats", "boilerplate"),
        (copying, "compare_paragraphs", "copying"),
        (findings, "add_findings", "findings"),
        (pipeline, "render_analysis", "render"),
        (result.Analysis, "to_json", "render"),
    ):
        stages.wrap(module, name, stage)
    return stages


def corpus_texts() -> dict[str, str]:
    """Every corpus report (as ``analyzer.training.corpus`` reads ``corpora/src``) and the seed, by id."""
    from analyzer.training.corpus import load_corpus

    texts = {r.id: r.text for r in load_corpus(ROOT / "corpora" / "src")}
    texts["seed (real)"] = seed_text()
    return texts


def corpus_ratios(*, repeat: int, clock) -> None:
    """Every corpus report: full analysis + JSON / raw ``jieba.lcut`` of the same text, interleaved."""
    import jieba

    from analyzer import analyze

    analyze = as_new_report(analyze)
    texts = corpus_texts()
    rows = []
    for rid, text in texts.items():
        base = median_time(lambda text=text: jieba.lcut(text), repeat=repeat, warmup=0, clock=clock)
        full = median_time(lambda text=text: analyze(text).to_json(), repeat=repeat, warmup=0, clock=clock)
        rows.append((full / base, rid, len(text), base, full))
    rows.sort(reverse=True)
    ratios = [r for r, *_ in rows]
    print(f"\n-- every corpus report ({len(rows)}): analyze + JSON / jieba.lcut, median of {repeat}, worst first")
    print(f"   {'report':14} {'chars':>6} {'jieba.lcut':>12} {'analyze+JSON':>12} {'ratio':>6}")
    for ratio, rid, chars, base, full in rows:
        print(f"   {rid:14} {chars:6,} {fmt_ms(base)} {fmt_ms(full)} {ratio:6.2f}")
    print(f"   ratio: median {statistics.median(ratios):.2f}, worst {max(ratios):.2f}, best {min(ratios):.2f} "
          "(goal, issue 18: median <= 0.50, worst <= 0.80)")
    stage_split(texts, clock=clock)


def cost_line(chars: list[int], seconds: list[float]) -> tuple[float, float]:
    """Least-squares fit of time against length: (fixed seconds a report, seconds per 1,000 characters)."""
    import numpy as np

    slope, fixed = np.polyfit(np.asarray(chars, dtype=float), np.asarray(seconds), 1)
    return float(fixed), float(slope) * 1000


def stage_split(texts: dict[str, str], *, clock) -> None:
    """Where a warm analysis spends its time, by stage, summed over the reports (and the share
    of jieba.lcut of the same texts); then each stage's cost as a fixed part and a part per
    character, fitted over the reports and their first halves analysed as new reports; then the
    cost of a call with almost no text, and the floor of today's features (``print_floor``)."""
    reports = list(texts.values())
    whole = _stage_times(reports, clock=clock, previous=reports)
    halves = [_first_half(text) for text in reports]  # for the fit: the corpus's lengths vary too little
    fitted = _stage_times(reports + halves, clock=clock)
    chars = [len(text) for text in reports + halves]
    base = sum(r["jieba"] for r in whole)
    total = sum(r["total"] for r in whole)
    print(f"\n-- stages, summed over the same {len(texts)} reports, each with the one before it as previous year;")
    print("   fixed and per 1,000 characters: a least-squares fit of each stage's time against the length, over")
    print("   the reports and their first halves (by paragraphs), analysed as new reports (no copying)")
    print(f"   {'stage':12} {'time':>12} {'share':>6} {'/ jieba.lcut':>13} {'fixed':>9} {'per 1,000':>10}")
    for stage in (*STAGES, "other", "total", "jieba"):
        spent = sum(r[stage] for r in whole)
        fixed, per_char = cost_line(chars, [r[stage] for r in fitted])
        print(f"   {stage:12} {fmt_ms(spent)} {spent / total:6.0%} {spent / base:13.2f} "
              f"{fixed * 1000:6.2f} ms {per_char * 1000:7.2f} ms")
    print_costs(chars, [r["total"] for r in fitted], [r["jieba"] for r in fitted],
                typical=statistics.median(len(text) for text in reports))
    print_call_cost(reports, jieba_median=statistics.median(r["jieba"] for r in whole), clock=clock)
    print_floor(reports, analysis=[r["total"] / r["jieba"] for r in fitted[:len(reports)]], clock=clock)


def print_call_cost(reports: list[str], *, jieba_median: float, clock) -> None:
    """The time of an analysis of each report's first two paragraphs (almost no text: what a call
    costs whatever the report's length), median, against jieba's median report."""
    openings = ["\n".join(text.split("\n")[:2]) for text in reports]
    per_call = statistics.median(r["total"] for r in _stage_times(openings, clock=clock))
    print(f"   a report's first two paragraphs ({statistics.median(map(len, openings)):,.0f} characters, the cost of a "
          f"call with almost no text): {per_call * 1000:.2f} ms, {per_call / jieba_median:.2f} of jieba.lcut's median "
          "report")


FLOOR_PARTS = ("normalise", "tokenize", "look up words", "scan strings", "JSON")


def print_floor(reports: list[str], *, analysis: list[float], clock) -> None:
    """The floor: what any analysis with today's features does once per character, word or paragraph,
    with none of the checks' logic (``floor_times``), against ``jieba.lcut`` report by report, and
    what that leaves of jieba's time for everything else under issue 18's median goal (0.5);
    ``analysis``: each report's full analysis / jieba ratio, timed as a new report's."""
    rows = [floor_times(text, clock=clock) for text in reports]
    per_part = {part: statistics.median(r[part] / r["jieba"] for r in rows) for part in FLOOR_PARTS}
    floor = statistics.median(sum(r[p] for p in FLOOR_PARTS) / r["jieba"] for r in rows)
    today = statistics.median(analysis)
    print("   the floor, once per character, word or paragraph and nothing else (median ratio to jieba.lcut): "
          + ", ".join(f"{part} {ratio:.2f}" for part, ratio in per_part.items()))
    print(f"   floor {floor:.2f}; the rest of today's analysis {today - floor:.2f} (analysis {today:.2f}); "
          f"left for the rest under the median goal of 0.50: {0.5 - floor:.2f}")


def floor_times(text: str, *, clock) -> dict[str, float]:
    """Seconds of each ``FLOOR_PARTS`` step on ``text`` and of ``jieba.lcut``: the paragraphs
    normalised as ingestion does, segmented as the pipeline does, each word looked up once in the
    section model's vocabulary, each paragraph scanned once by one automaton of the element terms and
    the 套话 lexicon's literals, and one JSON of the paragraphs with a label each."""
    import jieba

    from analyzer.ingest.normalize import clean_paragraph, to_simplified
    from analyzer.text.segment import get_segmenter

    words, scan, encode = _floor_tools()
    segmenter = get_segmenter()
    out = {}
    start = clock()
    jieba.lcut(text)
    out["jieba"] = clock() - start
    start = clock()
    paragraphs = [p for p in map(clean_paragraph, to_simplified(text)[0].split("\n")) if p]
    out["normalise"], start = clock() - start, clock()
    tokens = list(map(segmenter.tokenize, paragraphs))
    out["tokenize"], start = clock() - start, clock()
    words.numbers([w for paragraph in tokens for w, _, _ in paragraph], underscores=False)
    out["look up words"], start = clock() - start, clock()
    hits = [len(scan(p)) for p in paragraphs]
    out["scan strings"], start = clock() - start, clock()
    encode([{"index": k, "text": p, "label": "S1", "hits": n} for k, (p, n) in enumerate(zip(paragraphs, hits))])
    out["JSON"] = clock() - start
    return out


@lru_cache(maxsize=1)
def _floor_tools() -> tuple[object, Callable[[str], list], Callable[[object], bytes]]:
    """The floor's word look-up (the section model's ``WordPairs``, as serving looks a document's
    words up), one automaton of the fzzf-2015 element matcher's strings and the lexicon's literals,
    and a JSON encoder."""
    import msgspec

    from analyzer.checks.boilerplate import load_lexicon
    from analyzer.checks.elements import matcher_for
    from analyzer.frameworks import load_framework
    from analyzer.literals import literal_sets
    from analyzer.mapping.model import default_scorer
    from analyzer.mapping.serving import WordPairs
    from analyzer.text.automaton import Strings

    vocabulary = next(b.vocabulary for b in default_scorer().blocks if b.name == "words")
    literals = [s for found in literal_sets([e.pattern for e in load_lexicon().entries]) for s in found or ()]
    strings = Strings([*matcher_for(load_framework("fzzf-2015")).strings.strings, *literals])
    return WordPairs(vocabulary), strings.scan, msgspec.json.Encoder().encode


def _stage_times(texts: list[str], *, clock, previous: list[str] | None = None) -> list[dict[str, float]]:
    """Per text, seconds by stage (``STAGES``), "other", "total" and "jieba" (``jieba.lcut`` of it);
    with ``previous``, each text is analysed with the one before it there as previous year."""
    import jieba

    from analyzer import analyze

    analyze = as_new_report(analyze)
    stages = staged(clock)
    out = []
    for k, text in enumerate(texts):
        start = clock()
        jieba.lcut(text)
        base = clock() - start
        before = dict(stages.totals)
        start = clock()
        analyze(text, previous=previous[k - 1] if previous else None).to_json()
        total = clock() - start
        spent = {stage: stages.totals.get(stage, 0.0) - before.get(stage, 0.0) for stage in STAGES}
        spent.update(other=total - sum(spent.values()), total=total, jieba=base)
        out.append(spent)
    stages.unwrap()
    return out


def print_costs(chars: list[int], full: list[float], base: list[float], *, typical: float) -> None:
    """A new report's cost (no previous year) as a fixed part and a part per character, against
    jieba's. The ratio of the two per-character costs is the ratio a report tends to as it grows: a
    goal below it cannot be met by cutting fixed costs alone."""
    fixed, per_char = cost_line(chars, full)
    base_fixed, base_per_char = cost_line(chars, base)
    base_typical = base_fixed + base_per_char * typical / 1000
    print(f"   a new report (no copying): {fixed * 1000:.2f} ms + {per_char * 1000:.2f} ms per 1,000 characters "
          f"against jieba.lcut's {base_fixed * 1000:.2f} ms + {base_per_char * 1000:.2f} ms;")
    print(f"   ratio at the median length ({typical:,.0f} characters) "
          f"{(fixed + per_char * typical / 1000) / base_typical:.2f}, of which the fixed part "
          f"{fixed / base_typical:.2f}; a long report's ratio (per-character costs) {per_char / base_per_char:.2f}")


def _first_half(text: str) -> str:
    """The paragraphs of ``text`` up to half its length."""
    kept, length = [], 0
    for paragraph in text.split("\n"):
        if length >= len(text) // 2:
            break
        kept.append(paragraph)
        length += len(paragraph) + 1
    return "\n".join(kept)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=20, help="5,000-character reports in the set")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per text and method")
    parser.add_argument("--batch", type=int, default=0, help="also measure throughput over N reports")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of warm analyze")
    parser.add_argument("--cpu", action="store_true", help="time with process CPU time (steadier when busy)")
    parser.add_argument("--repeat-corpus", type=int, default=9, help="timed calls per corpus report and method")
    parser.add_argument("--corpus-only", action="store_true", help="only the every-report table and the stages")
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter

    print_header("bench_analyze: full analysis vs raw segmentation of the same text")
    start = time.perf_counter()
    fns = methods()
    print(f"   loading (jieba dict, both segmenters, model): {fmt_ms(time.perf_counter() - start)}")
    seed = seed_text()
    fns["analyze, rjieba"](seed)  # lazy loads (exemplars, lexicon, patterns) out of the timings
    corpus_ratios(repeat=args.repeat_corpus, clock=clock)
    if args.corpus_only:
        print(f"\n   peak memory of this process: {peak_rss_mb():.0f} MB")
        return
    reports = build_reports(args.reports)
    print("\n-- first call in this process, seed")
    for name, seconds in first_calls(fns, seed).items():
        print(f"   {name:24} {fmt_ms(seconds)}")

    what = "CPU time" if args.cpu else "wall time"
    print_table(f"seed ({len(seed):,} characters), {what}, median of {args.repeat}",
                time_texts(fns, [seed], repeat=args.repeat, clock=clock), len(seed))
    print_table(f"{len(reports)} reports of {len(reports[0]):,} characters, {what}, median of {args.repeat} each",
                time_texts(fns, reports, repeat=args.repeat, clock=clock), len(reports[0]))
    if args.batch:
        batch(fns, args.batch, clock=clock)
    if args.profile:
        profile(fns["analyze, rjieba"], reports)
    print(f"\n   peak memory of this process: {peak_rss_mb():.0f} MB")
    print("   goal: 'analyze, rjieba' ratio < 1.00 (faster than jieba.lcut alone)")


if __name__ == "__main__":
    sys.exit(main())
