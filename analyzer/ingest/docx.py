"""Word .docx: body paragraphs and table rows in document order, heading styles as hints.

The archive is inspected before python-docx sees it, from its zip directory alone: a file that is
not a zip, has no main document part, declares more inflated bytes than the limit (a zip bomb),
repeats a member name, encrypts a member or uses a compression Word never writes is refused
without inflating anything. Then every part is read once, in bounded chunks, to refuse entity
declarations (billion laughs, external entities) in any encoding: Word never writes a DOCTYPE.
Every part that is XML (by its name, its content type in ``[Content_Types].xml``, or its first
bytes) has its prolog parsed, so a UTF-16 or oddly named part is judged by what it decodes to.
Last, the main part streams through lxml counting elements, paragraphs and characters, and is
refused at the first limit it passes, before python-docx builds a tree of it (``_scan_main_part``).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from analyzer.errors import CorruptFile, EncryptedDocument, InputError, TooLarge
from analyzer.limits import Limits

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.IGNORECASE)
_MAIN_PART = "word/document.xml"
_OFFICE_DOCUMENT = re.compile(rb'Type="[^"]*/officeDocument"[^>]*?Target="/?([^"]+)"|'
                              rb'Target="/?([^"]+)"[^>]*?Type="[^"]*/officeDocument"')
# The marks in every encoding an XML parser detects on its own (ASCII-compatible, UTF-16, UTF-32).
_ENTITY_MARKS = tuple(mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY")
                      for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))
_PROLOG_SLICE = 4096
_MARK_TAIL = 64  # bytes kept between chunks: longer than any mark in any encoding
_ENTITIES = "the .docx file is damaged: its XML declares entities, which Word never writes"
_CONTENT_TYPES = "[Content_Types].xml"
_XML_TYPE = re.compile(rb'(?:Extension|PartName)="/?([^"]+)"\s+ContentType="[^"]*(?:/xml|\+xml)"', re.IGNORECASE)
_HTML_SUFFIXES = (".htm", ".html", ".mht", ".mhtml")  # altChunk pages: a web page's <!DOCTYPE html> is no entity
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARAGRAPH, _TEXT = _W + "p", _W + "t"
# Elements python-docx reads as one character each, as Word writes them (counted from the bytes).
_ONE_CHAR_TAGS = (b"<w:tab/", b"<w:tab ", b"<w:br/", b"<w:br ", b"<w:cr/", b"<w:cr ")
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
            xml_parts = _xml_parts(archive, {m.filename for m in members}) | {main}
            for member in members:
                _refuse_entities(archive, member, xml=member.filename in xml_parts)
            _scan_main_part(archive, archive.getinfo(main), limits)
        except InputError:  # a ValueError too: its own message must not become "cannot be read"
            raise
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


def _xml_parts(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Parts that are XML by name or by the content type ``[Content_Types].xml`` gives their name or extension."""
    parts = {name for name in names if name.lower().endswith((".xml", ".rels"))}
    if _CONTENT_TYPES in names and archive.getinfo(_CONTENT_TYPES).file_size < _CHUNK:
        declared = [m.decode("utf-8", "replace") for m in _XML_TYPE.findall(archive.read(_CONTENT_TYPES))]
        extensions = {"." + d.lower() for d in declared if "/" not in d and "." not in d}
        parts |= {name for name in names if name in declared or Path(name).suffix.lower() in extensions}
    return parts


def _refuse_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, xml: bool) -> None:
    """Refuse a part that declares a DTD or entities, in any encoding. A DOCTYPE may only stand
    before the root element, so a part that is XML (``xml``, or by its first bytes) is parsed up to
    its root element and no further; every part's first chunk is also searched for the marks."""
    if member.is_dir() or member.filename.lower().endswith(_HTML_SUFFIXES):
        return
    prolog, tail = None, b""
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in _ENTITY_MARKS):
                raise CorruptFile(_ENTITIES)
            if prolog is None:
                if not (xml or _looks_like_xml(chunk)):
                    return
                prolog = _XmlProlog()
            for start in range(0, len(chunk), _PROLOG_SLICE):  # small slices: stop soon after the root starts
                if prolog.declares_dtd(chunk[start : start + _PROLOG_SLICE]):
                    raise CorruptFile(_ENTITIES)
                if prolog.done:
                    return
            tail = window[-_MARK_TAIL:]


def _looks_like_xml(head: bytes) -> bool:
    """Whether a part's first bytes start an XML document in any encoding a parser detects."""
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        text = head[:64].decode(codec, "ignore").lstrip("\ufeff \t\r\n")
        if text.startswith("<"):
            return True
    return False


class _XmlProlog:
    """Parses a part until its root element starts, then says whether a DOCTYPE came before it.
    The parser resolves no entity, loads no DTD and reaches no network; a part that is not
    well-formed is left to the reader (python-docx refuses the parts it reads)."""

    def __init__(self):
        from lxml import etree

        self._parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True,
                                           load_dtd=False, huge_tree=False)
        self.done = False  # the root element has started (or the part is not well-formed)

    def declares_dtd(self, chunk: bytes) -> bool:
        """Feed the next chunk; whether the prolog, once complete, declared a DTD."""
        from lxml import etree

        try:
            self._parser.feed(chunk)
            for _, element in self._parser.read_events():
                self.done = True
                return bool(element.getroottree().docinfo.doctype)
        except etree.XMLSyntaxError:
            self.done = True
        return False


def _scan_main_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Stream the main part, refusing it at the first limit it passes, before python-docx builds a tree
    of it. Elements (runs, tabs, breaks and all) are counted from the bytes, as start tags, before each
    chunk is parsed, so even millions of empty runs cost no Python, and so are tabs and breaks; lxml
    counts paragraphs and, as each ends, the characters of its text elements, then drops it."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("end",), tag=_PARAGRAPH, resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False)
    elements = paragraphs = chars = 0
    with archive.open(member) as part:
        while chunk := part.read(_CHUNK):
            elements += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")
            if elements > limits.max_xml_elements:
                raise TooLarge(f"the .docx file's main part holds more than {limits.max_xml_elements:,} XML elements "
                               "(runs, tabs, breaks), over the limit")
            chars += sum(chunk.count(tag) for tag in _ONE_CHAR_TAGS)
            try:
                parser.feed(chunk)
                for _, paragraph in parser.read_events():
                    paragraphs += 1
                    chars += sum(map(len, paragraph.itertext(_TEXT)))
                    paragraph.clear()
                    while paragraph.getprevious() is not None:
                        del paragraph.getparent()[0]
            except etree.XMLSyntaxError:
                return  # python-docx reports the damage in its own words
            if paragraphs > limits.max_paragraphs:
                raise TooLarge(f"the document has more than {limits.max_paragraphs:,} paragraphs")
            if chars > limits.max_chars:
                raise TooLarge(f"the document holds more than {limits.max_chars:,} characters of text")


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
