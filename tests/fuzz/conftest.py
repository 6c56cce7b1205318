"""Fuzz suite fixtures: one bounded worker process for the session, and the outcome summary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import FIXED_SEED, ROTATING_SEED, SEED_ENV, TALLY, Worker  # noqa: E402


@pytest.fixture(scope="session")
def worker(tmp_path_factory):
    """The analysis worker: every hostile case runs there, under a time and a memory bound."""
    runner = Worker(tmp_path_factory.mktemp("fuzz"))
    yield runner
    runner.close()


def pytest_report_header(config):
    return f"fuzz seeds: fixed {FIXED_SEED}, rotating {ROTATING_SEED} (replay with {SEED_ENV}={ROTATING_SEED})"


def pytest_terminal_summary(terminalreporter):
    if TALLY.outcomes:
        terminalreporter.write_sep("=", "fuzz outcomes")
        for line in TALLY.summary().splitlines():
            terminalreporter.write_line(line)
