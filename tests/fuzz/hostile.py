"""Builders of hostile files: broken, bombed, mislabelled, huge or simply not reports.

Each builder returns the bytes of one file. They are deterministic (fixed seeds), cheap, and hand-roll
the container formats where a normal writer would refuse to produce the damage (zip bombs with
honest or lying sizes, PDFs with self-referencing objects, deflate streams with bad checksums).
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from functools import cache, lru_cache
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "corpora" / "real" / "000_1c9e8bbbf8b24faa.txt"
MB = 2**20


# --- the seed report in every format ------------------------------------------------------------


@lru_cache(maxsize=1)
def seed_paragraphs() -> tuple[str, ...]:
    return tuple(line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip())


def seed_text() -> str:
    return "\n".join(seed_paragraphs())


@cache
def seed_file(fmt: str) -> bytes:
    """The seed report as a clean .txt, .docx, .pdf or .html file: the base for damage. The same bytes
    in every run (no timestamps or random ids), so a fuzz seed always generates the same cases."""
    from builders import make_docx, make_html, make_pdf
    from reportlab import rl_config

    paragraphs = list(seed_paragraphs())
    if fmt == "txt":
        return seed_text().encode("utf-8")
    if fmt == "docx":
        return _without_timestamps(make_docx(paragraphs))
    if fmt == "pdf":
        invariant, rl_config.invariant = rl_config.invariant, 1  # fixed dates and document id
        try:
            return make_pdf(paragraphs[:14])
        finally:
            rl_config.invariant = invariant
    if fmt == "html":
        return make_html(paragraphs, title=paragraphs[0])
    raise ValueError(fmt)


def _without_timestamps(docx: bytes) -> bytes:
    """The package with fixed member dates and a fixed creation and modification time in its core properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(member.filename, date_time=(2020, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def random_bytes(size: int, *, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def truncated(data: bytes, fraction: float) -> bytes:
    return data[: max(1, int(len(data) * fraction))]


def flipped(data: bytes, *, seed: int, flips: int = 20) -> bytes:
    """``flips`` random bytes replaced, away from the first 8 (keep the magic so the parser is reached)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(8, len(out))] = rng.randrange(256)
    return bytes(out)


# --- deflate streams that inflate to a lot -------------------------------------------------------


def deflate_repeated(chunk: bytes, times: int, *, raw: bool) -> tuple[bytes, int, int]:
    """A deflate stream of ``chunk`` repeated ``times``, built without compressing it ``times`` times.

    After a full flush a deflate block does not refer back, so the flushed block can be repeated.
    Returns (stream, crc32, adler32) of the inflated content; zlib-wrapped unless ``raw``.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    head = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.flush(zlib.Z_FINISH)
    crc, adler = 0, 1
    for _ in range(times):
        crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    body = head + block * (times - 1) + tail
    if not raw:  # the trailer holds the checksum of what the packer saw (two chunks): put the real one
        body = body[:-4] + struct.pack(">I", adler)
    return body, crc, adler


# --- zip archives, hand-rolled so that sizes can lie ---------------------------------------------


class RawEntry:
    """A zip member given as already-compressed bytes with the sizes to declare."""

    def __init__(self, data: bytes, *, crc: int, size: int, method: int = zipfile.ZIP_DEFLATED, flags: int = 0):
        self.data, self.crc, self.size, self.method, self.flags = data, crc, size, method, flags


def _member(content: bytes | RawEntry) -> RawEntry:
    if isinstance(content, RawEntry):
        return content
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return RawEntry(packer.compress(content) + packer.flush(), crc=zlib.crc32(content), size=len(content))


def zip_archive(members: list[tuple[str, bytes | RawEntry]], *, aliases: int = 0) -> bytes:
    """A zip file; ``aliases`` extra central-directory entries all point at the last member's data
    (the overlapping-file zip bomb)."""
    out, directory = bytearray(), bytearray()
    count = 0
    offset = 0
    for name, content in members:
        entry = _member(content)
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, entry.flags, entry.method, 0, 0x21,
                           entry.crc, len(entry.data), entry.size, len(encoded), 0) + encoded + entry.data
        directory += _central(encoded, entry, offset)
        count += 1
    for i in range(aliases):
        directory += _central(f"word/media/alias{i}.bin".encode(), entry, offset)
        count += 1
    start = len(out)
    out += directory
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), start, 0)
    return bytes(out)


def _central(name: bytes, entry: RawEntry, offset: int) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, entry.flags, entry.method, 0, 0x21, entry.crc,
                       len(entry.data), entry.size, len(name), 0, 0, 0, 0, 0, offset) + name


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document_xml(paragraphs: list[str], *, prolog: bytes = b"") -> bytes:
    """A minimal WordprocessingML body; ``prolog`` goes between the XML declaration and the root."""
    from xml.sax.saxutils import escape

    body = b"".join(b"<w:p><w:r><w:t>" + escape(p).encode() + b"</w:t></w:r></w:p>" for p in paragraphs)
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + prolog
            + b"<w:document " + W_NS + b"><w:body>" + body + b"</w:body></w:document>")


def minimal_docx(document: bytes, *, extra: list[tuple[str, bytes | RawEntry]] = (),
                 main_part: str = "word/document.xml", content_types: bytes = CONTENT_TYPES,
                 rels: bytes = PACKAGE_RELS, aliases: int = 0) -> bytes:
    if main_part != "word/document.xml":
        rels = rels.replace(b"word/document.xml", main_part.encode())
        content_types = content_types.replace(b"/word/document.xml", b"/" + main_part.encode())
    members = [("[Content_Types].xml", content_types), ("_rels/.rels", rels), (main_part, document), *extra]
    return zip_archive(members, aliases=aliases)


def seed_docx_members() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(seed_file("docx"))) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def docx_replacing(name: str, content: bytes | RawEntry | None) -> bytes:
    """The seed .docx with one member replaced (or removed, for None)."""
    members = [(n, content if n == name else data) for n, data in seed_docx_members()]
    return zip_archive([(n, d) for n, d in members if d is not None])


def billion_laughs(levels: int = 10, fanout: int = 10) -> bytes:
    entities = [b'<!ENTITY lol0 "\xe5\x93\x88\xe5\x93\x88">']
    for i in range(1, levels):
        entities.append(b"<!ENTITY lol%d \"" % i + b"&lol%d;" % (i - 1) * fanout + b'">')
    return b"<!DOCTYPE w:document [" + b"".join(entities) + b"]>\n"


def zip_bomb_docx(*, inflated: int = 1024 * MB, part: str = "word/document.xml", lie: bool = False) -> bytes:
    """A .docx of about a megabyte whose one part inflates to ``inflated`` bytes of spaces.

    With ``lie`` the central directory declares 2 KB, so only reading would find out."""
    data, crc, _ = deflate_repeated(b" " * MB, inflated // MB, raw=True)
    bomb = RawEntry(data, crc=crc, size=2048 if lie else inflated)
    if part == "word/document.xml":
        return zip_archive([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS), (part, bomb)])
    return minimal_docx(document_xml(list(seed_paragraphs()[:5])), extra=[(part, bomb)])


def overlapping_zip_bomb() -> bytes:
    """Many central-directory entries sharing one 8 MB member: 4 GB declared from 10 KB."""
    data, crc, _ = deflate_repeated(b"\0" * MB, 8, raw=True)
    return minimal_docx(document_xml(list(seed_paragraphs()[:5])),
                        extra=[("word/media/image1.bin", RawEntry(data, crc=crc, size=8 * MB))], aliases=500)


# --- PDFs, hand-rolled ----------------------------------------------------------------------------


def stream(data: bytes, *, filters: bytes = b"", extra: bytes = b"") -> bytes:
    head = b"<< /Length %d" % len(data) + (b" /Filter " + filters if filters else b"") + extra + b" >>"
    return head + b"\nstream\n" + data + b"\nendstream"


def raw_pdf(objects: list[bytes], *, xref: bool = True, trailer: bytes = b"") -> bytes:
    """A PDF of the given objects (numbered from 1, object 1 the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def one_page_pdf(content: bytes | None = None, *, contents_ref: bytes = b"4 0 R", page_extra: bytes = b"",
                 extra_objects: list[bytes] = (), content_object: bytes | None = None) -> bytes:
    """Catalog, page tree, one page (Helvetica), its content stream, plus any extra objects (6, 7, …)."""
    content = content if content is not None else b"BT /F1 12 Tf 72 720 Td (Annual report) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " + contents_ref
        + b" /Resources << /Font << /F1 5 0 R >> >>" + page_extra + b" >>",
        content_object if content_object is not None else stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    return raw_pdf(objects)


def flate_bomb_pdf(*, inflated: int = 512 * MB, good_checksum: bool = True) -> bytes:
    data, _, _ = deflate_repeated(b" " * MB, inflated // MB, raw=False)
    if not good_checksum:
        data = data[:-4] + b"\0\0\0\0"
    return one_page_pdf(content_object=stream(data, filters=b"/FlateDecode"))


def corrupt_flate_pdf(size: int = 2 * MB) -> bytes:
    """A content stream of incompressible bytes whose deflate checksum is wrong (pdfminer's slow path)."""
    payload = zlib.compress(random_bytes(size, seed=11))
    return one_page_pdf(content_object=stream(payload[:-4] + b"\xde\xad\xbe\xef", filters=b"/FlateDecode"))


def lzw_encode(data_len: int, byte: int = 0x20) -> bytes:
    """LZW (PDF flavour) of ``data_len`` copies of one byte: a run compresses about 1000:1.

    On a run the k-th code stands for k bytes, and the decoder's table grows by one entry per code
    after the first; the code width follows the table size as the decoder sees it."""
    out, acc, bits = bytearray(), 0, 0

    def put(code: int, width: int) -> None:
        nonlocal acc, bits
        acc, bits = (acc << width) | code, bits + width
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
            acc &= (1 << bits) - 1

    put(256, 9)
    table, run, width, first, left = 258, 1, 9, True, data_len
    while left > 0:
        take = min(run, left)
        put(byte if take == 1 else 258 + take - 2, width)
        left -= take
        table += 0 if first else 1
        first, run = False, run + 1
        width = 9 if table < 511 else 10 if table < 1023 else 11 if table < 2047 else 12
        if table >= 4090 and left > 0:
            put(256, width)
            table, run, width, first = 258, 1, 9, True
    put(257, width)
    if bits:
        put(0, 8 - bits)
    return bytes(out)


def lzw_bomb_pdf(inflated: int = 256 * MB) -> bytes:
    return one_page_pdf(content_object=stream(lzw_encode(inflated), filters=b"/LZWDecode"))


def cyclic_pdfs() -> dict[str, bytes]:
    """PDFs whose references loop: an object that is a reference to itself, a two-object loop, a page
    tree that is its own kid, a form XObject that draws itself."""
    return {
        "self_reference": one_page_pdf(contents_ref=b"6 0 R", extra_objects=[b"6 0 R"]),
        "reference_loop": one_page_pdf(contents_ref=b"6 0 R", extra_objects=[b"7 0 R", b"6 0 R"]),
        "page_tree_loop": raw_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream(b"BT ET"),
        ]),
        "xobject_draws_itself": one_page_pdf(
            b"/X1 Do", page_extra=b" /XObject << /X1 6 0 R >>",
            extra_objects=[stream(b"/X1 Do BT /F1 12 Tf (loop) Tj ET",
                                  extra=b" /Type /XObject /Subtype /Form /BBox [0 0 100 100]"
                                        b" /Resources << /XObject << /X1 6 0 R >> >>")],
        ),
        "deep_array": one_page_pdf(b"[" * 200_000 + b"]" * 200_000),
        "deep_dict_object": one_page_pdf(page_extra=b" /Deep 6 0 R", extra_objects=[b"<< /A " * 50_000 + b">>" * 50_000]),
        "zero_pages": raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "no_catalog": raw_pdf([b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "huge_count": raw_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream(b"BT ET"),
        ]),
        "unknown_filter": one_page_pdf(content_object=stream(b"junk", filters=b"/NoSuchDecode")),
        "crypt_filter": one_page_pdf(content_object=stream(b"junk", filters=b"/Crypt")),
        "unknown_encryption": raw_pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>",
             b"<< /Filter /NoSuchHandler /V 9 /R 9 /O (x) /U (y) /P -4 >>"],
            trailer=b"/Encrypt 3 0 R /ID [(a) (a)] "),
        "javascript_and_links": one_page_pdf(
            page_extra=b" /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9]"
                       b" /A << /S /URI /URI (http://203.0.113.1/beacon) >> >>]",
            extra_objects=[b"<< /S /JavaScript /JS (app.launchURL('http://203.0.113.1/');) >>"]),
        "english_text": one_page_pdf(b"BT /F1 12 Tf 72 720 Td (Annual report on law-based government) Tj ET"),
    }


def pdf_broken_xref(data: bytes) -> bytes:
    """Every xref offset replaced by garbage: readers must rebuild the table by scanning."""
    head, sep, tail = data.rpartition(b"xref\n")
    lines = tail.split(b"\n")
    mangled = [b"%010d 00000 n " % (7 * i + 3) if line.endswith(b" n ") else line for i, line in enumerate(lines)]
    return head + sep + b"\n".join(mangled)


def pdf_without_xref(data: bytes) -> bytes:
    start = data.rfind(b"xref\n")
    end = data.rfind(b"trailer")
    return data[:start] + data[end:]


def pdf_startxref_past_end(data: bytes) -> bytes:
    head, _, _ = data.rpartition(b"startxref")
    return head + b"startxref\n99999999\n%%EOF\n"


def pdf_with_pages(pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for _ in range(pages):
        page.showPage()
    page.save()
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    """A page carrying only a picture of text: what a scanner produces."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(picture)
    for row in range(40):
        draw.line((40, 20 + row * 19, 560, 20 + row * 19), fill="black", width=3)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawImage(ImageReader(picture), 0, 0, 595, 842)
    page.showPage()
    page.save()
    return buffer.getvalue()


def encrypted_pdf(algorithm: str, *, user_password: str = "") -> bytes:
    """The seed PDF encrypted by pypdf; with an empty user password anyone may open it (only the
    owner's permissions are protected), so it must be read, not refused."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(seed_file("pdf"))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def long_text_page_pdf(chars: int) -> bytes:
    """One page whose content stream shows ``chars`` characters in a single TJ string (compressed)."""
    content = b"BT /F1 1 Tf 10 10 Td (" + b"x" * chars + b") Tj ET"
    return one_page_pdf(content_object=stream(zlib.compress(content, 9), filters=b"/FlateDecode"))


# --- HTML -----------------------------------------------------------------------------------------


def html_page(body: str, *, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def article(paragraphs=None) -> str:
    return "".join(f"<p>{p}</p>" for p in (paragraphs or seed_paragraphs()))


HIDDEN = "隐藏的脚本文字不应出现"


def html_with_active_content() -> bytes:
    hidden = HIDDEN
    parts = [
        f"<script>document.write('<p>{hidden}</p>')</script>",
        f'<iframe src="http://203.0.113.1/"><p>{hidden}</p></iframe>',
        f'<iframe srcdoc="&lt;p&gt;{hidden}&lt;/p&gt;"></iframe>',
        f"<noscript><p>{hidden}</p></noscript>",
        f"<template><p>{hidden}</p></template>",
        f"<style>p::before {{ content: '{hidden}' }}</style>",
        f'<object data="http://203.0.113.1/x.swf"><p>{hidden}</p></object>',
        f"<svg><text>{hidden}</text></svg>",
        '<img src="http://203.0.113.1/pixel.gif" onerror="alert(1)">',
        '<link rel="stylesheet" href="http://203.0.113.1/s.css"><meta http-equiv="refresh" content="0;url=http://203.0.113.1/">',
    ]
    return html_page(article() + "".join(parts) + f"<script>{'var a=1;' * 1000}</script>").encode()


def nested_html(tag: str, *, total: int = 10 * MB) -> bytes:
    """``total`` bytes of ``<tag>`` opened inside one another, the seed text at the bottom."""
    text = article()
    opening = f"<{tag}>"
    depth = max(1, (total - len(text.encode())) // (2 * len(opening) + 1))
    return html_page(opening * depth + text + f"</{tag}>" * depth).encode()


def misnested_formatting_html(depth: int = 200_000) -> bytes:
    return html_page("<b><i><u>" * depth + "<p>" + article() + "</b></i></u>" * depth).encode()


def html_charset(declared: str, data_encoding: str, paragraphs=None) -> bytes:
    page = html_page(article(paragraphs), head=f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">')
    return page.encode(data_encoding)


# --- text -----------------------------------------------------------------------------------------


def mixed_traditional_simplified() -> bytes:
    import opencc

    paragraphs = list(seed_paragraphs())
    converter = opencc.OpenCC("s2t")
    mixed = [converter.convert(p) if i % 2 else p for i, p in enumerate(paragraphs)]
    return "\n".join(mixed).encode("utf-8")


def repeated_to_size(unit: str, size: int, *, sep: str = "") -> bytes:
    piece = (unit + sep).encode("utf-8")
    return piece * (size // len(piece) + 1)


def run_length_pdf(size: int = 2 * MB) -> bytes:
    """A content stream in RunLengthDecode literal runs (pdfminer decodes those quadratically)."""
    run = bytes([127]) + b" " * 128
    return one_page_pdf(content_object=stream(run * (size // 128) + bytes([128]), filters=b"/RunLengthDecode"))


def drawing_ops_pdf(size: int = 15 * MB) -> bytes:
    """One page of ``size`` bytes of uncompressed path operators: legitimate syntax, a lot of it."""
    ops = b"10 10 m 20 20 l S\n"
    return one_page_pdf(ops * (size // len(ops)))


def predictor_pdf(inflated: int = 64 * MB) -> bytes:
    """A content stream with a PNG predictor over many megabytes (predictors are undone byte by byte)."""
    data, _, _ = deflate_repeated(b"\0" * MB, inflated // MB, raw=False)
    return one_page_pdf(content_object=stream(
        data, filters=b"/FlateDecode", extra=b" /DecodeParms << /Predictor 12 /Columns 1000 >>"))
