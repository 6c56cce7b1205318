"""Shared helpers for the benchmarks: test reports, timing, peak memory, child processes.

Every benchmark compares against a baseline measured in the same run on the same text (raw
``jieba.lcut``), so the figures are ratios that mean the same on a slower or busier machine.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Measure this checkout's analyzer, whatever an editable install elsewhere points to; children
# get the same through ``child_env``.
sys.path.insert(0, str(ROOT))
SEED = ROOT / "corpora" / "real" / "000_1c9e8bbbf8b24faa.txt"
LABELS = ROOT / "corpora" / "labels.jsonl"
REPORT_CHARS = 5000


def seed_text() -> str:
    """The real sample report as the pipeline reads a .txt: one paragraph per non-empty line."""
    return "\n".join(line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip())


def corpus_paragraphs() -> dict[str, list[tuple[str, str]]]:
    """(label, text) of every paragraph of every labelled corpus report, in order."""
    rows: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    with open(LABELS, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            rows[row["id"]].append((row["para"], row["label"], row["text"]))
    return {rid: [(label, text) for _, label, text in sorted(paras)] for rid, paras in rows.items()}


def build_reports(count: int, *, chars: int = REPORT_CHARS, seed: int = 0) -> list[str]:
    """``count`` distinct reports of exactly ``chars`` characters (newlines included).

    Each starts as one corpus report, whole (title, recipient, headings, signature), and grows with
    body paragraphs of other reports picked at random until long enough; the last paragraph is cut
    to length. Real reports run 1,500 to 8,000 characters; 5,000 is a typical long one.
    """
    corpus = corpus_paragraphs()
    ids = sorted(corpus)
    rng = random.Random(seed)
    reports = []
    for n in range(count):
        base = ids[n % len(ids)]
        paragraphs = [text for _, text in corpus[base]]
        donors = [rid for rid in ids if rid != base]
        while len("\n".join(paragraphs)) < chars:
            donor = corpus[rng.choice(donors)]
            paragraphs += [text for label, text in donor if label != "META"]
        reports.append("\n".join(paragraphs)[:chars].rstrip())
    return reports


def median_time(
    fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Median time of ``fn()`` in seconds, after ``warmup`` untimed calls. ``clock`` is wall time by
    default; ``time.process_time`` (this process's CPU time) is steadier on a busy machine."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class ChildRun:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child: what the wall time would be on an idle machine
    peak_mb: float  # peak resident memory of the child
    returncode: int
    stdout: bytes
    stderr: bytes


def child_env(**extra: str) -> dict[str, str]:
    """The environment for child processes: this checkout first on the import path."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def run_child(cmd: Sequence[str], *, env: dict[str, str] | None = None) -> ChildRun:
    """Run a command to completion; wall time and the child's own peak RSS.

    ``os.wait4`` returns the rusage of exactly this child (what ``/usr/bin/time -v`` reports), where
    ``RUSAGE_CHILDREN`` would give the maximum over every child this process ever waited for.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env or child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: stop Popen waiting again
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return ChildRun(wall, cpu, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read())


def govreport_command() -> list[str]:
    """The installed ``govreport`` console script of this interpreter (not a version-manager shim,
    whose own start-up is no part of ours); ``python -m analyzer.cli`` if none is installed."""
    beside = Path(sys.executable).parent / "govreport"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("govreport")
    if found and "shims" not in Path(found).parts:
        return [found]
    return [sys.executable, "-m", "analyzer.cli"]


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def print_header(title: str) -> None:
    import platform

    print(f"== {title}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"   {time.strftime('%Y-%m-%d %H:%M')}  python {platform.python_version()}  {os.cpu_count()} cores  "
          f"load average {load} (other work on the machine slows every figure; ratios less so)")


def print_profile(stats, *, top: int = 25) -> None:
    """Two views of a ``pstats.Stats``: our own functions by cumulative time (which stage costs
    what, with everything it calls) and every function by its own time (where the CPU goes)."""
    import io

    for title, key, restriction in (
        ("analyzer functions by cumulative time", "cumulative", "analyzer/"),
        ("all functions by own time", "tottime", None),
    ):
        buffer = io.StringIO()
        stats.stream = buffer
        stats.sort_stats(key)
        stats.print_stats(*([restriction] if restriction else []), top)
        body = buffer.getvalue()
        rows = body[body.find("   ncalls"):] if "   ncalls" in body else body
        print(f"   [{title}]")
        print("\n".join("   " + line.replace(str(ROOT) + "/", "") for line in rows.rstrip().splitlines()))
