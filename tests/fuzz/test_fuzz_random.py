"""Hypothesis-generated hostile input: random bytes under every extension, random damage to real
files of every format, and random pasted text. Each ends in a result or a documented error, within
the harness's time and memory bounds.

Every test runs under two seeds (``harness``): the fixed one generates the same cases on every run,
the rotating one new cases, with the seed in the test id and the summary so a failure can be replayed
(``GOVREPORT_FUZZ_SEED=<seed>``). No example database: what runs depends on the seed alone."""

from __future__ import annotations

import hostile as h
import pytest
from harness import ANY_OUTCOME, DOCUMENTED, FIXED_SEED, ROTATING_SEED, seed_alone_decides, seed_group
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from analyzer.ingest import SUPPORTED_SUFFIXES

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                print_blob=True, database=None)
SEEDS = pytest.mark.parametrize("fuzz_seed", [FIXED_SEED, ROTATING_SEED],
                                ids=[f"fixed-seed-{FIXED_SEED}", f"rotating-seed-{ROTATING_SEED}"])
FORMATS = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf", "html": ".html"}
CJK = "".join(sorted({ch for ch in h.seed_text() if "\u4e00" <= ch <= "\u9fff"}))
MARKERS = ["一、", "(一)", "（二）", "1.", "2、", "(3)", "①", "第一部分", "一是", "二是", "《", "》", "<", ">"]


def _assert_documented(reply: dict) -> None:
    assert reply["outcome"] in ANY_OUTCOME, f"{reply['outcome']}: {reply.get('type')}: {reply.get('message')}\n" + (
        reply.get("traceback") or "")
    if reply["outcome"] in DOCUMENTED:
        assert reply["message"] and "\n" not in reply["message"]


def _run_seeded(fuzz_seed: int, test) -> None:
    """Run a Hypothesis test under ``fuzz_seed``, whatever other modules were imported before."""
    with seed_alone_decides():
        seed(fuzz_seed)(test)()


@SEEDS
def test_random_bytes_under_every_extension(worker, fuzz_seed):
    @settings(FUZZ, max_examples=60)
    @given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
    def case(data, suffix):
        _assert_documented(worker.run(data, f"random{suffix}", timeout=30, group=seed_group(fuzz_seed)))

    _run_seeded(fuzz_seed, case)


@st.composite
def damaged(draw):
    """A real file with random bytes overwritten, a slice cut out or repeated, and maybe cut short."""
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    data = bytearray(h.seed_file(fmt))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        start = draw(st.integers(0, len(data) - 1))
        end = draw(st.integers(start, min(len(data), start + 4096)))
        data[start:end] = data[start:end] * draw(st.sampled_from([0, 2, 5]))
    if draw(st.booleans()):
        data = data[: draw(st.integers(1, len(data)))]
    return bytes(data), FORMATS[fmt]


@SEEDS
def test_damaged_real_files(worker, fuzz_seed):
    @settings(FUZZ, max_examples=40)
    @given(file=damaged())
    def case(file):
        data, suffix = file
        _assert_documented(worker.run(data, f"damaged{suffix}", timeout=30, group=seed_group(fuzz_seed)))

    _run_seeded(fuzz_seed, case)


pasted_text = st.lists(
    st.one_of(
        st.text(alphabet=CJK, min_size=1, max_size=60),
        st.sampled_from(MARKERS),
        st.text(min_size=1, max_size=20),  # any code point, controls and surrogates included
        st.from_regex(r"(19|20)\d\d年[一二三四五六七八九十〇0-9]{1,3}月[一二三四五六七八九十0-9]{1,3}日", fullmatch=True),
        st.sampled_from(["\n", "\n\n", "。", "；", "：", "\u3000", "\t", "\r\n", "\u2028"]),
    ),
    max_size=40,
).map("".join)


@SEEDS
def test_random_pasted_text(worker, fuzz_seed):
    @settings(FUZZ, max_examples=50)
    @given(text=pasted_text)
    def case(text):
        data = text.encode("utf-8", "surrogatepass")
        _assert_documented(worker.run(data, "pasted", via="text", timeout=30, group=seed_group(fuzz_seed)))

    _run_seeded(fuzz_seed, case)


def generated_keys(fuzz_seed: int) -> list[str]:
    """The cases the three strategies generate under ``fuzz_seed`` (keys only: nothing is analysed)."""
    from harness import case_key

    keys = []

    @settings(FUZZ, max_examples=20)
    @given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUPPORTED_SUFFIXES), file=damaged(),
           text=pasted_text)
    def collect(data, suffix, file, text):
        keys.extend([case_key(data, f"random{suffix}", "bytes"), case_key(file[0], f"damaged{file[1]}", "bytes"),
                     case_key(text.encode("utf-8", "surrogatepass"), "pasted", "text")])

    _run_seeded(fuzz_seed, collect)
    return keys


def test_a_seed_replays_the_same_cases_and_another_seed_does_not():
    assert generated_keys(FIXED_SEED) == generated_keys(FIXED_SEED)
    assert generated_keys(FIXED_SEED) != generated_keys(FIXED_SEED + 1)


def _fingerprint(keys: list[str]) -> str:
    import hashlib

    return hashlib.sha256("".join(keys).encode()).hexdigest()


def test_the_fixed_seed_generates_the_same_cases_in_every_process():
    """Not only within one run: the real files the damage starts from carry no timestamp or random id, and
    the cases do not depend on which modules were imported before (a full run imports many more)."""
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    probe = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import analyzer.pipeline, analyzer.cli.main; "
             f"import test_fuzz_random as t; print(t._fingerprint(t.generated_keys({FIXED_SEED})))")
    runs = {subprocess.run([sys.executable, "-c", probe, str(here.parent), str(here)], capture_output=True, text=True,
                           check=True, cwd=here.parents[1]).stdout.strip() for _ in range(2)}
    assert runs == {_fingerprint(generated_keys(FIXED_SEED))}
