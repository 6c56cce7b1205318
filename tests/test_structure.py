"""Structure: heading levels, sentences, enumerations and metadata."""

from __future__ import annotations

import pytest

from analyzer.headings import heading_marker
from analyzer.structure import parse_date, parse_structure, split_sentences


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("第一部分 工作开展情况", 0),
        ("一、总体情况", 1),
        ("二、 存在的薄弱环节和问题", 1),
        ("(一)依法全面履行政府职能", 2),
        ("1.深化行政审批制度改革", 3),
        ("2、加强规范性文件管理", 3),
        ("(1)认真落实行政执法责任制", 4),
        ("①加强执法监督", 5),
    ],
)
def test_heading_levels(text, level):
    assert heading_marker(text)[0] == level


@pytest.mark.parametrize("text", ["2017年法治政府建设情况", "1.5倍于上年", "一是创新力度不够", "总的来说,工作顺利"])
def test_non_headings(text):
    assert heading_marker(text) is None


def test_seed_structure(seed_paragraphs):
    structure = parse_structure(seed_paragraphs)
    headings = [(p.level, p.text) for p in structure.headings]
    assert headings[0] == (1, "一、 总体情况")
    assert [lvl for lvl, _ in headings].count(2) == 7
    s5_items = structure.paragraphs[14]
    assert not s5_items.is_heading and s5_items.lead == "认真落实行政执法责任制,严格实行责任追究制度"
    assert structure.paragraphs[5].heading == 4  # body under (一)
    assert structure.paragraphs[4].heading == 2  # (一) under 一、


def test_seed_metadata(seed_paragraphs):
    meta = parse_structure(seed_paragraphs).metadata
    assert meta.recipient == "市法制局"
    assert meta.issuer == "阳江市科学技术局"
    assert meta.date == "2017-11-09"
    assert meta.doc_numbers == []  # the seed cites the notice that asked for the report; it has no 文号 of its own
    assert meta.doc_numbers_cited == ["阳法通[2017]32号"]
    assert meta.year == 2017


@pytest.mark.parametrize("number", ["阳法通〔2017〕32号", "阳法通【2017】32号", "阳法通[2017]32号", "江府办(2019)7号"])
def test_document_number_bracket_variants(number):
    meta = parse_structure(["市司法局:", f"根据{number}文件要求,现将2018年法治政府建设情况报告如下:"] + ["正文"] * 3).metadata
    assert meta.doc_numbers_cited == [number]
    assert meta.doc_numbers == []


def test_title_issuer_and_chinese_numeral_date():
    paragraphs = [
        "江城市市场监督管理局2019年法治政府建设情况报告",
        "市委依法治市办:",
        "现将有关情况报告如下:",
        "一、主要举措和成效",
        "全年办理行政复议案件12件。",
        "江城市市场监督管理局",
        "二〇二〇年一月十八日",
    ]
    meta = parse_structure(paragraphs).metadata
    assert meta.title == paragraphs[0]
    assert meta.recipient == "市委依法治市办"
    assert meta.issuer == "江城市市场监督管理局"
    assert meta.date == "2020-01-18"
    assert meta.year == 2019


def test_year_falls_back_to_signature_date():
    meta = parse_structure(["区政府:", "今年以来我局工作如下。", "一、工作情况", "正文内容。", "江城区教育局", "2021年2月3日"]).metadata
    assert meta.year == 2020  # signed early in 2021, so it reports on 2020


def test_sentences_split_on_chinese_punctuation():
    text = "一是完善制度。二是加强培训;三是强化监督!完成了吗?"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["一是完善制度。", "二是加强培训;", "三是强化监督!", "完成了吗?"]


def test_inline_enumerations_are_found(seed_paragraphs):
    structure = parse_structure(seed_paragraphs)
    assert len(structure.paragraphs[5].enumerations) == 3  # 一是 二是 三是


@pytest.mark.parametrize(("text", "iso"), [("2017年11月9日", "2017-11-09"), ("二〇一九年十二月三十一日", "2019-12-31")])
def test_parse_date(text, iso):
    assert parse_date(text).isoformat() == iso
