"""The text stage's parse (`parse_structure` → `doc.Doc`): heading levels, sentences, enumerations and metadata."""

from __future__ import annotations

import pytest

from analyzer.text.headings import heading_marker
from analyzer.text.structure import parse_date, parse_structure, split_sentences


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


# --- metadata of real-world openings: title first, never a cited span or body mention ----------

BODY = ["一、主要举措和成效", "(一)健全依法决策机制", "全年审核重大行政决策事项6件,审核率100%。"]


def _meta(*lines: str):
    from analyzer.ingest import ingest_text

    return parse_structure(ingest_text("\n".join(lines)).paragraphs).metadata


def test_year_is_the_titles_not_a_cited_plans_span():
    meta = _meta("江城区司法局2023年法治政府建设情况报告",
                 "2024年以来,我局对照《法治政府建设实施纲要(2021—2025年)》推进各项工作。", *BODY)
    assert meta.year == 2023


@pytest.mark.parametrize("span", ["(2021—2025年)", "(2021-2025年)", "(2021年—2025年)", "(20212025年)"])
def test_year_from_the_opening_skips_plan_spans(span):
    meta = _meta(f"根据《江城市法治政府建设规划{span}》要求,现将有关情况报告如下:", "2023年,我局坚持依法行政。", *BODY)
    assert meta.year == 2023


@pytest.mark.parametrize(
    "opening",
    ["2022年度,江城区水务局坚持依法行政。", "2022年以来,我局坚持依法行政。", "2022年江城区坚持依法行政,成效明显。",
     "根据《关于做好2023年法治政府建设情况报告的通知》要求,现将我局2022年法治政府建设情况报告如下:"],
)
def test_year_from_a_year_phrase_of_the_opening(opening):
    assert _meta(opening, *BODY).year == 2022


def test_year_from_a_numbered_opening_heading():
    assert _meta("一、2022年工作情况", "我局坚持依法行政,全年办理复议案件9件。").year == 2022


def test_year_falls_back_to_the_date_not_to_body_mentions():
    meta = _meta("区政府:", "今年以来,我局落实2025年工作要点,谋划2025年重点项目。", *BODY, "江城区教育局", "2024年1月20日")
    assert meta.year == 2023


@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        ("江城区教育局2023年法治政府建设情况报告", "江城区教育局"),
        ("江城区教育局关于2023年度法治政府建设情况的报告", "江城区教育局"),
        ("关于江城区教育局2023年度法治政府建设情况的报告", "江城区教育局"),
        ("2023年度江城区法治政府建设工作报告", "江城区"),
        ("江城经济技术开发区管理委员会关于2023年法治政府建设情况的报告", "江城经济技术开发区管理委员会"),
        ("国土规划部2022年法治政府建设年度报告", "国土规划部"),
        ("青山土家族自治县公安局2024年法治政府建设情况报告", "青山土家族自治县公安局"),
        ("白沙镇人民政府2025年法治政府建设情况", "白沙镇人民政府"),
    ],
)
def test_issuer_from_the_title(title, issuer):
    meta = _meta(title, "2023年,我局坚持依法行政。", *BODY)
    assert (meta.title, meta.issuer) == (title, issuer)


@pytest.mark.parametrize(
    ("first", "second"),
    [("江城市应急管理局", "关于2023年度法治政府建设工作的报告"), ("江城区人民政府", "2023年度法治政府建设情况报告"),
     ("江城区人民政府关于2023年度法治政府", "建设情况的报告")],
)
def test_a_title_over_two_lines_is_read_whole(first, second):
    meta = _meta(first, second, "2024年2月", "2023年,我们坚持依法行政。", *BODY)
    assert meta.title == first + second
    assert meta.issuer in (first, "江城区人民政府")
    assert meta.year == 2023
    assert meta.meta_paragraphs[:3] == [0, 1, 2]  # title lines and the date line are metadata, not body


def test_a_first_line_that_is_just_the_issuer():
    meta = _meta("江城市市场监管局", "2020年,我局坚持依法行政,全年办理复议案件9件。", *BODY)
    assert (meta.issuer, meta.year) == ("江城市市场监管局", 2020)


@pytest.mark.parametrize(
    ("opening", "issuer"),
    [
        ("2023年,在区委、区政府的坚强领导下,省水利厅的正确指导下,江城区水利局坚持依法行政。", "江城区水利局"),
        ("2023年,白沙镇党委、政府坚持以法治引领基层治理。", "白沙镇"),
        ("2017年,原江城市环境保护局深入推进依法行政。", "江城市环境保护局"),
        ("根据通知要求,现将江城区水利局2023年法治政府建设情况报告如下:", "江城区水利局"),
        ("2023年,我局坚持依法行政。", None),
        ("2023年,全区坚持依法行政。", None),
        ("2023年是实施规划的关键一年,我们坚持依法行政。", None),
    ],
)
def test_issuer_from_the_opening_sentence_when_there_is_no_title(opening, issuer):
    assert _meta(opening, *BODY).issuer == issuer


def test_the_signature_gives_a_fuller_name_of_the_title_issuer():
    meta = _meta("白沙镇2023年度法治政府建设工作报告", *BODY, "青山县白沙镇人民政府", "2024年1月8日")
    assert meta.issuer == "青山县白沙镇人民政府"


def test_own_doc_number_in_the_header_and_cited_ones_apart():
    meta = _meta("江司发〔2024〕3号", "江城区司法局关于2023年度法治政府建设情况的报告", "区委依法治区办:",
                 "根据《江城区法治政府建设实施方案》(江委发〔2022〕8号)要求,现将有关情况报告如下:", *BODY,
                 "制定《江城区行政执法公示办法》(江府办发〔2023〕11号),全面推行执法公示。")
    assert meta.doc_numbers == ["江司发〔2024〕3号"]
    assert meta.doc_numbers_cited == ["江委发〔2022〕8号", "江府办发〔2023〕11号"]
    assert meta.recipient == "区委依法治区办"


def test_recipient_is_cleaned_of_page_artefacts():
    assert parse_structure(["区(qū)政府:", "2023年,我局坚持依法行政。", *BODY]).metadata.recipient == "区政府"
    assert parse_structure(["区 委 、 区 政 府:", "2023年,我局坚持依法行政。", *BODY]).metadata.recipient == "区委、区政府"


def test_a_report_read_to_the_peoples_congress():
    meta = _meta("江城区人民政府关于2023年法治政府建设情况的报告", "——2024年3月5日在江城区第十届人大常委会第十次会议上",
                 "江城区人民政府副区长 李某某", "主任、各位副主任、各位委员:", "我代表区政府报告2023年法治政府建设情况。", *BODY)
    assert (meta.issuer, meta.year, meta.date, meta.recipient) == ("江城区人民政府", 2023, "2024-03-05", "主任、各位副主任、各位委员")
    assert meta.meta_paragraphs == [0, 1, 2, 3]


@pytest.mark.parametrize("verb", ["坚持", "全力推进", "大力推进", "以习近平法治思想为指导,", "紧紧围绕中心工作,"])
def test_the_opening_subject_ends_where_the_predicate_begins(verb):
    assert _meta(f"2023年,江城区综合行政执法局{verb}依法行政取得新成效。", *BODY).issuer == "江城区综合行政执法局"


def test_a_party_office_in_the_opening_is_not_taken_for_the_issuer():
    assert _meta("2023年,区委依法治区办统筹推进全区法治建设。", *BODY).issuer is None
