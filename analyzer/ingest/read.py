"""Ingestion: any supported file (or text) to clean, simplified paragraphs.

``ingest`` dispatches on the file extension, enforces the resource limits, normalises the text
(see ``normalize``) and refuses empty or non-Chinese input with a specific ``InputError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import CorruptFile, EmptyDocument, NotChinese, TooLarge, UnsupportedFormat
from analyzer.ingest.normalize import normalize_paragraphs
from analyzer.ingest.sanitize import strip_controls
from analyzer.limits import DEFAULT_LIMITS, Limits

SUPPORTED_SUFFIXES = (".txt", ".text", ".docx", ".pdf", ".html", ".htm")
# Below this many Chinese characters, or this share of letters, a text is not a Chinese report.
_MIN_CJK = 20
_MIN_CJK_SHARE = 0.3
# Japanese writes its grammar in kana; Chinese text has none beyond the odd ・ or ー.
_MAX_KANA_SHARE = 0.05
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa]")
# Files whose first bytes say what they really are, whatever their name.
_MAGIC = ((b"%PDF-", "a PDF document", ".pdf"), (b"PK\x03\x04", "a zip archive (.docx?)", ".docx"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office file (.doc?)", ".docx"))


@dataclass
class Document:
    """Clean paragraphs of one input, with where they came from."""

    paragraphs: list[str]
    source_format: str
    name: str | None = None
    encoding: str | None = None
    converted_traditional: bool = False
    heading_hints: list[int | None] = field(default_factory=list)
    removed_controls: int = 0  # control and bidi-override characters removed (see ``sanitize``)


def ingest_file(path: str | Path, *, limits: Limits | None = None) -> Document:
    """Read a file from disk; the size limit is checked before reading it."""
    limits = limits or DEFAULT_LIMITS
    path = Path(path)
    _check_suffix(path.name)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise TooLarge(f"the file is {size / 2**20:.1f} MB, over the limit of {limits.max_bytes / 2**20:.0f} MB")
    return ingest_bytes(path.read_bytes(), filename=path.name, limits=limits)


def ingest_bytes(data: bytes, *, filename: str, limits: Limits | None = None) -> Document:
    """Read an uploaded file's bytes; ``filename`` decides the format by its extension."""
    limits = limits or DEFAULT_LIMITS
    suffix = _check_suffix(filename)
    if len(data) > limits.max_bytes:
        raise TooLarge(f"the file is {len(data) / 2**20:.1f} MB, over the limit of {limits.max_bytes / 2**20:.0f} MB")
    if not data.strip():
        raise EmptyDocument("the file is empty")
    _check_magic(data, suffix)
    encoding, hints = None, []
    if suffix in (".txt", ".text"):
        from analyzer.ingest.txt import read_txt

        raw, encoding = read_txt(data, limits)
        fmt = "txt"
    elif suffix == ".docx":
        from analyzer.ingest.docx import read_docx

        raw, hints = read_docx(data, limits)
        fmt = "docx"
    elif suffix == ".pdf":
        from analyzer.ingest.pdf import read_pdf

        raw, fmt = read_pdf(data, limits), "pdf"
    else:
        from analyzer.ingest.html import read_html

        raw, fmt = read_html(data, limits=limits), "html"
    return _finish(raw, fmt=fmt, name=filename, encoding=encoding, hints=hints, limits=limits)


def ingest_text(text: str, *, name: str | None = None, limits: Limits | None = None) -> Document:
    """Wrap text already in memory (pasted, or a test string): one paragraph per line."""
    return _finish(text.splitlines(), fmt="text", name=name, encoding=None, hints=[], limits=limits or DEFAULT_LIMITS)


def _check_suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no extension)"
        raise UnsupportedFormat(
            f"unsupported file type {shown}: upload a .docx, .pdf, .txt or .html file"
            + (" (save old .doc files as .docx first)" if suffix == ".doc" else "")
        )
    return suffix


def _check_magic(data: bytes, suffix: str) -> None:
    """Refuse a file whose content is another format than its name says (a PDF named .txt)."""
    for magic, what, own_suffix in _MAGIC:
        if data.startswith(magic) and suffix != own_suffix:
            raise CorruptFile(f"the file named {suffix} is really {what}; give it the right extension")


def _finish(raw, *, fmt, name, encoding, hints, limits) -> Document:
    if sum(len(p) for p in raw) > limits.max_chars:
        raise TooLarge(f"the document holds more than {limits.max_chars:,} characters of text")
    raw, removed_controls = strip_controls(raw)
    keep = [i for i, p in enumerate(raw) if p.strip()]
    kept_hints = [hints[i] for i in keep] if hints else []
    paragraphs, converted = normalize_paragraphs([raw[i] for i in keep])
    if len(paragraphs) != len(keep):  # normalisation dropped a paragraph that was only invisible characters
        kept_hints = []
    if not paragraphs:
        raise EmptyDocument("the document contains no text")
    if len(paragraphs) > limits.max_paragraphs:
        raise TooLarge(f"the document has {len(paragraphs):,} paragraphs, over the limit of {limits.max_paragraphs:,}")
    _check_chinese(paragraphs)
    paragraphs = [piece for p in paragraphs for piece in _split_long(p, limits.max_paragraph_chars)]
    return Document(paragraphs, fmt, name, encoding, converted, kept_hints if len(kept_hints) == len(paragraphs) else [],
                    removed_controls)


_CJK_CHARS = re.compile("[\u4e00-\u9fff]+")


def _check_chinese(paragraphs: list[str]) -> None:
    text = "".join(paragraphs)
    # One pass over the text: what remains without its Chinese characters tells their number, and
    # holds every kana and other letter (counted in C).
    rest = _CJK_CHARS.sub("", text)
    cjk = len(text) - len(rest)
    kana = len(_KANA.findall(rest))
    letters = cjk + sum(map(str.isalpha, rest))
    if cjk < _MIN_CJK or cjk < _MIN_CJK_SHARE * letters or kana > _MAX_KANA_SHARE * cjk:
        raise NotChinese(
            f"the document contains no Chinese report text ({cjk} Chinese characters); "
            "this tool reads reports written in Chinese"
        )


def _split_long(paragraph: str, limit: int) -> list[str]:
    """Split an over-long paragraph at sentence ends (or hard, as a last resort)."""
    if len(paragraph) <= limit:
        return [paragraph]
    pieces, start = [], 0
    while start < len(paragraph):
        end = min(start + limit, len(paragraph))
        cut = paragraph.rfind("。", start, end)
        end = cut + 1 if cut > start and end < len(paragraph) else end
        pieces.append(paragraph[start:end])
        start = end
    return pieces
