"""The section classifier: load time and paragraphs per second, against raw jieba.

    python benchmarks/bench_classifier.py [--reports 20] [--repeat 5] [--runs 5] [--cpu]

Load times are measured in fresh processes (median of ``--runs``): jieba's dictionary load
(``jieba.initialize``), ``import rjieba`` (which builds its dictionary), and the shipped model
(``default_scorer()``: the imports it needs, then the file). Throughput is measured warm, on the seed and
a set of 5,000-character reports: the classifier's ``score`` (features, prediction, folding into the
framework's labels) and, where it has one, ``predict_proba``, against ``jieba.lcut`` on the same paragraphs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from common import build_reports, child_env, fmt_ms, median_time, print_header, seed_text

# Each child prints the seconds taken, then the heavy packages the load pulled in.
_HEAVY = "numpy scipy sklearn pandas pyarrow spacy jieba rjieba"
_REPORT = f"""
import sys
print(" ".join(p for p in "{_HEAVY}".split() if p in sys.modules) or "-")
"""
_LOADS = {
    "jieba: import + initialize (baseline)": """
import logging, time
t = time.perf_counter(); import jieba; jieba.setLogLevel(logging.WARNING); jieba.initialize()
print(time.perf_counter() - t)
""",
    "rjieba: import (builds its dictionary)": """
import time
t = time.perf_counter(); import rjieba
print(time.perf_counter() - t)
""",
    "model: default_scorer() (imports + load)": """
import time
t = time.perf_counter()
from analyzer.mapping.model import default_scorer
assert default_scorer() is not None, "no model installed"
print(time.perf_counter() - t)
""",
}


def load_times(runs: int) -> None:
    print(f"\n-- load time in a fresh process, median of {runs}")
    print(f"   {'what':40} {'median':>12} {'ratio':>7}  heavy packages loaded")
    base = None
    for name, code in _LOADS.items():
        values, loaded = [], "-"
        for _ in range(runs):
            proc = subprocess.run([sys.executable, "-c", code + _REPORT], capture_output=True, text=True, env=child_env())
            if proc.returncode != 0:
                print(f"   {name:40} FAILED: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")
                break
            seconds, loaded = proc.stdout.strip().splitlines()
            values.append(float(seconds))
        else:
            med = statistics.median(values)
            base = base or med
            print(f"   {name:40} {fmt_ms(med)}  {med / base:6.2f}  {loaded}")


def structures(texts: list[str]):
    """Structures with tokens attached, as the pipeline hands them to the classifier."""
    from analyzer.pipeline import attach_tokens
    from analyzer.text.structure import parse_structure

    out = []
    for text in texts:
        structure = parse_structure(text.split("\n"))
        attach_tokens(structure)
        out.append(structure)
    return out


def throughput(title: str, texts: list[str], *, repeat: int, clock) -> None:
    import logging

    import jieba

    from analyzer.frameworks import SHARED_PART_IDS, load_framework
    from analyzer.mapping.model import default_scorer

    jieba.setLogLevel(logging.WARNING)
    scorer = default_scorer()
    labels = load_framework("fzzf-2015").section_ids + list(SHARED_PART_IDS)
    docs = structures(texts)
    paragraphs = sum(len(d.paragraphs) for d in docs)
    methods = {
        "jieba.lcut per paragraph (baseline)": lambda: [jieba.lcut(p.text) for d in docs for p in d.paragraphs],
        f"{type(scorer).__name__}.score": lambda: [scorer.score(d, labels) for d in docs],
    }
    if hasattr(scorer, "predict_proba"):  # the part before folding into the framework's labels
        methods[f"{type(scorer).__name__}.predict_proba"] = lambda: [scorer.predict_proba(d) for d in docs]
    print(f"\n-- {title}: {len(docs)} documents, {paragraphs} paragraphs, median of {repeat}")
    print(f"   {'method':40} {'total':>12} {'paragraphs/s':>13} {'ratio':>7}")
    base = None
    for name, fn in methods.items():
        seconds = median_time(fn, repeat=repeat, clock=clock)
        base = base or seconds
        print(f"   {name:40} {fmt_ms(seconds)}  {paragraphs / seconds:12,.0f} {seconds / base:7.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=20, help="5,000-character reports in the set")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (warm)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per load time")
    parser.add_argument("--cpu", action="store_true", help="time throughput with process CPU time")
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter
    print_header("bench_classifier: section classifier vs raw jieba")
    load_times(args.runs)
    from analyzer.mapping.model import default_scorer

    if default_scorer() is None:
        print("\n   no model installed (models/section_classifier.pkl): throughput skipped")
        return
    throughput("seed", [seed_text()], repeat=args.repeat, clock=clock)
    throughput("5,000-character reports", build_reports(args.reports), repeat=args.repeat, clock=clock)


if __name__ == "__main__":
    sys.exit(main())
