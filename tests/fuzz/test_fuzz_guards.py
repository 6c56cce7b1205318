"""The guards the fuzz suite relies on, checked directly: bombs are refused without inflating, the
pdfminer replacements agree with the originals, and the HTML depth scan counts what parsers nest."""

from __future__ import annotations

import tracemalloc
import zipfile
import zlib

import hostile as h
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import TooLarge
from analyzer.ingest.docx import check_docx_archive
from analyzer.ingest.html import nesting_depth
from analyzer.ingest.pdfguard import bounded, inflate, run_length_decode
from analyzer.limits import Limits


def test_a_docx_zip_bomb_is_refused_without_opening_any_part(monkeypatch):
    bomb = h.zip_bomb_docx()

    def no_reading(*args, **kwargs):
        raise AssertionError("a part of the bomb was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)
    with pytest.raises(TooLarge):
        check_docx_archive(bomb, Limits())


def test_a_pdf_deflate_bomb_stops_at_the_budget_without_inflating_the_rest():
    stream, _, _ = h.deflate_repeated(b" " * h.MB, 512, raw=False)  # 512 MB from half a megabyte
    tracemalloc.start()
    try:
        with bounded(Limits(max_unpacked_bytes=8 * h.MB)), pytest.raises(TooLarge):
            inflate(stream)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * h.MB


def test_inflate_matches_zlib_and_salvages_a_damaged_stream():
    data = h.random_bytes(300_000, seed=2) + b"report text " * 1000
    packed = zlib.compress(data)
    assert inflate(packed) == data
    assert inflate(packed[:-4] + b"\0\0\0\0", salvage=True) == data  # bad checksum: everything salvaged
    with pytest.raises(zlib.error):
        inflate(packed[:-4] + b"\0\0\0\0")
    cut = inflate(packed[: len(packed) // 2], salvage=True)
    assert 0 < len(cut) < len(data) and data.startswith(cut)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600))
def test_run_length_decode_agrees_with_pdfminer(data):
    from pdfminer.runlength import rldecode

    try:
        expected = rldecode(data)
    except Exception:  # pdfminer fails on a run cut short; ours returns what it has
        expected = None
    got = run_length_decode(data)
    assert expected is None or got == expected


@pytest.mark.parametrize(
    ("page", "depth"),
    [
        ("<div><div><span>文字</span></div></div>", 3),
        ("<p>一<p>二<p>三<li>四<li>五<br><img src=x>", 0),  # end tags left out: nothing nests
        ("<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>", 2),
        ("<div/>" * 50 + "<div></div>" * 50, 1),
        ("</div></div><div>", 1),
    ],
)
def test_nesting_depth(page, depth):
    assert nesting_depth(page, stop_at=10_000) == depth


def test_nesting_depth_stops_counting_past_the_limit():
    assert nesting_depth("<div>" * 1_000_000, stop_at=100) == 101
