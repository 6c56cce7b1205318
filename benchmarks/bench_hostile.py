"""What refusing a hostile file costs, next to analysing the seed report (issue 20).

    python benchmarks/bench_hostile.py [--runs 3] [--scale 1.0]

Each hostile case of ``tests/budget_cases.py`` (written by its seeded generator, at the size the
issue reported) and the seed report (.txt, and the same paragraphs as .docx) goes through
``govreport analyze FILE --format json`` as a new process under the default limits and budget
(10 s, 1 GB). Reported per case: the file size, the exit code and the error code, the median wall
time, CPU time and peak RSS of the whole process tree (``os.wait4``: the command and the budgeted
worker it forks). Before the budget, the same cases took 6 s to minutes and 1.4 to over 12 GB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from common import ROOT, SEED, child_env, print_header, run_child

sys.path.insert(0, str(ROOT / "tests"))
from budget_cases import CASES, hostile_text  # noqa: E402
from builders import make_docx  # noqa: E402


def files(folder: Path, scale: float) -> dict[str, Path]:
    """The seed (as .txt and .docx), the text with escapes, and every hostile case, written to ``folder``."""
    paragraphs = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    written = {"seed report (.txt), analysed": SEED}
    written["seed report (.docx), analysed"] = folder / "seed.docx"
    written["seed report (.docx), analysed"].write_bytes(make_docx(paragraphs))
    written["text with escapes and markup, analysed"] = folder / "escapes.txt"
    written["text with escapes and markup, analysed"].write_text(hostile_text(), encoding="utf-8")
    for name, (generate, suffix, what) in CASES.items():
        path = folder / f"{name}{suffix}"
        path.write_bytes(generate(scale))
        written[f"{name}: {what}"] = path
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="size of the hostile cases (1.0: as reported)")
    parser.add_argument("--write-to", type=Path, help=argparse.SUPPRESS)  # the generator's own process
    args = parser.parse_args()
    if args.write_to:
        for name, path in files(args.write_to, args.scale).items():
            print(f"{name}\t{path}")
        return
    print_header("refusing hostile files (govreport analyze FILE --format json, one process each)")
    command = [sys.executable, "-m", "analyzer.cli", "analyze"]
    with tempfile.TemporaryDirectory() as folder:
        # Generated in a process of its own: the commands below are forked from this one, and a child
        # counts the pages it shares with its parent at the fork in its peak RSS.
        listing = run_child([sys.executable, __file__, "--write-to", folder, "--scale", str(args.scale)])
        cases = dict(line.split("\t") for line in listing.stdout.decode("utf-8").splitlines())
        cases = {name: Path(path) for name, path in cases.items()}
        print(f"   {'case':66} {'size':>8} {'exit':>4} {'wall':>7} {'CPU':>7} {'peak RSS':>9}  error")
        for name, path in cases.items():
            env = child_env(GOVREPORT_CACHE_DIR=str(Path(folder) / "cache"))
            run_child([*command, str(path), "--format", "json"], env=env)  # untimed: page cache, data cache
            runs = [run_child([*command, str(path), "--format", "json"], env=env) for _ in range(args.runs)]
            last = runs[-1]
            error = last.stderr.decode("utf-8", "replace").strip().splitlines()
            shown = (error[-1][:90] if error else "") if last.returncode else ""
            print(f"   {name[:66]:66} {path.stat().st_size / 1024:6.0f}KB {last.returncode:>4} "
                  f"{statistics.median(r.wall for r in runs):6.2f}s {statistics.median(r.cpu for r in runs):6.2f}s "
                  f"{statistics.median(r.peak_mb for r in runs):7.0f}MB  {shown}")
    print(f"   median of {args.runs} runs after one untimed run; peak RSS includes the forked worker")


if __name__ == "__main__":
    main()
