"""How fast is a full analysis, against jieba merely segmenting the same text?

    python benchmarks/bench_analyze.py [--reports 20] [--repeat 5] [--batch 1000] [--profile] [--cpu]

Measured in one run, on the seed and on a set of 5,000-character reports, each method timed on
the same text: raw ``jieba.lcut`` (the baseline, ratio 1.00), raw ``rjieba.cut``, and the full
``analyze`` with each segmenter backend. Goal (issue 8): full analysis with the default backend
faster than jieba merely segmenting (ratio < 1.0). ``--batch N`` adds throughput over N distinct
reports analysed one after another in this warm process; ``--profile`` prints where a warm
``analyze`` spends its time.
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

from common import build_reports, fmt_ms, median_time, peak_rss_mb, print_header, print_profile, seed_text

BACKENDS = ("rjieba", "jieba")


def methods() -> dict[str, Callable[[str], object]]:
    """Name → function of the text; everything loaded here, outside the timings. (``rjieba.cut``
    runs with the domain words that ``analyzer.segment`` added to rjieba's global dictionary;
    ``jieba.lcut`` with jieba's plain one: a few hundred words change nothing in their speed.)"""
    import logging

    import jieba
    import rjieba

    from analyzer import analyze
    from analyzer.model import default_scorer
    from analyzer.segment import get_segmenter

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for backend in BACKENDS:
        get_segmenter(backend)
    default_scorer()
    return {
        "jieba.lcut (baseline)": jieba.lcut,
        "rjieba.cut": rjieba.cut,
        **{f"analyze, {b}": (lambda text, b=b: analyze(text, segmenter=b)) for b in BACKENDS},
    }


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=20, help="5,000-character reports in the set")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per text and method")
    parser.add_argument("--batch", type=int, default=0, help="also measure throughput over N reports")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of warm analyze")
    parser.add_argument("--cpu", action="store_true", help="time with process CPU time (steadier when busy)")
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter

    print_header("bench_analyze: full analysis vs raw segmentation of the same text")
    start = time.perf_counter()
    fns = methods()
    print(f"   loading (jieba dict, both segmenters, model): {fmt_ms(time.perf_counter() - start)}")
    seed = seed_text()
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
