"""Word .docx: body paragraphs and table rows in document order, heading styles as hints.

The archive is inspected before python-docx sees it, from its zip directory alone: a file that is
not a zip, has no main document part, declares more inflated bytes than the limit (a zip bomb),
repeats a member name, encrypts a member or uses a compression Word never writes is refused
without inflating anything. Then every XML part is read once, in bounded chunks, to refuse entity
declarations (billion laughs, external entities): Word never writes a DOCTYPE.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..errors import CorruptFile, EncryptedDocument, TooLarge
from ..limits import Limits

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.IGNORECASE)
_MAIN_PART = "word/document.xml"
_OFFICE_DOCUMENT = re.compile(rb'Type="[^"]*/officeDocument"[^>]*?Target="/?([^"]+)"|'
                              rb'Target="/?([^"]+)"[^>]*?Type="[^"]*/officeDocument"')
_ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 << 20
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def check_docx_archive(data: bytes, limits: Limits) -> str:
    """Refuse what python-docx should never be asked to open; return the main part's name."""
    if data.startswith(_OLE_MAGIC):
        raise EncryptedDocument(
            "the Word file is password-protected or in the old binary .doc format; save it as an unprotected .docx"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFile("the .docx file is damaged: it is not a valid zip archive") from exc
    with archive:
        members = archive.infolist()
        _check_directory(members, limits)
        try:
            main = _main_part(archive, {m.filename for m in members})
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    _refuse_entities(archive, member)
        except _DAMAGE as exc:
            raise CorruptFile(f"the .docx file is damaged: a part cannot be read ({type(exc).__name__})") from exc
    return main


def _check_directory(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    names = [m.filename for m in members]
    if len(set(names)) != len(names):
        raise CorruptFile("the .docx file is damaged: it names the same part twice")
    inflated = sum(m.file_size for m in members)
    if inflated > limits.max_unpacked_bytes:
        raise TooLarge(
            f"the .docx file would unpack to {inflated // 2**20:,} MB, over the limit of "
            f"{limits.max_unpacked_bytes // 2**20} MB"
        )
    if any(m.flag_bits & 0x1 for m in members):
        raise EncryptedDocument("the .docx file has encrypted parts; save an unprotected copy")
    if any(m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for m in members):
        raise CorruptFile("the .docx file is damaged: it uses a compression Word never writes")


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The main document part the package relationships name (usually word/document.xml)."""
    if "_rels/.rels" in names and archive.getinfo("_rels/.rels").file_size < _CHUNK:
        match = _OFFICE_DOCUMENT.search(archive.read("_rels/.rels"))
        if match:
            target = (match.group(1) or match.group(2)).decode("utf-8", "replace")
            if target in names:
                return target
    if _MAIN_PART in names:
        return _MAIN_PART
    raise CorruptFile("the .docx file is damaged: it has no main document part (word/document.xml)")


def _refuse_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Read one XML part in chunks (never more than its declared size) and refuse entity declarations."""
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _ENTITY_MARKS):
                raise CorruptFile("the .docx file is damaged: its XML declares entities, which Word never writes")
            tail = window[-16:]


def read_docx(data: bytes, limits: Limits) -> tuple[list[str], list[int | None]]:
    """Paragraph texts and, for each, the heading level its style names (or None)."""
    check_docx_archive(data, limits)
    import docx  # lazy: python-docx pulls in lxml
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = document.iter_inner_content()
        texts: list[str] = []
        hints: list[int | None] = []
        levels: dict[str | None, int | None] = {}  # style id → heading level: styles are few, paragraphs many
        for block in blocks:
            if isinstance(block, Paragraph):
                level = _heading_level(block, levels)
                for line in block.text.split("\n"):
                    texts.append(line)
                    hints.append(level)
            elif isinstance(block, Table):
                for row in _table_rows(block):
                    texts.append(row)
                    hints.append(None)
            if len(texts) > limits.max_paragraphs:
                raise TooLarge(f"the document has more than {limits.max_paragraphs:,} paragraphs")
    except (TooLarge, MemoryError):
        raise
    except Exception as exc:  # python-docx and lxml raise many types on malformed parts
        raise CorruptFile(f"the .docx file is damaged and cannot be read ({type(exc).__name__})") from exc
    return texts, hints


def _heading_level(paragraph, levels: dict[str | None, int | None]) -> int | None:
    style_id = paragraph._p.style
    if style_id not in levels:
        style = paragraph.style
        name = (style.name if style is not None else "") or ""
        match = _HEADING_STYLE.search(name)
        levels[style_id] = int(match.group(1)) if match else (1 if name.lower() == "title" else None)
    return levels[style_id]


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = cell.text.strip()
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows
