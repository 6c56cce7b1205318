"""Ingestion: every format and encoding reads the same report; bad input gets a specific error."""

from __future__ import annotations

import os
import random
from collections import Counter

import pytest
from builders import make_blank_pdf, make_docx, make_html, make_pdf
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.errors import (
    CorruptFile,
    EmptyDocument,
    EncryptedDocument,
    InputError,
    NotChinese,
    NoTextLayer,
    TooLarge,
    UndecodableText,
    UnsupportedFormat,
)
from analyzer.ingest import ingest_bytes, ingest_text
from analyzer.ingest.normalize import clean_paragraph, normalize_width
from analyzer.limits import Limits

NESTED_TITLE = "《转发<广东省人民政府法制办公室关于做好法治政府建设情况报告的通知>的通知》"


def _formats(paragraphs: list[str]) -> dict[str, tuple[bytes, str]]:
    text = "\n\n".join(paragraphs)
    return {
        "utf8": (text.encode("utf-8"), "seed.txt"),
        "utf8-bom": (b"\xef\xbb\xbf" + text.encode("utf-8"), "seed.txt"),
        "gbk": (text.encode("gbk"), "seed.txt"),
        "utf16": (text.encode("utf-16"), "seed.txt"),
        "docx": (make_docx(paragraphs), "seed.docx"),
        "pdf": (make_pdf(paragraphs), "seed.pdf"),
        "html": (make_html(paragraphs, title="阳江市科学技术局2017年法治政府建设情况报告"), "seed.html"),
    }


@pytest.fixture(scope="module")
def formats(seed_paragraphs):
    return _formats(seed_paragraphs)


@pytest.mark.parametrize("fmt", ["utf8", "utf8-bom", "gbk", "utf16", "docx", "pdf", "html"])
def test_every_format_yields_the_seed_paragraphs_in_order(formats, seed_paragraphs, fmt):
    data, name = formats[fmt]
    document = ingest_bytes(data, filename=name)
    expected = [clean_paragraph(p) for p in seed_paragraphs]
    got = document.paragraphs
    if fmt == "html":  # the page's <h1> title precedes the article body
        assert got[0] == "阳江市科学技术局2017年法治政府建设情况报告"
        got = got[1:]
    assert got == expected


@pytest.mark.parametrize("fmt", ["utf8", "gbk", "utf16", "docx", "pdf", "html"])
def test_no_body_character_is_lost(formats, seed_paragraphs, fmt):
    data, name = formats[fmt]
    document = ingest_bytes(data, filename=name)
    want = Counter(ch for ch in normalize_width("".join(seed_paragraphs)) if not ch.isspace())
    have = Counter(ch for ch in "".join(document.paragraphs) if not ch.isspace())
    assert not (want - have), f"lost characters: {want - have}"
    assert any(NESTED_TITLE in p for p in document.paragraphs)


def test_html_drops_site_chrome(formats):
    data, name = formats["html"]
    text = "\n".join(ingest_bytes(data, filename=name).paragraphs)
    for chrome in ("您所在的位置", "今天是", "版权所有", "打印本页", "脚本里的文字", "首页"):
        assert chrome not in text


def test_traditional_text_is_converted(seed_paragraphs):
    import opencc

    traditional = opencc.OpenCC("s2t").convert("\n".join(seed_paragraphs))
    assert traditional != "\n".join(seed_paragraphs)
    document = ingest_bytes(traditional.encode("utf-8"), filename="seed.txt")
    assert document.converted_traditional
    assert document.paragraphs == [clean_paragraph(p) for p in seed_paragraphs]


def test_simplified_text_is_left_alone(seed_paragraphs):
    document = ingest_text("\n".join(seed_paragraphs))
    assert not document.converted_traditional


@pytest.mark.parametrize("variant", ["（一）依法全面履行政府职能", "(一)依法全面履行政府职能", "﹙一﹚依法全面履行政府职能"])
def test_bracket_variants_read_alike(variant):
    assert clean_paragraph(variant) == "(一)依法全面履行政府职能"


def test_fullwidth_digits_and_spaces_are_normalised():
    assert clean_paragraph("２０１７年\u3000全年办理１２件") == "2017年 全年办理12件"


def test_docx_tables_become_rows_and_heading_styles_are_hints(seed_paragraphs):
    data = make_docx(seed_paragraphs, table_rows=[["指标", "数值"], ["复议案件", "12件"]])
    document = ingest_bytes(data, filename="t.docx")
    assert document.paragraphs[-1] == "复议案件 | 12件"
    hinted = [p for p, h in zip(document.paragraphs, document.heading_hints) if h is not None]
    assert "一、 总体情况" in hinted and "(一)依法全面履行政府职能" in hinted


# --- bad input: one specific error each -------------------------------------------------------


def test_empty_file():
    with pytest.raises(EmptyDocument):
        ingest_bytes(b"", filename="empty.txt")
    with pytest.raises(EmptyDocument):
        ingest_bytes(b"  \n\n \t", filename="blank.txt")


def test_binary_junk_renamed_txt():
    junk = random.Random(7).randbytes(8192)
    with pytest.raises((CorruptFile, UndecodableText)) as info:
        ingest_bytes(junk, filename="junk.txt")
    assert "binary" in str(info.value) or "encoding" in str(info.value)


@pytest.mark.parametrize("name", ["report.doc", "report.xls", "report", "report.png"])
def test_unsupported_extension(name):
    with pytest.raises(UnsupportedFormat) as info:
        ingest_bytes(b"anything", filename=name)
    assert ".docx, .pdf, .txt or .html" in str(info.value)


def test_encrypted_pdf(seed_paragraphs):
    data = make_pdf(seed_paragraphs[:5], encrypt_password="secret")
    with pytest.raises(EncryptedDocument):
        ingest_bytes(data, filename="locked.pdf")


def test_scanned_pdf_without_text_layer():
    with pytest.raises(NoTextLayer) as info:
        ingest_bytes(make_blank_pdf(2), filename="scan.pdf")
    assert "OCR" in str(info.value)


def test_docx_that_is_not_a_zip():
    with pytest.raises(CorruptFile) as info:
        ingest_bytes(b"PK this is not really a zip archive", filename="fake.docx")
    assert "zip" in str(info.value)


def test_file_over_the_size_limit(seed_paragraphs):
    data = "\n".join(seed_paragraphs).encode("utf-8")
    with pytest.raises(TooLarge) as info:
        ingest_bytes(data, filename="big.txt", limits=Limits(max_bytes=1000))
    assert "limit" in str(info.value)


def test_text_without_chinese():
    english = b"Annual report on the construction of law-based government.\n" * 20
    with pytest.raises(NotChinese):
        ingest_bytes(english, filename="english.txt")


def test_size_limit_is_configurable_from_the_environment(monkeypatch):
    monkeypatch.setenv("GOVREPORT_MAX_BYTES", "1234")
    assert Limits.from_env().max_bytes == 1234


def test_every_error_is_an_input_error():
    for cls in (UnsupportedFormat, TooLarge, EmptyDocument, NotChinese, CorruptFile, EncryptedDocument, NoTextLayer):
        assert issubclass(cls, InputError) and cls.code != InputError.code


def test_gbk_mislabelled_as_utf8_still_decodes(seed_paragraphs):
    data = "\n".join(seed_paragraphs).encode("gb18030")
    document = ingest_bytes(data, filename="seed.txt")
    assert document.encoding and document.encoding.replace("_", "").lower() in {"gb18030", "gbk", "gb2312", "cp936"}


def test_utf16_without_bom(seed_paragraphs):
    data = "\n".join(seed_paragraphs).encode("utf-16-le")
    assert not data.startswith(b"\xff\xfe")
    document = ingest_bytes(data, filename="seed.txt")
    assert document.paragraphs[0] == "市法制局:"


def test_os_randomness_is_not_chinese():
    with pytest.raises(InputError):
        ingest_bytes(os.urandom(2048), filename="r.html")


# --- real page text: chrome lines, pinyin annotations ------------------------------------------

PAGE_COPY = [
    "索引号:11330100/2024-00123",
    "发布时间:2024-02-05 来源:江城区司法局",
    "浏览次数:356",
    "字号:大 中 小",
    "江城区司法局2023年法治政府建设情况报告",
    "2023年,我局坚持依法行政,全年审核规范性文件12件。",
    "资金来源:区级财政专项经费,全部用于普法阵地建设。",
    "【打印本页】【关闭窗口】",
    "分享到:",
]


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_page_field_lines_are_dropped(fmt):
    data = "\n".join(PAGE_COPY).encode("utf-8") if fmt == "txt" else make_html(PAGE_COPY)
    paragraphs = ingest_bytes(data, filename=f"page.{fmt}").paragraphs
    # the report lines stay, including one that starts like a field but is a sentence (a page may add its <title>)
    assert paragraphs[-3:] == PAGE_COPY[4:7]
    assert not any(line in paragraphs for line in PAGE_COPY[:4] + PAGE_COPY[7:])


@pytest.mark.parametrize(
    "line", ["索引号:000014349/2023-00012", "发布日期:2023-12-29", "来源: 江城市人民政府办公室", "【字体:大 中 小】",
             "打印本页 关闭窗口", "[打印]", "分享到:"])
def test_each_kind_of_field_line_is_chrome(line):
    from analyzer.ingest.normalize import is_page_chrome

    assert is_page_chrome(line)


@pytest.mark.parametrize(
    "line", ["来源于群众的意见建议共32条。", "江城区司法局2023年法治政府建设情况报告", "一、主要举措和成效",
             "信息来源和发布审核制度进一步健全,全年主动公开政府信息1200条"])
def test_report_lines_are_not_chrome(line):
    from analyzer.ingest.normalize import is_page_chrome

    assert not is_page_chrome(line)


@pytest.mark.parametrize(
    ("annotated", "plain"),
    [("区(qū)政府:", "区政府:"), ("江城区(qū)人民政府(zhèng fǔ)", "江城区人民政府(zhèng fǔ)"),
     ("全区(qū)GDP增长5%(比上年)", "全区GDP增长5%(比上年)"), ("上线政务服务(app)12项", "上线政务服务(app)12项")],
)
def test_pinyin_annotations_after_characters_are_dropped(annotated, plain):
    assert clean_paragraph(annotated) == plain


_WIDTH_SAMPLE = "".join(map(chr, [0x00A0, 0x200B, 0x3000, 0xD800, 0xDFFF, 0xFE50, 0xFE54, 0xFE57, 0xFE59, 0xFE5A, 0xFEFF,
                                  0xFF01, 0xFF08, 0xFF0C, 0xFF10, 0xFF5E, 0xFF5F, 0xFE58, 0x3001])) + "法治a ,\n。"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_WIDTH_SAMPLE), max_size=20))
def test_width_folding_translates_only_what_the_table_maps(text):
    """``normalize_width`` translates runs of mapped characters: the same as ``str.translate``
    with the table over the whole text (kept here as the reference)."""
    from analyzer.ingest.normalize import _WIDTH

    assert normalize_width(text) == text.translate(_WIDTH)


def test_width_folding_over_the_corpus_is_the_plain_translation():
    from builders import corpus_texts

    from analyzer.ingest.normalize import _WIDTH

    paragraphs = [t for texts in corpus_texts() for t in texts]
    assert [normalize_width(t) for t in paragraphs] == [t.translate(_WIDTH) for t in paragraphs]
    assert sum(normalize_width(t) != t for t in paragraphs) > 100
