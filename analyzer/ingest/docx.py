"""Word .docx: body paragraphs and table rows in document order, heading styles as hints.

The archive is inspected before python-docx sees it: a file that is not a zip, lacks
``word/document.xml`` or inflates past the limit (a zip bomb) is refused without inflating it.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import CorruptFile, EncryptedDocument, TooLarge
from ..limits import Limits

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.IGNORECASE)


def check_docx_archive(data: bytes, limits: Limits) -> None:
    """Refuse what python-docx should never be asked to open."""
    if data.startswith(_OLE_MAGIC):
        raise EncryptedDocument(
            "the Word file is password-protected or in the old binary .doc format; save it as an unprotected .docx"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptFile("the .docx file is damaged: it is not a valid zip archive") from exc
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise CorruptFile("the .docx file is damaged: it has no word/document.xml part")
        inflated = sum(info.file_size for info in archive.infolist())
        if inflated > limits.max_unpacked_bytes:
            raise TooLarge(
                f"the .docx file would unpack to {inflated // 2**20} MB, over the limit of "
                f"{limits.max_unpacked_bytes // 2**20} MB"
            )
        xml_head = archive.open("word/document.xml").read(4096)
    if b"<!DOCTYPE" in xml_head or b"<!ENTITY" in xml_head:
        raise CorruptFile("the .docx file is damaged: its XML declares entities, which Word never writes")


def read_docx(data: bytes, limits: Limits) -> tuple[list[str], list[int | None]]:
    """Paragraph texts and, for each, the heading level its style names (or None)."""
    check_docx_archive(data, limits)
    import docx  # lazy: python-docx pulls in lxml
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on malformed parts
        raise CorruptFile(f"the .docx file is damaged and cannot be read ({type(exc).__name__})") from exc
    texts: list[str] = []
    hints: list[int | None] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            level = _heading_level(block)
            for line in block.text.split("\n"):
                texts.append(line)
                hints.append(level)
        elif isinstance(block, Table):
            for row in _table_rows(block):
                texts.append(row)
                hints.append(None)
    return texts, hints


def _heading_level(paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    match = _HEADING_STYLE.search(name or "")
    if match:
        return int(match.group(1))
    return 1 if (name or "").lower() == "title" else None


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
