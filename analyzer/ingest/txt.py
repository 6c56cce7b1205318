"""Plain text: detect the encoding, refuse binary data, one paragraph per non-empty line."""

from __future__ import annotations

import codecs
import unicodedata

from ..errors import CorruptFile, UndecodableText

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control / replacement characters above which decoded "text" is really binary data.
_MAX_JUNK = 0.01


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; return the text and the encoding used."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    bomless = _utf16_without_bom(data)
    if bomless:
        return _strict(data, bomless), bomless
    for encoding in _detected(data) + ["gb18030"]:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return text, encoding
    raise UndecodableText("the text file's encoding could not be recognised (tried UTF-8, UTF-16, GB18030)")


def check_not_binary(text: str) -> None:
    """Refuse text that is mostly control characters: a binary file with a text extension."""
    if not text:
        return
    junk = sum(1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f"))
    if "\x00" in text or junk / len(text) > _MAX_JUNK:
        raise CorruptFile("the file holds binary data, not text (is it really a .txt file?)")


def read_txt(data: bytes) -> tuple[list[str], str]:
    """Paragraphs (non-empty lines, in order) and the detected encoding."""
    text, encoding = decode_text(data)
    check_not_binary(text)
    return text.splitlines(), encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableText(f"the text file claims {encoding} but is not valid {encoding}") from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as many NUL bytes on one side of each pair (ASCII) or decodes cleanly."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    for encoding, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if nuls > len(data) / 8:
            return encoding
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        if cjk > 0.6 * len(text):
            return encoding
    return None


def _detected(data: bytes) -> list[str]:
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 files need detection

    best = from_bytes(data[:200_000]).best()
    return [best.encoding] if best is not None else []
