"""The harness's own bounds: a case past its time is killed, one past the memory cap fails, one that
kills the worker is reported, and the next case still runs. Without these the fuzz results mean little."""

from __future__ import annotations

import pytest
from harness import Worker


@pytest.fixture(scope="module")
def cold_worker(tmp_path_factory):
    runner = Worker(tmp_path_factory.mktemp("harness"), memory=2**30, warm=False)  # no model: starts fast
    yield runner
    runner.close()


def test_a_case_past_its_time_bound_is_killed_and_the_worker_restarts(cold_worker):
    reply = cold_worker.request({"op": "sleep", "seconds": 30}, timeout=1)
    assert reply["outcome"] == "timeout"
    assert cold_worker.request({"op": "sleep", "seconds": 0}, timeout=30)["outcome"] == "slept"


def test_a_case_past_the_memory_cap_fails_instead_of_swapping(cold_worker):
    reply = cold_worker.request({"op": "alloc", "bytes": 2 * 2**30}, timeout=30)
    assert (reply["outcome"], reply["type"]) == ("crash", "MemoryError")


def test_a_case_that_kills_the_worker_is_reported(cold_worker):
    assert cold_worker.request({"op": "die"}, timeout=30)["outcome"] == "died"
    assert cold_worker.request({"op": "sleep", "seconds": 0}, timeout=30)["outcome"] == "slept"
