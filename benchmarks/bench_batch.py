"""Batch throughput and memory, against jieba merely segmenting the same texts.

    python benchmarks/bench_batch.py [--reports 1000] [--sizes 250,500,1000] [--near-duplicates 0.1] [--edits 3]

Writes ``--reports`` 5,000-character reports (corpus paragraphs recombined; a share of them
near-duplicates of an earlier one, one sentence changed, as copied reports are) as files, then
measures, in the same run:

- the baseline: raw ``jieba.lcut`` over the same texts, one after another in this process;
- ``run_batch`` with 1 and 2 worker processes into a fresh DuckDB store, each in its own child
  process: reports/s end to end (the whole batch check, store and year-over-year copying
  included) and in steady state (first result to last, i.e. without the one-off model loading);
  the end-to-end throughput as a share of jieba's (issue 18: >= 1.0 with 2 jobs), the per-report
  cost per core as a ratio to the baseline (issue 6: <= 2.5), and the client's time in store writes;
- peak memory of the client and of the workers at several batch sizes (2 jobs): it should stay
  flat, because results stream to the store and nothing holds all reports (issue 18: a 1,000- and
  a 10,000-report batch within 10%: ``--reports 10000 --sizes 1000,10000``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import REPORT_CHARS, build_reports, print_header, run_child

GOAL_RATIO = 2.5


def write_reports(folder: Path, count: int, *, near_duplicates: float = 0.0, edits: int = 0) -> list[str]:
    """``count`` distinct reports as files; every ``1 / near_duplicates``-th is an earlier one with
    one sentence added; with ``edits``, that many characters of every sentence changed at random."""
    texts = distinct(build_reports(count, chars=REPORT_CHARS))
    if edits:
        texts = edit_sentences(texts, edits=edits)
    if near_duplicates > 0:
        step = max(2, round(1 / near_duplicates))
        for i in range(step - 1, count, step):
            earlier = texts[(i * 7919) % i]  # a pseudo-random earlier report
            cut = earlier.find("。", len(earlier) // 2) + 1
            texts[i] = (earlier[:cut] + f"本年度新增第{i}项工作。" + earlier[cut:])[:REPORT_CHARS]
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"report-{i:05}.txt").write_text(text, encoding="utf-8")
    return texts


# characters an edit puts in (common ones, so that segmenting and mapping see ordinary text)
_EDIT_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法"


def edit_sentences(texts: list[str], *, edits: int, seed: int = 5) -> list[str]:
    """Every sentence of 12+ Chinese characters with ``edits`` of them replaced at random: recombined
    corpus paragraphs then make distinct sentences, each with near copies in other reports (the
    template step's hard case: ~95 distinct sentences per report instead of a few thousand in all)."""
    import re

    rng = random.Random(seed)

    def edit(match: re.Match) -> str:
        sentence = list(match.group(0))
        places = [k for k, ch in enumerate(sentence) if "\u4e00" <= ch <= "\u9fff"]
        if len(places) >= 12:
            for k in rng.sample(places, edits):
                sentence[k] = rng.choice(_EDIT_CHARS)
        return "".join(sentence)

    return [re.sub(r"[^。！？\n]+[。！？]", edit, text) for text in texts]


def jieba_baseline(texts: list[str]) -> float:
    """Seconds per report for raw ``jieba.lcut``, dictionary loaded beforehand."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    jieba.lcut(texts[0])
    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return (time.perf_counter() - start) / len(texts)


def distinct(texts: list[str]) -> list[str]:
    """``build_reports`` repeats a report whose corpus base is already 5,000 characters long (only
    3,421 of 10,000 are distinct): a repeat gets a paragraph of another report spliced in at a
    random paragraph break instead, so that every file is analysed, not skipped as stored."""
    rng = random.Random(18)
    seen: set[str] = set()
    out = []
    for text in texts:
        while text in seen:
            paragraphs = text.split("\n")
            donor = rng.choice(texts).split("\n")
            at = rng.randrange(1, len(paragraphs))
            text = "\n".join(paragraphs[:at] + [rng.choice(donor[1:] or donor)] + paragraphs[at:])[:REPORT_CHARS].rstrip()
        seen.add(text)
        out.append(text)
    return out


class WorkerPeak:
    """Samples the peak resident memory (VmHWM) of this process's children while a batch runs."""

    def __init__(self, interval: float = 0.5):
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def __enter__(self) -> WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self, interval: float) -> None:
        me = os.getpid()
        while not self._stop.wait(interval):
            try:
                children = Path(f"/proc/{me}/task/{me}/children").read_text().split()
            except OSError:
                continue
            for pid in children:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))


def child(folder: str, db: str, jobs: int, count: int) -> None:
    """Run one batch over the first ``count`` files and print its timings and peak memory as JSON."""
    from analyzer.batch.run import collect_inputs, run_batch
    from analyzer.batch.store import Store

    items, _ = collect_inputs([folder])
    items = items[:count]
    stamps: list[float] = []
    analysis: list[float] = []
    writes: list[float] = []

    def progress(result, _):
        stamps.append(time.perf_counter())
        analysis.append(result.seconds)

    start = time.perf_counter()
    with Store(db) as store, WorkerPeak() as workers:
        write = store.write

        def timed_write(*args, **kwargs):
            begin = time.perf_counter()
            try:
                return write(*args, **kwargs)
            finally:
                writes.append(time.perf_counter() - begin)

        store.write = timed_write
        report = run_batch(items, store=store, jobs=jobs, progress=progress)
    end = time.perf_counter()
    print(json.dumps({
        "reports": report.counts["analysed"],
        "failed": report.failed,
        "total_s": end - start,
        "startup_s": stamps[0] - start,
        "steady_s": stamps[-1] - stamps[0],
        "client_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": workers.peak_kb / 1024,
        "analysis_s": sum(analysis),
        "store_s": sum(writes),
        "transactions": len(writes),
        "store_mb": Path(db).stat().st_size / 2**20,
        "templates": _count(db, "SELECT count(DISTINCT template_id) FROM templates"),
        "unwritten": [reason for _, reason in report.unwritten],  # e.g. templates that could not be stored
    }))


def _count(db: str, sql: str) -> int:
    import duckdb

    with duckdb.connect(db, read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def run(folder: Path, work: Path, *, jobs: int, count: int) -> dict:
    db = work / f"jobs{jobs}-{count}.duckdb"
    done = run_child([sys.executable, __file__, "--child", str(folder), str(db), str(jobs), str(count)])
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode()[-3000:])
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--sizes", default="250,500,1000", help="batch sizes for the memory check (2 jobs)")
    parser.add_argument("--memory-only", action="store_true", help="skip the throughput runs")
    parser.add_argument("--near-duplicates", type=float, default=0.1, help="share of near-duplicate reports")
    parser.add_argument("--edits", type=int, default=0,
                        help="characters changed at random in every sentence (0: none; 3: every sentence distinct)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder, db, jobs, count = args.child
        child(folder, db, int(jobs), int(count))
        return
    sizes = sorted({min(int(s), args.reports) for s in args.sizes.split(",")} | {args.reports})
    edited = f", {args.edits} characters of every sentence changed" if args.edits else ""
    print_header(f"batch: {args.reports:,} reports of {REPORT_CHARS:,} characters{edited}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        texts = write_reports(work / "reports", args.reports, near_duplicates=args.near_duplicates, edits=args.edits)
        runs = {}
        if not args.memory_only:
            throughput(work, texts, args.reports, runs)
        memory(work, sizes, runs)


def throughput(work: Path, texts: list[str], count: int, runs: dict) -> None:
    """Reports/s with 1 and 2 jobs, and the cost per report and core as a ratio to raw jieba."""
    base = jieba_baseline(texts)
    print(f"\n   baseline jieba.lcut      {1 / base:8.1f} reports/s  ({base * 1000:.1f} ms/report, 1 core)")
    print(f"\n   {'run':10} {'end to end':>14} {'x jieba':>8} {'steady':>14} {'start-up':>9} {'ms/report/core':>15} "
          f"{'ratio':>6} {'store':>16}")
    for jobs in (1, 2):
        r = runs[(jobs, count)] = run(work / "reports", work, jobs=jobs, count=count)
        if r["reports"] != count:
            print(f"   (jobs {jobs}: {r['reports']} of {count} reports analysed, {r['failed']} failed)")
        per_core = r["steady_s"] / max(1, r["reports"] - 1) * jobs
        overhead = 1 - r["analysis_s"] / (r["steady_s"] * jobs)
        end_to_end = r["reports"] / r["total_s"]
        print(f"   jobs {jobs:<5} {end_to_end:9.1f} rep/s {end_to_end * base:8.2f} {(r['reports'] - 1) / r['steady_s']:9.1f} rep/s "
              f"{r['startup_s']:8.1f}s {per_core * 1000:14.1f} {per_core / base:6.2f} "
              f"{r['store_s']:6.1f}s in {r['transactions']:4}   (workers idle or in batch overhead {overhead:.0%})")
    print("   (x jieba = the whole batch's reports/s, store included, / raw jieba.lcut's in one process; goal with")
    print(f"    2 jobs >= 1.0 (issue 18). ratio = steady-state cost per report and core / jieba.lcut's; goal <= {GOAL_RATIO})")


def memory(work: Path, sizes: list[int], runs: dict) -> None:
    """Peak memory of client and workers at growing batch sizes (2 jobs): flat if results stream."""
    print(f"\n   {'batch size':>10} {'client peak':>12} {'worker peak':>12} {'store':>9} {'templates':>10}   (2 jobs)")
    for size in sizes:
        if (2, size) not in runs:
            runs[(2, size)] = run(work / "reports", work, jobs=2, count=size)
        r = runs[(2, size)]
        print(f"   {size:10,} {r['client_peak_mb']:9.0f} MB {r['worker_peak_mb']:9.0f} MB {r['store_mb']:6.1f} MB "
              f"{r['templates']:10,}")
        for reason in r["unwritten"]:  # an end step that failed would make the peak look lower than it is
            print(f"   {'':10} not stored: {reason}")
    peaks = [runs[(2, s)]["client_peak_mb"] for s in sizes]
    if len(peaks) > 1:
        growth = peaks[-1] - peaks[0]
        print(f"   client peak changes {growth:+.0f} MB from {sizes[0]:,} to {sizes[-1]:,} reports "
              f"({growth / statistics.mean(peaks):+.0%} of its mean)")


if __name__ == "__main__":
    main()
