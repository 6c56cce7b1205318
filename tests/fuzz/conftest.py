"""Fuzz suite fixtures: one bounded worker process for the session, and the outcome summary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import TALLY, Worker  # noqa: E402


@pytest.fixture(scope="session")
def worker(tmp_path_factory):
    """The analysis worker: every hostile case runs there, under a time and a memory bound."""
    runner = Worker(tmp_path_factory.mktemp("fuzz"))
    yield runner
    runner.close()


def pytest_terminal_summary(terminalreporter):
    if TALLY.outcomes:
        terminalreporter.write_sep("=", "fuzz outcomes")
        terminalreporter.write_line(TALLY.summary())
