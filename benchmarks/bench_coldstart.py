"""Whole-process cost of the command line: `govreport analyze SEED --format json` and `--help`.

    python benchmarks/bench_coldstart.py [--runs 5] [--profile]

Each command runs as a new process (after one untimed run, so the files are in the page cache:
"cold" means a fresh interpreter, not an empty disk cache). Reported: median, min and max wall
time, CPU time and the child's own peak RSS (``os.wait4``, what ``/usr/bin/time -v`` shows), with the bare
interpreter start-up as the floor measured in the same run. Goal (issue 8): analyze of the seed
<= 1.0 s wall and <= 250 MB.

Bytecode: a user's runs find ``analyzer/``'s compiled modules (``pip install`` compiles them; an
editable checkout writes them on its first run). A machine with ``PYTHONDONTWRITEBYTECODE`` set (this
workplace is one) would compile the package's sources again in every run, so the benchmark compiles
them first, and shows the cost of running without them in a row of its own. ``--profile`` adds where the time goes: a stage breakdown, the
heaviest imports (``-X importtime``) and a cProfile of one cold run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from common import ROOT, SEED, ChildRun, child_env, govreport_command, print_header, print_profile, run_child

GOAL_SECONDS = 1.0
GOAL_MB = 250.0

_STAGES = """
import sys, time
t0 = time.perf_counter()
def lap(name, t=[t0]):
    now = time.perf_counter()
    print(f"   {name:44} {1000 * (now - t[0]):8.1f} ms")
    t[0] = now
import analyzer.cli.main
lap("import analyzer.cli.main (Typer, the command table)")
from analyzer.pipeline import analyze
lap("import analyzer.pipeline")
result = analyze(sys.argv[1])
lap("first analyze (loads segmenter, model, data)")
result.to_json()
lap("to_json")
analyze(sys.argv[1])
lap("second analyze, same process (warm)")
"""


def cases() -> dict[str, list[str]]:
    gov = govreport_command()
    return {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "govreport --help": [*gov, "--help"],
        "govreport analyze seed --format json": [*gov, "analyze", str(SEED), "--format", "json"],
        "  ... --segmenter jieba": [*gov, "analyze", str(SEED), "--format", "json", "--segmenter", "jieba"],
    }


def compile_package() -> None:
    """Bytecode for every module of ``analyzer/``, as ``pip install`` leaves an installed package."""
    compileall.compile_dir(ROOT / "analyzer", quiet=1)


def drop_package_bytecode() -> None:
    for cache in (ROOT / "analyzer").rglob("__pycache__"):
        shutil.rmtree(cache)


def measure(cmd: list[str], runs: int, *, env: dict[str, str] | None = None) -> tuple[list[ChildRun], str | None]:
    """``runs`` runs after one untimed run; an error message instead if the command failed."""
    first = run_child(cmd, env=env)
    if first.returncode != 0:
        lines = first.stderr.decode("utf-8", "replace").strip().splitlines()
        return [], lines[-1] if lines else f"exit {first.returncode}"
    if "analyze" in cmd:
        json.loads(first.stdout)  # a benchmark of a command that prints garbage measures nothing
    return [run_child(cmd, env=env) for _ in range(runs)], None


def print_row(name: str, results: list[ChildRun], error: str | None, *, goal: bool) -> None:
    if error:
        print(f"   {name:38} FAILED: {error}")
        return
    walls = [r.wall for r in results]
    wall, peak = statistics.median(walls), statistics.median(r.peak_mb for r in results)
    cpu = statistics.median(r.cpu for r in results)
    verdict = ""
    if goal:
        verdict = "  goal " + ("met" if wall <= GOAL_SECONDS and peak <= GOAL_MB else
                               f"missed (<= {GOAL_SECONDS:.1f} s, <= {GOAL_MB:.0f} MB)")
    print(f"   {name:38} {wall:7.2f}s {min(walls):7.2f}s {max(walls):7.2f}s {cpu:7.2f}s {peak:7.0f} MB{verdict}")


def report(runs: int) -> None:
    compile_package()
    print(f"\n-- whole process, {runs} runs each after one untimed run")
    print(f"   {'command':38} {'median':>8} {'min':>8} {'max':>8} {'CPU':>8} {'peak RSS':>9}")
    for name, cmd in cases().items():
        print_row(name, *measure(cmd, runs), goal=name.startswith("govreport analyze"))
    drop_package_bytecode()
    try:
        uncompiled = measure(cases()["govreport analyze seed --format json"], runs,
                             env=child_env(PYTHONDONTWRITEBYTECODE="1"))
    finally:
        compile_package()
    print_row("  ... without analyzer/ bytecode", *uncompiled, goal=False)
    print(f"   command used: {' '.join(cases()['govreport --help'][:-1])}")
    print("   CPU = user + system time of the child, median: close to the wall time on an idle machine")
    print("   analyzer/ compiled to bytecode first, as an install leaves it; the last row compiles it in every run")


def stages() -> None:
    print("\n-- stages of one cold run (fresh interpreter, default backend)")
    proc = subprocess.run([sys.executable, "-c", _STAGES, str(SEED)], capture_output=True, text=True, env=child_env())
    print(proc.stdout.rstrip())
    if proc.returncode != 0:
        print(f"   FAILED: {(proc.stderr.strip().splitlines() or ['no message'])[-1]}")


def imports(top: int = 20) -> None:
    """The heaviest imports of `govreport analyze`, by cumulative time, skipping their sub-modules."""
    cmd = [*govreport_command(), "analyze", str(SEED), "--format", "json"]
    lines = run_child(cmd, env=child_env(PYTHONPROFILEIMPORTTIME="1")).stderr.decode("utf-8", "replace").splitlines()
    rows = []
    for line in lines:
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = line[len("import time:"):].split("|")
            rows.append((int(cumulative), len(name) - len(name.lstrip()), name.strip()))
    # Keep an import only if no enclosing import already shows: importtime lists children first,
    # each with deeper indentation than the import that pulled it in.
    roots, depth_limit = [], None
    for cumulative, depth, name in reversed(rows):
        if depth_limit is not None and depth > depth_limit:
            continue
        depth_limit = None
        if cumulative >= 20_000:  # 20 ms
            roots.append((cumulative, name))
            depth_limit = depth
    total = sum(c for c, d, _ in rows if d == min(d for _, d, _ in rows))
    print(f"\n-- heaviest imports of `govreport analyze` (outermost only, >= 20 ms); all imports {total / 1e6:.2f} s")
    for cumulative, name in sorted(roots, reverse=True)[:top]:
        print(f"   {cumulative / 1000:8.1f} ms  {name}")


def cprofile(top: int = 25) -> None:
    import io
    import pstats

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cold.prof")
        # Through `app`, not the console script's `main`: main leaves by os._exit, before the
        # profiler could write its file.
        code = (
            "import cProfile, sys; sys.argv = ['govreport', 'analyze', sys.argv[1], '--format', 'json'];"
            f"cProfile.run('from analyzer.cli.main import app; app()', {out!r})"
        )
        cmd = [sys.executable, "-c", code, str(SEED)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=child_env())
        print("\n-- cProfile of one cold `govreport analyze` (the profiler adds overhead)")
        if proc.returncode != 0:
            print(f"   FAILED: {(proc.stderr.strip().splitlines() or ['no message'])[-1]}")
            return
        print_profile(pstats.Stats(out, stream=io.StringIO()), top=top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--profile", action="store_true", help="also show stages, imports and a cProfile")
    args = parser.parse_args(argv)
    print_header("bench_coldstart: whole-process govreport")
    report(args.runs)
    if args.profile:
        stages()
        imports()
        cprofile()


if __name__ == "__main__":
    sys.exit(main())
