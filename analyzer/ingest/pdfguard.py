"""Bounds for pdfminer on hostile PDFs: decompression, reference loops and characters.

pdfminer trusts its input. It inflates a stream whole however large it gets (a deflate or LZW
bomb), salvages a damaged deflate stream one byte at a time with quadratic copying, decodes
run-length data quadratically, follows an object that refers to itself forever, interprets page
content and undoes predictors in pure Python however much there is, and builds an object for
every character a page shows; it follows a cross-reference table's ``/Prev`` by recursion, reading
the table again on every level, so a table whose ``/Prev`` points at itself fills the memory with
copies of it (here: refused on the second visit, ``CorruptFile``). ``bounded(limits)`` gives the current thread budgets of inflated
bytes (``max_unpacked_bytes``), of content bytes (``max_pdf_content_bytes``) and of characters
(``max_chars``), and installs, once per process, small linear replacements for those places that
spend the budgets and raise ``TooLarge`` when one runs out (``CorruptFile`` on a reference loop).
Shapes are not built at all: the reader needs only characters. Outside ``bounded`` the
replacements behave like the originals, without budgets.
"""

from __future__ import annotations

import io
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from analyzer.errors import CorruptFile, TooLarge
from analyzer.limits import Limits

_STEP = 1 << 20  # inflate at most this much before counting it
_SALVAGE_SLICE = 1 << 14  # a damaged stream is fed in slices this size; the damaged one byte by byte
_MAX_HOPS = 64  # a reference chain longer than this is a loop
_MAX_XREF_SECTIONS = 256  # cross-reference sections (one per incremental save); real files have a few
_state = threading.local()
_install_lock = threading.Lock()
_installed = False


@contextmanager
def bounded(limits: Limits) -> Iterator[None]:
    """Run pdfminer under this thread's budgets for the duration of the block."""
    _install()
    _state.bytes_left = limits.max_unpacked_bytes
    _state.chars_left = limits.max_chars
    _state.content_left = limits.max_pdf_content_bytes
    _state.limits = limits
    try:
        yield
    finally:
        _state.limits = None


def _spend_bytes(count: int) -> None:
    _spend("bytes_left", count, lambda limits: (
        f"the PDF's compressed streams inflate to more than {limits.max_unpacked_bytes // 2**20} MB, over the limit"
    ))


def _spend_content(count: int) -> None:
    _spend("content_left", count, lambda limits: (
        f"the PDF's pages hold more than {limits.max_pdf_content_bytes // 2**20} MB of drawing instructions, "
        "over the limit"
    ))


def _spend(budget: str, count: int, message) -> None:
    """Take ``count`` from the current read's ``budget``; refuse the PDF once it runs out."""
    limits = getattr(_state, "limits", None)
    if limits is None:
        return
    left = getattr(_state, budget) - count
    setattr(_state, budget, left)
    if left < 0:
        raise TooLarge(message(limits))


def _spend_char() -> None:
    limits = getattr(_state, "limits", None)
    if limits is None:
        return
    _state.chars_left -= 1
    if _state.chars_left < 0:
        raise TooLarge(f"the PDF shows more than {limits.max_chars:,} characters, over the limit")


def inflate(data: bytes, *, salvage: bool = False) -> bytes:
    """``zlib.decompress`` that counts what it inflates. With ``salvage``, what a damaged stream
    inflates to before the damage (pdfminer's fallback, byte by byte, but only near the damage)."""
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    if not salvage:
        _feed(inflater, data, pieces)
        if not inflater.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return b"".join(pieces)
    for start in range(0, len(data), _SALVAGE_SLICE):
        piece = data[start : start + _SALVAGE_SLICE]
        before, kept = inflater.copy(), len(pieces)
        try:
            _feed(inflater, piece, pieces)
        except zlib.error:
            del pieces[kept:]
            inflater = before
            for byte in range(len(piece)):  # the damage is in this slice: go up to it one byte at a time
                try:
                    _feed(inflater, piece[byte : byte + 1], pieces)
                except zlib.error:
                    break
            break
        if inflater.eof:
            break
    return b"".join(pieces)


def _feed(inflater, data: bytes, pieces: list[bytes]) -> None:
    """Inflate ``data`` at most ``_STEP`` bytes at a time, counting each piece (once the input is used
    up, a piece shorter than the step means all its output has been given)."""
    pending = data
    while not inflater.eof:
        piece = inflater.decompress(pending, _STEP)
        _spend_bytes(len(piece))
        pieces.append(piece)
        pending = inflater.unconsumed_tail
        if not pending and len(piece) < _STEP:
            break


def lzw_decode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    pieces = []
    for piece in LZWDecoder(io.BytesIO(data)).run():
        _spend_bytes(len(piece))
        pieces.append(piece)
    return b"".join(pieces)


def run_length_decode(data: bytes) -> bytes:
    """RunLengthDecode (PDF 32000 §7.4.5), linear."""
    out = bytearray()
    i = 0
    while i < len(data):
        length = data[i]
        if length == 128:
            break
        if length < 128:
            piece = data[i + 1 : i + 2 + length]
            i += length + 2
        else:
            piece = data[i + 1 : i + 2] * (257 - length)
            i += 2
        _spend_bytes(len(piece))
        out += piece
    return bytes(out)


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        return inflate(data)

    def __getattr__(self, name: str):
        return getattr(zlib, name)


def _install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        from pdfminer import converter, pdfdocument, pdfinterp, pdftypes

        pdftypes.zlib = _BoundedZlib()
        pdftypes.decompress_corrupted = lambda data: inflate(data, salvage=True)
        pdftypes.lzwdecode = lzw_decode
        pdftypes.rldecode = run_length_decode
        pdftypes.PDFObjRef.resolve = _resolve_without_loops(pdftypes.PDFObjRef.resolve)
        pdfdocument.PDFDocument.read_xref_from = _xref_chain_without_loops(pdfdocument.PDFDocument.read_xref_from)
        pdftypes.apply_png_predictor = _spending_content(pdftypes.apply_png_predictor)
        pdftypes.apply_tiff_predictor = _spending_content(pdftypes.apply_tiff_predictor)
        pdfinterp.PDFPageInterpreter.render_contents = _counted_contents(pdfinterp.PDFPageInterpreter.render_contents)
        converter.PDFLayoutAnalyzer.render_char = _counting(converter.PDFLayoutAnalyzer.render_char)
        converter.PDFLayoutAnalyzer.paint_path = _skip_shape
        _installed = True


def _resolve_without_loops(resolve):
    def resolve_once(self, default=None):
        target = resolve(self, default)
        hops = 0
        while type(target) is type(self):  # a reference to a reference: follow it here, with a bound
            hops += 1
            if hops > _MAX_HOPS:
                raise CorruptFile("the PDF is damaged: its objects refer to each other in a loop")
            target = resolve(target, default)
        return target

    return resolve_once


def _xref_chain_without_loops(read_xref_from):
    """Each cross-reference section is read once: a ``/Prev`` or ``/XRefStm`` that points back at a
    section already read, or a chain longer than any real file's, ends the read as damaged."""

    def read_xref_once(self, parser, start, xrefs):
        seen = getattr(_state, "xref_seen", None)
        outer = seen is None
        if outer:
            _state.xref_seen = seen = set()
        try:
            if start in seen:
                raise CorruptFile("the PDF is damaged: its cross-reference tables point back at each other in a loop")
            seen.add(start)
            if len(seen) > _MAX_XREF_SECTIONS:
                raise CorruptFile(f"the PDF is damaged: it chains more than {_MAX_XREF_SECTIONS} cross-reference tables")
            return read_xref_from(self, parser, start, xrefs)
        finally:
            if outer:
                _state.xref_seen = None

    return read_xref_once


def _counting(render_char):
    def render_counted_char(self, *args, **kwargs):
        _spend_char()
        return render_char(self, *args, **kwargs)

    return render_counted_char


def _spending_content(predictor):
    def undo_predictor(*args):
        _spend_content(len(args[-1]))  # the data is the last argument
        return predictor(*args)

    return undo_predictor


def _counted_contents(render_contents):
    """Count a page's (or form's) content streams against the budget before interpreting them."""

    def render_counted_contents(self, resources, streams, *args, **kwargs):
        from pdfminer.pdftypes import PDFStream, resolve1

        targets = resolve1(streams)
        for target in targets if isinstance(targets, list) else [targets]:
            stream = resolve1(target)
            if isinstance(stream, PDFStream):
                _spend_content(len(stream.get_data()))
        return render_contents(self, resources, streams, *args, **kwargs)

    return render_counted_contents


def _skip_shape(self, *args, **kwargs) -> None:
    """Lines, curves and rectangles: the text reader never uses them, and each costs an object."""
