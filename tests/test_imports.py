"""Start-up stays lean: each command imports only what it uses (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Runs the console script's entry point exactly as `govreport ARGS...` does, then records every
# top-level package in sys.modules at exit (atexit runs after Typer's SystemExit; ``main`` may also
# leave by os._exit, which skips atexit, so that is wrapped too).
_CHILD = """
import atexit, json, os, sys
out = sys.argv[1]
def record():
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(sorted({name.split(".")[0] for name in sys.modules}), fh)
atexit.register(record)
_exit = os._exit
def recorded_exit(code):
    record()
    _exit(code)
os._exit = recorded_exit
sys.argv = ["govreport", *sys.argv[2:]]
from analyzer.cli.main import main
sys.exit(main())
"""

HEAVY_AT_HELP = {"spacy", "sklearn", "pandas", "duckdb", "streamlit", "jieba", "rjieba"}
# The app and batch stacks, and the training stack: the shipped model is served with numpy alone.
NEVER_IN_ANALYZE = {"streamlit", "pandas", "duckdb", "dask", "sklearn", "scipy", "spacy"}


def loaded_packages(tmp_path, *args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    record = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if k != "GOVREPORT_SEGMENTER"}  # the default backend
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)  # this checkout
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(record), *args], capture_output=True, text=True, env=env)
    assert record.exists(), proc.stderr
    return set(json.loads(record.read_text(encoding="utf-8"))), proc


def test_help_imports_nothing_heavy(tmp_path):
    packages, proc = loaded_packages(tmp_path, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "analyze" in proc.stdout
    assert packages & HEAVY_AT_HELP == set()


@pytest.mark.parametrize("command", [["analyze", "--help"], ["frameworks"]])
def test_light_commands_import_no_segmenter_or_model(tmp_path, command):
    packages, proc = loaded_packages(tmp_path, *command)
    assert proc.returncode == 0, proc.stderr
    assert packages & HEAVY_AT_HELP == set()


@pytest.fixture(scope="module")
def analyze_packages(tmp_path_factory, seed_path) -> set[str]:
    packages, proc = loaded_packages(tmp_path_factory.mktemp("analyze"), "analyze", str(seed_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["framework"]
    return packages


def test_analyze_runs_a_real_analysis_with_the_default_backend(analyze_packages):
    assert "rjieba" in analyze_packages
    assert "jieba" not in analyze_packages


def test_analyze_imports_no_app_or_batch_stack(analyze_packages):
    assert analyze_packages & NEVER_IN_ANALYZE == set()
