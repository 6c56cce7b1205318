"""Plain text: detect the encoding, refuse binary data, one paragraph per non-empty line.

Decoding tries, in order: a byte-order mark; strict UTF-8; UTF-16/32 without a mark (recognised by
their NUL bytes or a clean decode to Chinese); UTF-8 with a few damaged bytes (each becomes U+FFFD);
then detection, falling back to GB18030. A file cut short in the middle of a character (an
interrupted upload) loses only that character; a UTF-8 mark in front of GBK text is ignored.
Text copied from a web page often carries the page's field lines (索引号, 发布时间, 来源, 字号 大 中 小,
打印本页 …): they are dropped (``normalize.is_page_chrome``).
"""

from __future__ import annotations

import codecs
import re

from analyzer.errors import CorruptFile, TooLarge, UndecodableText
from analyzer.ingest.normalize import is_page_chrome
from analyzer.limits import Limits

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its mark starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNIT = {"utf-8": 1, "utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}
# Control characters that no text file holds (tab, line and page breaks and the separators that
# ``str.splitlines`` honours are fine), and the replacement character of damaged bytes.
_JUNK = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffd]")
# Above this share of junk characters, decoded "text" is really binary data.
_MAX_JUNK = 0.03
# UTF-8 with at most this share of damaged characters is read as UTF-8 (a GBK file has far more).
_MAX_DAMAGED_UTF8 = 0.02


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; return the text and the encoding used."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode_cut(data[len(bom) :], encoding)
            if text is not None:
                return text, encoding
            if encoding != "utf-8":
                raise UndecodableText(f"the text file is marked as {encoding.upper()} but is not valid {encoding.upper()}")
            data = data[len(bom) :]  # a UTF-8 mark in front of text in another encoding: ignore the mark
            break
    text = _decode_cut(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    wide = _wide_without_bom(data)
    if wide:
        text = _decode_cut(data, wide)
        if text is not None:
            return text, wide
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= _MAX_DAMAGED_UTF8 * len(text):
        return text, "utf-8"
    for encoding in [*_detected(data), "gb18030"]:
        try:
            return data.decode(encoding), encoding
        except (UnicodeError, LookupError):
            continue
    raise UndecodableText("the text file's encoding could not be recognised (tried UTF-8, UTF-16, GB18030)")


def check_not_binary(text: str) -> None:
    """Refuse text that is largely control characters: a binary file with a text extension."""
    if text and len(_JUNK.findall(text)) > _MAX_JUNK * len(text):
        raise CorruptFile("the file holds binary data, not text (is it really a .txt file?)")


def read_txt(data: bytes, limits: Limits) -> tuple[list[str], str]:
    """Paragraphs (lines, in order, without web-page field lines) and the detected encoding."""
    text, encoding = decode_text(data)
    if len(text) > limits.max_chars:
        raise TooLarge(f"the document holds more than {limits.max_chars:,} characters of text")
    check_not_binary(text)
    return [line for line in text.splitlines() if not is_page_chrome(line)], encoding


def _decode_cut(data: bytes, encoding: str) -> str | None:
    """Strict decoding that forgives only a character cut off at the very end; None if invalid."""
    unit = _UNIT[encoding]
    if unit > 1:
        data = data[: len(data) - len(data) % unit]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if unit == 1 and exc.reason == "unexpected end of data" and exc.end == len(data):
            return data[: exc.start].decode(encoding)
        return None


def _wide_without_bom(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a mark: NUL bytes on one side of each unit (ASCII, Chinese in
    UTF-32), or a clean UTF-16 decode that is mostly Chinese."""
    if len(data) < 8:
        return None
    quarter = [data[i::4].count(0) for i in range(4)]
    if min(quarter[2], quarter[3]) > len(data) / 5:
        return "utf-32-le"
    if min(quarter[0], quarter[1]) > len(data) / 5:
        return "utf-32-be"
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    for encoding, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if nuls > len(data) / 8:
            return encoding
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _decode_cut(data, encoding)
        if text and sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 0.6 * len(text):
            return encoding
    return None


def _detected(data: bytes) -> list[str]:
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 files need detection

    best = from_bytes(data[:200_000]).best()
    return [best.encoding] if best is not None else []
