"""Hand-made hostile cases: each ends in a result or its one documented error, within the bounds.

Every case runs in the bounded worker (see ``harness``). Where the right answer is clear the case
names it (a zip bomb is ``too_large``, a GBK file mislabelled as UTF-8 is read correctly); families
of blind damage (random bytes, truncations, flipped bytes) accept any documented outcome but never a
crash, a hang or a memory blow-up.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import hostile as h
import pytest
from harness import ANY_OUTCOME, CASE_SECONDS, DOCUMENTED

from analyzer.ingest.normalize import clean_paragraph

RESULT = frozenset({"result"})


def _one(*kinds: str) -> frozenset[str]:
    return frozenset(kinds)


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    build: Callable[[], bytes]
    expect: frozenset[str]
    via: str = "bytes"  # or "file": the path is handed over, so the size check runs before reading
    check: Callable[[dict], None] | None = None  # more to verify about a result
    limits: tuple[tuple[str, int], ...] = ()  # overrides: a small limit proves its mechanism quickly


# --- checks on results -----------------------------------------------------------------------------


def contains(*needles: str) -> Callable[[dict], None]:
    def check(reply: dict) -> None:
        for needle in needles:
            assert needle in reply["text"], f"{needle!r} is missing from the analysed text"

    return check


def lacks(*needles: str) -> Callable[[dict], None]:
    def check(reply: dict) -> None:
        for needle in needles:
            assert needle not in reply["text"], f"{needle!r} leaked into the analysed text"

    return check


def both(*checks: Callable[[dict], None]) -> Callable[[dict], None]:
    def check(reply: dict) -> None:
        for one in checks:
            one(reply)

    return check


def seed_read() -> Callable[[dict], None]:
    """Every seed paragraph arrives intact (after the documented normalisation)."""

    def check(reply: dict) -> None:
        got = set(reply["text"].split("\n"))
        missing = [p for p in map(clean_paragraph, h.seed_paragraphs()) if p not in got]
        assert not missing, f"{len(missing)} seed paragraphs garbled, e.g. {missing[0]!r}"

    return check


def converted() -> Callable[[dict], None]:
    def check(reply: dict) -> None:
        assert reply["converted_traditional"]

    return check


SEED_TEXT = h.seed_text()
# Any 12 characters of the seed, as they would appear in a message that quotes the report.
SEED_WINDOWS = frozenset(SEED_TEXT.replace("\n", "")[i : i + 12] for i in range(len(SEED_TEXT) - 12))
FIRST = clean_paragraph(h.seed_paragraphs()[0])
LAST = clean_paragraph(h.seed_paragraphs()[-1])
ENGLISH = ("The municipal government reports on the construction of a law-based government in 2017. "
           "It improved administrative law enforcement and reviewed 12 normative documents.\n") * 40
JAPANESE = ("市政府は二〇一七年に法治政府の建設を推進しました。行政手続の公開と執行の監督を強化し、"
            "規範性文書の審査を実施しました。\n") * 30
KOREAN = "시정부는 2017년에 법치정부 건설을 추진하였습니다. 행정 집행을 강화하였습니다.\n" * 40


def _cases() -> list[Case]:
    cases: list[Case] = []
    add = cases.append
    extensions = (".txt", ".text", ".docx", ".pdf", ".html", ".htm")

    # random bytes under every extension, and with each format's magic in front
    for size in (1, 7, 512, 65536):
        for ext in extensions:
            add(Case(f"random-{size}{ext}", f"r{ext}", lambda s=size, e=ext: h.random_bytes(s, seed=s + len(e)),
                     DOCUMENTED))
    for magic, ext in ((b"PK\x03\x04", ".docx"), (b"%PDF-1.7\n", ".pdf"), (b"<html><body>", ".html"),
                       (b"\xef\xbb\xbf", ".txt"), (b"\xff\xfe", ".txt"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".docx")):
        add(Case(f"magic-random-{ext}-{magic[:4].hex()}", f"m{ext}",
                 lambda m=magic: m + h.random_bytes(20000, seed=len(m)), DOCUMENTED))

    # one format dressed as another
    real = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf", "html": ".html"}
    confusion = {
        ("docx", ".pdf"): _one("corrupt_file"), ("docx", ".txt"): _one("corrupt_file"), ("docx", ".html"): _one("corrupt_file"),
        ("pdf", ".docx"): _one("corrupt_file"), ("pdf", ".txt"): _one("corrupt_file"), ("pdf", ".html"): _one("corrupt_file"),
        ("html", ".txt"): RESULT, ("html", ".pdf"): _one("corrupt_file"), ("html", ".docx"): _one("corrupt_file"),
        ("txt", ".pdf"): _one("corrupt_file"), ("txt", ".docx"): _one("corrupt_file"), ("txt", ".html"): RESULT,
    }
    for (fmt, ext), expect in confusion.items():
        add(Case(f"{fmt}-named{ext}", f"report{ext}", lambda f=fmt: h.seed_file(f), expect))
    for fmt, ext in real.items():
        add(Case(f"clean-{fmt}", f"seed{ext}", lambda f=fmt: h.seed_file(f), RESULT, check=contains(FIRST)))

    # truncated files
    for fraction in (0.05, 0.2, 0.5, 0.9, 0.999):
        add(Case(f"txt-truncated-{fraction}", "t.txt", lambda f=fraction: h.truncated(h.seed_file("txt"), f), RESULT,
                 check=contains(FIRST[:8])))
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        add(Case(f"docx-truncated-{fraction}", "t.docx", lambda f=fraction: h.truncated(h.seed_file("docx"), f),
                 _one("corrupt_file")))
        add(Case(f"pdf-truncated-{fraction}", "t.pdf", lambda f=fraction: h.truncated(h.seed_file("pdf"), f),
                 _one("result", "corrupt_file", "no_text_layer")))
    for fraction in (0.3, 0.5, 0.7, 0.9):
        add(Case(f"html-truncated-{fraction}", "t.html", lambda f=fraction: h.truncated(h.seed_file("html"), f),
                 RESULT, check=contains(FIRST)))
    add(Case("utf8-cut-mid-character", "cut.txt", lambda: SEED_TEXT.encode("utf-8")[:-1], RESULT,
             check=contains(FIRST)))
    add(Case("utf16-bom-cut-mid-unit", "cut.txt", lambda: SEED_TEXT.encode("utf-16")[:-1], RESULT,
             check=contains(FIRST)))

    # flipped bytes
    for seed in range(6):
        add(Case(f"txt-flipped-{seed}", "f.txt", lambda s=seed: h.flipped(h.seed_file("txt"), seed=s), RESULT))
        add(Case(f"html-flipped-{seed}", "f.html", lambda s=seed: h.flipped(h.seed_file("html"), seed=s), RESULT))
        add(Case(f"docx-flipped-{seed}", "f.docx", lambda s=seed: h.flipped(h.seed_file("docx"), seed=s),
                 _one("result", "corrupt_file")))
        add(Case(f"pdf-flipped-{seed}", "f.pdf", lambda s=seed: h.flipped(h.seed_file("pdf"), seed=s), ANY_OUTCOME))

    cases += _text_cases() + _docx_cases() + _pdf_cases() + _html_cases() + _name_cases()
    return cases


def _text_cases() -> list[Case]:
    gbk = SEED_TEXT.encode("gbk")
    return [
        Case("empty", "e.txt", lambda: b"", _one("empty")),
        Case("whitespace-only", "w.txt", lambda: b" \r\n\t\x0c\n" * 100, _one("empty")),
        Case("bom-only", "b.txt", lambda: codecs.BOM_UTF8, _one("empty")),
        Case("nul-bytes", "n.txt", lambda: b"\0" * 4096, _one("corrupt_file")),
        Case("ff-bytes", "ff.txt", lambda: b"\xff" * 4096, _one("corrupt_file", "undecodable_text", "not_chinese", "empty")),
        Case("control-characters", "c.txt", lambda: bytes(range(32)) * 200, _one("corrupt_file")),
        Case("gbk", "gbk.txt", lambda: gbk, RESULT, check=seed_read()),
        Case("gbk-mislabelled-utf8-bom", "gbk.txt", lambda: codecs.BOM_UTF8 + gbk, RESULT, check=seed_read()),
        Case("gbk-short", "gbk.txt", lambda: "\n".join(h.seed_paragraphs()[:3]).encode("gbk"), RESULT,
             check=contains(FIRST)),
        Case("gb18030-four-byte", "gb.txt", lambda: (SEED_TEXT + "\n生僻字𠀀𪚥𰻝。").encode("gb18030"), RESULT,
             check=contains("𠀀𪚥")),
        Case("big5-traditional", "big5.txt", lambda: _traditional().encode("big5", "ignore"), RESULT,
             check=converted()),
        Case("utf16-le-no-bom", "u.txt", lambda: SEED_TEXT.encode("utf-16-le"), RESULT, check=seed_read()),
        Case("utf16-be-no-bom", "u.txt", lambda: SEED_TEXT.encode("utf-16-be"), RESULT, check=seed_read()),
        Case("utf16-le-no-bom-odd", "u.txt", lambda: SEED_TEXT.encode("utf-16-le")[:-1], RESULT, check=contains(FIRST)),
        Case("utf16-bom", "u.txt", lambda: SEED_TEXT.encode("utf-16"), RESULT, check=seed_read()),
        Case("utf32-no-bom", "u.txt", lambda: SEED_TEXT.encode("utf-32-le"), RESULT, check=seed_read()),
        Case("utf32-bom", "u.txt", lambda: SEED_TEXT.encode("utf-32"), RESULT, check=seed_read()),
        Case("mixed-traditional-simplified", "mix.txt", h.mixed_traditional_simplified, RESULT,
             check=both(converted(), seed_read())),
        Case("fifty-mb-path", "big.txt", lambda: h.repeated_to_size(SEED_TEXT, 50 * h.MB), _one("too_large"),
             via="file"),
        Case("fifty-mb-bytes", "big.txt", lambda: h.repeated_to_size(SEED_TEXT, 50 * h.MB), _one("too_large")),
        Case("five-mb-line-chinese", "line.txt", lambda: h.repeated_to_size(SEED_TEXT.replace("\n", ""), 5 * h.MB),
             _one("too_large")),
        Case("five-mb-line-no-stops", "line.txt", lambda: h.repeated_to_size("依法行政推进法治政府建设", 5 * h.MB),
             _one("too_large")),
        Case("long-line-within-limits", "line.txt",
             lambda: h.repeated_to_size(SEED_TEXT.replace("\n", ""), 120_000), RESULT),
        Case("five-mb-line-ascii", "line.txt", lambda: h.repeated_to_size("law-based government ", 5 * h.MB),
             _one("too_large")),
        Case("only-punctuation", "p.txt", lambda: h.repeated_to_size("，。、;:!?《》“”()【】…—", 20000, sep="\n"),
             _one("not_chinese")),
        Case("only-numbers", "n.txt", lambda: h.repeated_to_size("2017 12.5% 1,234 ２０１８", 20000, sep="\n"),
             _one("not_chinese")),
        Case("english-report", "en.txt", lambda: ENGLISH.encode(), _one("not_chinese")),
        Case("japanese-report", "ja.txt", lambda: JAPANESE.encode(), _one("not_chinese")),
        Case("korean-report", "ko.txt", lambda: KOREAN.encode(), _one("not_chinese")),
        Case("chinese-numerals-only", "cn.txt", lambda: h.repeated_to_size("一二三四五六七八九十", 3000, sep="\n"),
             RESULT),
        Case("sprinkled-controls", "c.txt", lambda: _sprinkle("\x07\x1b", every=400).encode(), RESULT,
             check=contains(FIRST[:6])),
        Case("zero-width-and-bidi", "z.txt",
             lambda: _sprinkle("\u200b\u202e\u2066\ufeff\u00ad", every=50).encode(), RESULT,
             check=lacks("\u200b", "\ufeff")),
        Case("emoji-and-astral", "e.txt", lambda: _sprinkle("😀𝕏🀄", every=60).encode(), RESULT),
        Case("encoded-surrogates-and-overlongs", "s.txt",
             lambda: SEED_TEXT.encode().replace("。".encode(), "。".encode() + b"\xed\xa0\x80\xc0\xaf", 3), RESULT,
             check=contains(FIRST)),
        Case("thirty-thousand-lines", "l.txt", lambda: "第一条 依法行政。\n".encode() * 30000, _one("too_large")),
        Case("thousand-headings", "hd.txt", _many_headings, RESULT),
        Case("paragraph-without-stops", "np.txt", lambda: ("依法行政" * 30000).encode(), RESULT),
        Case("odd-line-breaks", "lb.txt", lambda: SEED_TEXT.replace("\n", "\r").encode(), RESULT, check=seed_read()),
        Case("unicode-line-separators", "ls.txt", lambda: SEED_TEXT.replace("\n", "\u2028\x0c\x1c").encode(), RESULT,
             check=seed_read()),
        Case("utf8-and-gbk-paragraphs", "mixed.txt", _mixed_encodings, ANY_OUTCOME),
        Case("pasted-lone-surrogates", "pasted", lambda: (SEED_TEXT + "\ud800尾\udfff。").encode("utf-8", "surrogatepass"),
             RESULT, via="text", check=contains("\ufffd尾\ufffd。")),
        Case("pasted-seed", "pasted", lambda: SEED_TEXT.encode(), RESULT, via="text", check=seed_read()),
    ]


def _many_headings() -> bytes:
    """1,000 distinct numbered headings, each over a short paragraph: a long outline, all within limits."""
    import random

    rng = random.Random(3)
    words = "依法 行政 决策 执法 监督 复议 应诉 普法 审批 清单 公开 规范 文件 队伍 考核".split()
    lines = []
    for i in range(1000):
        marker = f"({'一二三四五六七八九十'[i % 10]})" if i % 3 else f"{i % 99 + 1}."
        lines += [marker + "加强" + "".join(rng.sample(words, 3)) + "工作", "全年办理相关事项若干件。"]
    return "\n".join(lines).encode()


def _traditional() -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(SEED_TEXT)


def _sprinkle(junk: str, *, every: int) -> str:
    return "".join(ch + (junk if i % every == every - 1 else "") for i, ch in enumerate(SEED_TEXT))


def _mixed_encodings() -> bytes:
    return b"\n".join(p.encode("utf-8" if i % 2 else "gbk") for i, p in enumerate(h.seed_paragraphs()))


def _docx_cases() -> list[Case]:
    paragraphs = list(h.seed_paragraphs())
    good = h.document_xml(paragraphs)
    laughs = h.billion_laughs()
    xxe = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    deep = (b'<?xml version="1.0"?><w:document ' + h.W_NS + b"><w:body>" + b"<w:sdt>" * 500_000
            + b"</w:sdt>" * 500_000 + b"</w:body></w:document>")
    encrypted_member = h.RawEntry(b"\0" * 64, crc=0, size=64, flags=1)
    bzip2_member = _bzip2_member(good)
    return [
        Case("docx-not-a-zip", "d.docx", lambda: b"PK this is not a zip", _one("corrupt_file")),
        Case("docx-missing-document-xml", "d.docx", lambda: h.docx_replacing("word/document.xml", None),
             _one("corrupt_file")),
        Case("docx-missing-content-types", "d.docx", lambda: h.docx_replacing("[Content_Types].xml", None),
             _one("corrupt_file")),
        Case("docx-main-part-renamed", "d.docx", lambda: h.minimal_docx(good, main_part="word/document2.xml"), RESULT,
             check=seed_read()),
        Case("docx-minimal", "d.docx", lambda: h.minimal_docx(good), RESULT, check=seed_read()),
        Case("docx-malformed-xml", "d.docx", lambda: h.minimal_docx(good[:-40]), _one("corrupt_file")),
        Case("docx-empty-body", "d.docx", lambda: h.minimal_docx(h.document_xml([])), _one("empty")),
        Case("docx-english", "d.docx", lambda: h.minimal_docx(h.document_xml(ENGLISH.splitlines())),
             _one("not_chinese")),
        Case("docx-billion-laughs", "d.docx", lambda: h.minimal_docx(h.document_xml(["&lol9;"], prolog=laughs)),
             _one("corrupt_file")),
        Case("docx-billion-laughs-late", "d.docx",
             lambda: h.minimal_docx(h.document_xml(paragraphs, prolog=b"<!--" + b"x" * 20000 + b"-->" + laughs)),
             _one("corrupt_file")),
        Case("docx-billion-laughs-in-styles", "d.docx",
             lambda: h.minimal_docx(good, extra=[("word/styles.xml", b'<?xml version="1.0"?>' + laughs
                                                  + b"<w:styles " + h.W_NS + b">&lol9;</w:styles>")]),
             _one("corrupt_file")),
        Case("docx-xxe", "d.docx", lambda: h.minimal_docx(h.document_xml(["&xxe;", *paragraphs], prolog=xxe)),
             _one("corrupt_file")),
        Case("docx-xxe-in-content-types", "d.docx",
             lambda: h.minimal_docx(good, content_types=xxe.replace(b"w:document", b"Types") + h.CONTENT_TYPES),
             _one("corrupt_file")),
        Case("docx-zip-bomb", "bomb.docx", h.zip_bomb_docx, _one("too_large")),
        Case("docx-zip-bomb-in-media", "bomb.docx", lambda: h.zip_bomb_docx(part="word/media/image1.png"),
             _one("too_large")),
        Case("docx-zip-bomb-lying-size", "bomb.docx", lambda: h.zip_bomb_docx(lie=True), _one("corrupt_file")),
        Case("docx-overlapping-zip-bomb", "bomb.docx", h.overlapping_zip_bomb, _one("too_large")),
        Case("docx-encrypted-member", "d.docx", lambda: h.minimal_docx(good, extra=[("word/x.bin", encrypted_member)]),
             _one("encrypted")),
        Case("docx-encrypted-main-part", "d.docx",
             lambda: h.zip_archive([("[Content_Types].xml", h.CONTENT_TYPES), ("_rels/.rels", h.PACKAGE_RELS),
                                    ("word/document.xml", encrypted_member)]), _one("encrypted")),
        Case("docx-bzip2-member", "d.docx",
             lambda: h.zip_archive([("[Content_Types].xml", h.CONTENT_TYPES), ("_rels/.rels", h.PACKAGE_RELS),
                                    ("word/document.xml", bzip2_member)]), _one("corrupt_file")),
        Case("docx-unknown-compression", "d.docx",
             lambda: h.minimal_docx(good, extra=[("word/x.bin", h.RawEntry(b"abc", crc=0, size=3, method=99))]),
             _one("corrupt_file")),
        Case("docx-ole-container", "d.docx", lambda: h.flipped(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, seed=1),
             _one("encrypted")),
        Case("docx-deep-xml", "d.docx", lambda: h.minimal_docx(deep), _one("corrupt_file")),
        Case("docx-huge-run", "d.docx", lambda: h.minimal_docx(h.document_xml(["依法行政" * 700_000])),
             _one("too_large")),
        Case("docx-thirty-thousand-paragraphs", "d.docx",
             lambda: h.minimal_docx(h.document_xml(["第一条 依法行政。"] * 30000)), _one("too_large")),
        Case("docx-many-members", "d.docx",
             lambda: h.minimal_docx(good, extra=[(f"customXml/item{i}.xml", b"<a/>") for i in range(3000)]), RESULT),
        Case("docx-traversal-names", "d.docx",
             lambda: h.minimal_docx(good, extra=[("../../etc/evil.xml", b"<a/>"), ("/abs/evil.xml", b"<a/>")]),
             RESULT),
        Case("docx-duplicate-main-part", "d.docx",
             lambda: h.minimal_docx(good, extra=[("word/document.xml", h.document_xml(["重复的部分"]))]),
             _one("corrupt_file")),
        Case("docx-table", "d.docx", _docx_with_table, RESULT, check=contains("复议案件 | 12件")),
    ]


def _bzip2_member(data: bytes) -> h.RawEntry:
    import bz2
    import zlib

    return h.RawEntry(bz2.compress(data), crc=zlib.crc32(data), size=len(data), method=zipfile.ZIP_BZIP2)


def _docx_with_table() -> bytes:
    from builders import make_docx

    rows = [["指标", "数值"], ["复议案件", "12件"]] + [[f"第{i}项", f"{i}件"] for i in range(60)]
    return make_docx(list(h.seed_paragraphs()), table_rows=rows)


def _pdf_cases() -> list[Case]:
    from builders import make_blank_pdf, make_pdf

    cases = [
        Case("pdf-broken-xref", "x.pdf", lambda: h.pdf_broken_xref(h.seed_file("pdf")), RESULT, check=contains(FIRST)),
        Case("pdf-no-xref", "x.pdf", lambda: h.pdf_without_xref(h.seed_file("pdf")), RESULT, check=contains(FIRST)),
        Case("pdf-startxref-past-end", "x.pdf", lambda: h.pdf_startxref_past_end(h.seed_file("pdf")), RESULT,
             check=contains(FIRST)),
        Case("pdf-encrypted", "e.pdf", lambda: make_pdf(list(h.seed_paragraphs()[:5]), encrypt_password="secret"),
             _one("encrypted")),
        *[Case(f"pdf-owner-password-only-{alg}", "o.pdf", lambda a=alg: h.encrypted_pdf(a), RESULT,
               check=contains(FIRST)) for alg in ("RC4-40", "RC4-128", "AES-128", "AES-256")],
        *[Case(f"pdf-user-password-{alg}", "u.pdf", lambda a=alg: h.encrypted_pdf(a, user_password="secret"),
               _one("encrypted")) for alg in ("RC4-128", "AES-256")],
        Case("pdf-image-only", "scan.pdf", h.image_only_pdf, _one("no_text_layer")),
        Case("pdf-blank-pages", "blank.pdf", lambda: make_blank_pdf(3), _one("no_text_layer")),
        Case("pdf-600-pages", "long.pdf", lambda: h.pdf_with_pages(600), _one("too_large")),
        Case("pdf-flate-bomb", "bomb.pdf", h.flate_bomb_pdf, _one("too_large")),
        Case("pdf-flate-bomb-bad-checksum", "bomb.pdf", lambda: h.flate_bomb_pdf(good_checksum=False),
             _one("too_large")),
        Case("pdf-corrupt-deflate", "c.pdf", h.corrupt_flate_pdf, _one("no_text_layer", "corrupt_file")),
        Case("pdf-lzw-bomb", "bomb.pdf", h.lzw_bomb_pdf, _one("too_large")),
        Case("pdf-run-length-stream", "rl.pdf", h.run_length_pdf, _one("no_text_layer")),
        Case("pdf-fifteen-mb-of-drawing", "draw.pdf", h.drawing_ops_pdf, _one("too_large")),
        Case("pdf-png-predictor-64mb", "pred.pdf", h.predictor_pdf, _one("too_large")),
        Case("pdf-three-million-characters", "big.pdf", lambda: h.long_text_page_pdf(3_000_000), _one("too_large"),
             limits=(("max_chars", 50_000),)),
        Case("pdf-one-page-of-drawing", "draw.pdf", lambda: h.drawing_ops_pdf(200_000), _one("no_text_layer")),
        Case("pdf-text-file", "t.pdf", lambda: SEED_TEXT.encode(), _one("corrupt_file")),
        Case("pdf-no-character-map", "cid.pdf", _cid_font_pdf, _one("no_text_layer")),
    ]
    expectations = {
        "zero_pages": _one("corrupt_file"), "no_catalog": _one("corrupt_file"), "english_text": _one("not_chinese"),
        "javascript_and_links": _one("not_chinese"), "unknown_encryption": _one("encrypted"),
    }
    for name, data in h.cyclic_pdfs().items():
        cases.append(Case(f"pdf-{name}", "c.pdf", lambda d=data: d,
                          expectations.get(name, _one("no_text_layer", "corrupt_file", "not_chinese"))))
    return cases


def _cid_font_pdf() -> bytes:
    """Chinese glyph codes in an Identity-H font without a ToUnicode map: text that cannot be read back."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>")
    descendant = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun"
                  b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    codes = b"".join(b"<%04x>" % (3000 + i) for i in range(400))
    content = b"BT /F1 12 Tf 72 720 Td [" + codes + b"] TJ ET"
    data = h.one_page_pdf(content, extra_objects=[descendant])
    return data.replace(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", font)


def _html_cases() -> list[Case]:
    return [
        Case("html-active-content", "a.html", h.html_with_active_content, RESULT,
             check=both(lacks(h.HIDDEN, "alert"), contains(FIRST, LAST))),
        Case("htm-active-content", "a.htm", h.html_with_active_content, RESULT, check=lacks(h.HIDDEN)),
        Case("html-escaped-markup-is-text", "e.html",
             lambda: h.html_page(h.article(["报告中引用&lt;script&gt;alert(1)&lt;/script&gt;作为示例文字。",
                                            *h.seed_paragraphs()])).encode(),
             RESULT, check=contains("<script>alert(1)</script>")),
        Case("html-nested-div-10mb", "n.html", lambda: h.nested_html("div"), _one("result", "too_large")),
        Case("html-nested-span-10mb", "n.html", lambda: h.nested_html("span"), _one("result", "too_large")),
        Case("html-nested-table-10mb", "n.html", lambda: h.nested_html("table><tr><td"), _one("result", "too_large")),
        Case("html-nested-list-10mb", "n.html", lambda: h.nested_html("ul><li"), _one("result", "too_large")),
        Case("html-nested-blockquote-10mb", "n.html", lambda: h.nested_html("blockquote"),
             _one("result", "too_large")),
        Case("html-nested-font-unclosed", "n.html",
             lambda: h.html_page('<font size="3">' * 300_000 + h.article()).encode(), _one("result", "too_large")),
        Case("html-misnested-formatting", "n.html", h.misnested_formatting_html, _one("result", "too_large")),
        Case("html-moderately-deep", "n.html", lambda: h.nested_html("div", total=4000), RESULT, check=seed_read()),
        Case("html-deep-within-limit", "n.html", lambda: h.nested_html("div", total=3900 * 11 + 8000), RESULT,
             check=seed_read()),
        Case("html-unclosed-comment", "c.html", lambda: h.html_page("<!--" + h.article()).encode(), _one("empty")),
        Case("html-huge-attribute", "a.html",
             lambda: h.html_page(f'<div title="{"x" * 5_000_000}">' + h.article() + "</div>").encode(), RESULT,
             check=contains(FIRST)),
        Case("html-many-entities", "e.html", lambda: h.html_page("<p>" + "&#x4e00;" * 30_000 + "</p>").encode(),
             RESULT),
        Case("html-bad-entities", "e.html",
             lambda: h.html_page(h.article() + "<p>&#99999999;&#0;&#xD800;&#x110000;&bogus;&amp</p>").encode(),
             RESULT, check=contains(LAST)),
        Case("html-billion-laughs-doctype", "l.html",
             lambda: (h.billion_laughs().decode().replace("w:document", "html") + h.html_page(
                 h.article() + "<p>&lol9;</p>")).encode(), RESULT, check=contains(FIRST)),
        Case("html-gbk-declared-utf8", "g.html", lambda: h.html_charset("utf-8", "gbk"), RESULT, check=seed_read()),
        Case("html-utf8-declared-gbk", "g.html", lambda: h.html_charset("gbk", "utf-8"), RESULT, check=seed_read()),
        Case("html-utf8-declared-big5", "g.html", lambda: h.html_charset("big5", "utf-8"), RESULT, check=seed_read()),
        Case("html-utf8-declared-utf16", "g.html", lambda: h.html_charset("utf-16", "utf-8"), RESULT,
             check=seed_read()),
        Case("html-gbk-declared-utf16", "g.html", lambda: h.html_charset("utf-16", "gbk"), RESULT, check=seed_read()),
        *[Case(f"html-declared-{name}", "g.html", lambda n=name: h.html_charset(n, "utf-8"), RESULT, check=seed_read())
          for name in ("idna", "punycode", "rot13", "base64", "zlib", "x-no-such", "utf-7", "hz", "unicode_escape")],
        Case("html-gbk-undeclared", "g.html",
             lambda: h.html_page(h.article(), head="").encode("gbk"), RESULT, check=seed_read()),
        Case("html-utf16-bom", "g.html", lambda: h.html_page(h.article(), head="").encode("utf-16"), RESULT,
             check=seed_read()),
        Case("html-hundred-thousand-paragraphs", "p.html",
             lambda: h.html_page("<p>依法行政。</p>" * 100_000).encode(), _one("too_large")),
        Case("html-only-chrome", "c.html",
             lambda: h.html_page("<nav>首页 政务公开</nav><footer>版权所有 主办单位：江城市人民政府</footer>").encode(),
             _one("empty", "not_chinese")),
        Case("html-frameset", "f.html",
             lambda: b'<html><frameset><frame src="http://203.0.113.1/a.html"></frameset></html>', _one("empty")),
        Case("html-plain-text", "t.html", lambda: SEED_TEXT.encode(), RESULT, check=contains(FIRST)),
        Case("html-tag-soup", "s.html",
             lambda: ("<p><table><b><p>" + "</td><li><i>".join(h.seed_paragraphs()) + "</b></div></span>").encode(),
             RESULT, check=contains(LAST)),
        Case("html-binary-after-tag", "b.html", lambda: b"<html><body>" + h.random_bytes(30000, seed=5),
             _one("corrupt_file", "undecodable_text")),
    ]


def _name_cases() -> list[Case]:
    txt = h.seed_file("txt")
    names = {
        "报告.TXT": RESULT, "REPORT.Htm": RESULT, "../../etc/passwd.txt": RESULT, "a\0b.txt": RESULT,
        "x" * 5000 + ".txt": RESULT, "report.txt.exe": _one("unsupported_format"), "report": _one("unsupported_format"),
        ".txt": _one("unsupported_format"), "report.doc": _one("unsupported_format"),
        "report.docx ": _one("unsupported_format"), "report.xlsx": _one("unsupported_format"),
    }
    return [Case(f"name-{i}", name, lambda: txt, expect) for i, name_expect in enumerate(names.items())
            for name, expect in [name_expect]]


CASES = _cases()


def test_there_are_at_least_200_distinct_hand_made_cases():
    # Hypothesis adds more in test_fuzz_random; the issue asks for 200 in CI from the two together.
    assert len({c.id for c in CASES}) == len(CASES) >= 200


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(worker, case):
    data = case.build()
    reply = worker.run(data, case.filename, via=case.via, timeout=CASE_SECONDS,
                       return_text=case.check is not None, limits=dict(case.limits))
    outcome = reply["outcome"]
    assert outcome in case.expect, f"{case.id}: {outcome} ({reply.get('type')}: {reply.get('message')})\n" + reply.get(
        "traceback", "")
    if outcome in DOCUMENTED:
        message = reply["message"]
        assert message and "\n" not in message and len(message) < 300, f"not one clear sentence: {message!r}"
        assert not any(message[i : i + 12] in SEED_WINDOWS for i in range(len(message))), "the message quotes the report"
    if outcome == "result" and case.check is not None:
        case.check(reply)
