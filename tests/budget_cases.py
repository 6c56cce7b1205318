"""Hostile files that are small on disk and costly to read, written by a seeded generator.

Each case is well inside every size limit and was, before the per-document budget, minutes of work
or gigabytes of memory (issue 20). ``tests/test_budgets.py`` asserts how each is refused;
``benchmarks/bench_hostile.py`` times the refusals. ``scale`` shrinks a case for a fast test while
keeping it over the limit it probes.
"""

from __future__ import annotations

import io
import random
import zipfile

SEED = 20
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="{main}"/></Relationships>'
)


def chinese_text(rng: random.Random, chars: int) -> str:
    """Random common CJK characters with a full stop every so often (not a report, but Chinese)."""
    out = []
    while len(out) < chars:
        out.extend(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(8, 30)))
        out.append("。")
    return "".join(out[:chars])


def docx_package(document_xml: bytes, *, main: str = "word/document.xml") -> bytes:
    """A minimal .docx whose main part (named ``main``) holds ``document_xml`` as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main=main))
        zf.writestr("_rels/.rels", _RELS.format(main=main))
        zf.writestr(main, document_xml)
    return buffer.getvalue()


def document_xml(body: str, *, declaration: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                 doctype: str = "") -> str:
    return f'{declaration}{doctype}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def docx_of_runs(run: str, count: int, *, seed: int = SEED) -> bytes:
    """One paragraph of Chinese text followed by ``count`` copies of ``run`` (an empty run, a one-
    character run, a tab, a break): megabytes of XML that deflate to kilobytes."""
    rng = random.Random(seed)
    opening = f"<w:p><w:r><w:t>{chinese_text(rng, 200)}</w:t></w:r></w:p>"
    return docx_package(document_xml(opening + "<w:p>" + run * count + "</w:p>").encode("utf-8"))


def docx_empty_runs(scale: float = 1.0) -> bytes:
    return docx_of_runs("<w:r/>", int(16_000_000 * scale))


def docx_one_char_runs(scale: float = 1.0) -> bytes:
    return docx_of_runs("<w:r><w:t>法</w:t></w:r>", int(4_000_000 * scale))


def docx_tabs(scale: float = 1.0) -> bytes:
    return docx_of_runs("<w:r><w:tab/></w:r>", int(5_000_000 * scale))


def docx_breaks(scale: float = 1.0) -> bytes:
    return docx_of_runs("<w:r><w:br/></w:r>", int(5_000_000 * scale))


_ENTITY_DOCTYPE = '<!DOCTYPE w:document [<!ENTITY xxe "被替换的文字">]>'


def docx_entity_utf16(scale: float = 1.0) -> bytes:
    """document.xml saved as UTF-16 that declares (and uses) an entity: no ASCII ``<!ENTITY`` anywhere."""
    rng = random.Random(SEED)
    body = f"<w:p><w:r><w:t>{chinese_text(rng, 200)}&xxe;</w:t></w:r></w:p>"
    xml = document_xml(body, declaration='<?xml version="1.0" encoding="UTF-16" standalone="yes"?>',
                       doctype=_ENTITY_DOCTYPE)
    return docx_package(xml.encode("utf-16"))


def docx_entity_odd_name(scale: float = 1.0) -> bytes:
    """The main part named word/document.bin through _rels and [Content_Types].xml, UTF-16 big-endian
    without a byte-order mark, declaring an entity."""
    rng = random.Random(SEED)
    body = f"<w:p><w:r><w:t>{chinese_text(rng, 200)}&xxe;</w:t></w:r></w:p>"
    xml = document_xml(body, declaration='<?xml version="1.0" encoding="UTF-16BE" standalone="yes"?>',
                       doctype=_ENTITY_DOCTYPE)
    return docx_package(xml.encode("utf-16-be"), main="word/document.bin")


def pdf_xref_loop(scale: float = 1.0) -> bytes:
    """A one-page PDF whose cross-reference table (``entries`` rows) names itself as ``/Prev``."""
    entries = max(1_000, int(200_000 * scale))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
    ]
    content = b"BT /F1 12 Tf 72 720 Td (report) Tj ET"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets.append(len(out))
    out += b"4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(content), content)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (entries + 1)
    rows = [b"%010d 00000 n \n" % offsets[i % len(offsets)] for i in range(entries)]
    out += b"".join(rows)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (entries + 1, xref, xref)
    return bytes(out)


# name → (generator, file suffix, what it probes)
CASES = {
    "pdf_xref_loop": (pdf_xref_loop, ".pdf", "xref /Prev pointing at itself, 200,000 entries"),
    "docx_empty_runs": (docx_empty_runs, ".docx", "16 M empty runs in document.xml"),
    "docx_one_char_runs": (docx_one_char_runs, ".docx", "4 M one-character runs"),
    "docx_tabs": (docx_tabs, ".docx", "5 M <w:tab/> runs"),
    "docx_breaks": (docx_breaks, ".docx", "5 M <w:br/> runs"),
    "docx_entity_utf16": (docx_entity_utf16, ".docx", "UTF-16 document.xml declaring an entity"),
    "docx_entity_odd_name": (docx_entity_odd_name, ".docx", "main part word/document.bin, UTF-16BE, an entity"),
}


def hostile_text(seed: int = SEED) -> str:
    """A plain-text report whose lines carry terminal escapes, a disguised link, C1 CSI, NUL, a
    right-to-left override, Rich markup and raw HTML: none of it may reach a terminal or a file raw."""
    rng = random.Random(seed)
    lines = [
        "某市司法局[/]关于[red]2021年度[/red]法治政府建设情况的报告<img src=x onerror=alert(1)>",
        "市人民政府:",
        "\x1b[2J\x1b[H一、依法全面履行政府职能",
        chinese_text(rng, 160) + "\x1b]8;;http://example.invalid/\x07点击此处\x1b]8;;\x07" + chinese_text(rng, 60),
        "二、完善依法行政制度体系",
        chinese_text(rng, 120) + "\x9b31m" + "<img src=x onerror=alert(1)>" + chinese_text(rng, 80) + "\x00",
        "三、推进严格规范公正文明执法",
        "=HYPERLINK(\"http://example.invalid\",\"点击\")" + chinese_text(rng, 150),
        "某市[/]司法\u202e局\u202c",
        "2021年12月30日",
    ]
    return "\n".join(lines) + "\n"


RAW_CONTROLS = ("\x1b", "\x9b", "\x00", "\u202e", "\u202c", "\x07")
