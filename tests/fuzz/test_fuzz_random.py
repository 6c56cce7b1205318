"""Hypothesis-generated hostile input: random bytes under every extension, random damage to real
files of every format, and random pasted text. Each ends in a result or a documented error, within
the harness's time and memory bounds."""

from __future__ import annotations

import hostile as h
from harness import ANY_OUTCOME, DOCUMENTED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.ingest import SUPPORTED_SUFFIXES

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                print_blob=True)
FORMATS = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf", "html": ".html"}
CJK = "".join(sorted({ch for ch in h.seed_text() if "\u4e00" <= ch <= "\u9fff"}))
MARKERS = ["一、", "(一)", "（二）", "1.", "2、", "(3)", "①", "第一部分", "一是", "二是", "《", "》", "<", ">"]


def _assert_documented(reply: dict) -> None:
    assert reply["outcome"] in ANY_OUTCOME, f"{reply['outcome']}: {reply.get('type')}: {reply.get('message')}\n" + (
        reply.get("traceback") or "")
    if reply["outcome"] in DOCUMENTED:
        assert reply["message"] and "\n" not in reply["message"]


@settings(FUZZ, max_examples=60)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_random_bytes_under_every_extension(worker, data, suffix):
    _assert_documented(worker.run(data, f"random{suffix}", timeout=30))


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


@settings(FUZZ, max_examples=40)
@given(case=damaged())
def test_damaged_real_files(worker, case):
    data, suffix = case
    _assert_documented(worker.run(data, f"damaged{suffix}", timeout=30))


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


@settings(FUZZ, max_examples=50)
@given(text=pasted_text)
def test_random_pasted_text(worker, text):
    data = text.encode("utf-8", "surrogatepass")
    _assert_documented(worker.run(data, "pasted", via="text", timeout=30))
