"""The Streamlit app: AppTest flows (analyze, batch, compare) and the UI helpers in app_support."""

from __future__ import annotations

import copy
import io
import json
import re
import sys
import zipfile
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # app_support sits beside app.py, outside the installed package
    sys.path.insert(0, str(ROOT))

from analyzer.ingest.archive import MAX_MEMBERS  # noqa: E402
from app_support.batch import (  # noqa: E402
    BatchRow,
    Upload,
    batch_table,
    element_table,
    error_table,
    expand_uploads,
    run_batch,
    table_csv,
    table_xlsx,
)
from app_support.compare import CompareItem, copying_table, emphasis_frame, report_table  # noqa: E402
from app_support.corpus import CORPORA, SAMPLE_REPORT, corpus_reports  # noqa: E402
from app_support.highlight import elements_html, finding_html, marked_text, report_html  # noqa: E402
from app_support.text import download_stem, md_escape  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 180  # the first run loads the model and analyses the sample
# The seven sections of the 2015–2020 outline as the seed names them (shared/domain/README.md).
SEED_SECTIONS = ["依法全面履行政府职能", "完善依法行政制度体系", "推进行政决策科学化、民主化、法治化",
                 "坚持严格规范公正文明执法", "强化对行政权力的制约和监督", "依法有效化解社会矛盾纠纷",
                 "加强组织保障和落实机制建设"]
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _html(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def _finding_boxes(at) -> list:
    return [box for box in at.checkbox if box.key and box.key.startswith("finding-")]


def _section_expanders(at) -> list[str]:
    return [e.label for e in at.expander if e.label.startswith((":green-badge[", ":orange-badge[", ":red-badge["))]


@pytest.fixture(scope="module")
def sample_run():
    return _app().run()


@pytest.fixture(scope="module")
def corpus_zip() -> bytes:
    reports = {r.id: r for r in corpus_reports()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for report_id in ("au109", "au110"):
            archive.writestr(f"{report_id}.txt", reports[report_id].text)
    return buffer.getvalue()


# ---------------------------------------------------------------- analyze flow


def test_with_nothing_uploaded_the_sample_report_is_analysed(sample_run, seed_analysis):
    at = sample_run
    assert not at.exception
    assert any("示例报告" in info.value for info in at.info)
    labels = _section_expanders(at)
    assert len(labels) == 7
    for name, label in zip(SEED_SECTIONS, labels):
        assert name in label.replace("\\", "")
    assert len(_finding_boxes(at)) == len(seed_analysis.findings) > 0


def test_headline_metrics_come_from_the_analysis(sample_run, seed_analysis):
    metrics = {m.label: m.value for m in sample_run.metric}
    stats = seed_analysis.stats
    assert metrics["已覆盖部分"] == f"{stats['sections_covered']}/{stats['sections_total']}"
    assert metrics["已见要素"] == f"{stats['elements_found']}/{stats['elements_total']}"


def test_report_text_is_shown_with_sections_and_boilerplate_marked(sample_run, seed_analysis):
    html = _html(sample_run)
    assert html.count('class="gr-para') == len(seed_analysis.paragraphs)
    if any(p.boilerplate for p in seed_analysis.paragraphs):
        assert '<mark class="gr-bp' in html
    assert 'data-section="S1"' in html


def test_downloads_are_offered(sample_run):
    labels = {b.label for b in sample_run.get("download_button")}
    assert {"下载审阅报告(HTML,可打印为 PDF)", "下载批注版 Word", "下载 Excel", "下载 Markdown", "下载 JSON(数据)"} <= labels


def test_uploaded_report_is_analysed_and_its_markup_shown_as_text(seed_path):
    text = seed_path.read_text(encoding="utf-8") + "\n" + "报告中出现的代码" + "".join(XSS) + "应当原样显示。\n"
    at = _app().run()
    at.file_uploader(key="analyze_upload").set_value(("draft.txt", text.encode("utf-8"), "text/plain"))
    at.run()
    assert not at.exception and not at.error
    assert not any("示例报告" in info.value for info in at.info)
    html = _html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in html and "<img" not in html


def test_a_bad_file_shows_the_analyzers_message_not_a_traceback():
    from analyzer import analyze
    from analyzer.errors import InputError

    with pytest.raises(InputError) as expected:
        analyze(b"not a zip archive", filename="broken.docx")
    at = _app().run()
    at.file_uploader(key="analyze_upload").set_value(("broken.docx", b"not a zip archive", "application/octet-stream"))
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    assert expected.value.advice in at.error[0].value  # what it means, in Chinese
    assert str(expected.value) not in at.error[0].value  # the technical detail only under 详情
    assert [e.label for e in at.expander if e.label == "详情"] and str(expected.value) in [t.value for t in at.text]
    assert not _section_expanders(at)


def test_pasted_text_is_analysed(seed_path):
    at = _app().run()
    at.text_area(key="analyze_text").set_value(seed_path.read_text(encoding="utf-8"))
    next(b for b in at.button if b.label == "分析粘贴的文本").click().run()  # no Ctrl+Enter needed
    assert not at.exception
    assert not any("示例报告" in info.value for info in at.info)
    assert len(_section_expanders(at)) == 7


def test_a_chosen_framework_is_applied_and_named():
    from analyzer.frameworks import load_framework

    at = _app().run()
    at.selectbox(key="analyze_framework").set_value("fzzf-2021").run()
    assert not at.exception
    framework = load_framework("fzzf-2021")
    assert len(_section_expanders(at)) == len(framework.sections)
    assert any(md_escape(framework.label) in m.value for m in at.markdown)


# ---------------------------------------------------------------- batch flow


def test_batch_reports_each_file_and_a_broken_one_in_its_row(seed_path, corpus_zip):
    at = _app().run()
    at.radio(key="page").set_value("批量").run()
    files = [("seed.txt", seed_path.read_bytes(), "text/plain"),
             ("broken.docx", b"garbage", "application/octet-stream"),
             ("reports.zip", corpus_zip, "application/zip")]
    at.file_uploader(key="batch_upload").set_value(files).run()
    assert not at.exception
    table, errors = at.dataframe[0].value, at.dataframe[1].value  # the results tab, then the errors tab
    assert sorted(table["文件"]) == ["reports.zip/au109.txt", "reports.zip/au110.txt", "seed.txt"]
    assert list(table.columns[:3]) == ["发文单位 · 年度", "覆盖", "缺失任务"]  # the key figures first
    assert SEED_SECTIONS[0] in table.columns  # sections by name, not id
    assert table[SEED_SECTIONS[0]].isin(["已覆盖", "单薄", "缺失"]).all()
    assert list(errors["文件"]) == ["broken.docx"] and errors["原因"][0].startswith("文件已损坏")  # in Chinese
    assert at.warning and "1" in at.warning[0].value


# ---------------------------------------------------------------- compare flow


def test_compare_on_the_sample_corpus_shows_yearly_copying():
    at = _app().run()
    at.radio(key="page").set_value("比较").run()
    assert not at.exception
    chosen = at.multiselect(key="compare_pick").value
    assert len(chosen) >= 2
    overview, copying = at.dataframe[0].value, at.dataframe[-1].value
    assert len(overview) == len(chosen)
    # The corpus holds copy pairs of the same issuer in consecutive years (corpora/README.md).
    reports = [json.loads(line) for line in (CORPORA / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    copies = {r["issuer"] for r in reports if r.get("copies")}
    assert copies & set(copying["发文单位"])
    assert (copying["雷同比例"] > 0.2).any()


def test_compare_uploaded_reports_of_one_issuer():
    reports = {r.id: r for r in corpus_reports()}
    at = _app().run()
    at.radio(key="page").set_value("比较").run()
    at.radio(key="compare_source").set_value("上传文件").run()
    files = [(f"{rid}.txt", reports[rid].text.encode("utf-8"), "text/plain") for rid in ("au109", "au110")]
    at.file_uploader(key="compare_upload").set_value(files).run()
    assert not at.exception
    copying = at.dataframe[-1].value
    assert list(copying["年度"]) == [f"{reports['au109'].year}→{reports['au110'].year}"]


# ---------------------------------------------------------------- helpers


def test_marked_text_escapes_markup_and_marks_overlapping_spans():
    text = "甲<script>alert(1)</script>乙丙丁"
    html = marked_text(text, boilerplate=[[0, 5]], copied=[[3, len(text)], [50, 60], [4, 2]])
    assert "<script" not in html
    assert unescape(re.sub(r"<[^>]+>", "", html)) == text  # only our marks were added; the text is all there
    assert '<mark class="gr-bp gr-cp"' in html  # the overlap carries both marks
    assert html.count("<mark") == 3


def test_report_html_escapes_every_paragraph(seed_analysis):
    analysis = copy.deepcopy(seed_analysis)
    analysis.paragraphs[1].text = XSS[1]
    analysis.paragraphs[1].boilerplate = [[0, 5]]
    html = report_html(analysis)
    assert "<img" not in html and "&lt;img" in html


def test_findings_and_elements_html_escape_evidence(seed_analysis):
    from analyzer.result import ElementResult, Finding

    finding = Finding(kind="boilerplate", severity="low", location=[1], message="m", evidence=[XSS[0]], rule="r",
                      suggestion={"text": XSS[1], "exemplars": [{"corpus_id": "<b>", "text": XSS[0]}]})
    element = ElementResult(id="A1", name="<i>x</i>", found=True,
                            evidence=[{"paragraph": 1, "sentence": XSS[0], "term": "alert"}])
    html = finding_html(finding) + elements_html([element])
    assert "<script>" not in html and "<img" not in html and "<i>" not in html and "<b>&lt;" not in html
    assert "<b>alert</b>" in html  # the matched term is the one markup added


def test_md_escape_neutralises_markdown_and_download_stem_is_a_safe_name():
    assert md_escape("[链接](http://x) **粗**") == r"\[链接\]\(http\:\/\/x\) \*\*粗\*\*".replace(r"\/", "/")
    assert download_stem("a/b/报告<1>.docx") == "报告_1"
    assert download_stem(None) == "报告"


class _GbkName(zipfile.ZipInfo):
    """A member whose name is stored as GBK without the UTF-8 flag, as Windows archivers do."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def test_zip_uploads_are_expanded_in_memory_with_gbk_names():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_GbkName("报告.txt"), "内容")
        archive.writestr("__MACOSX/._报告.txt", "junk")
        archive.writestr("sub/", "")
    uploads = expand_uploads([("a.zip", buffer.getvalue()), ("b.txt", b"x")])
    assert [(u.name, u.data) for u in uploads] == [("a.zip/报告.txt", "内容".encode()), ("b.txt", b"x")]


def test_corrupt_and_oversized_zips_become_error_rows():
    from analyzer.limits import Limits

    corrupt = expand_uploads([("bad.zip", b"PK\x03\x04 not really")])
    assert corrupt[0].data is None and corrupt[0].code == "corrupt_file"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", "字" * 4000)
        archive.writestr("small.txt", "字")
    members = expand_uploads([("z.zip", buffer.getvalue())], limits=Limits(max_bytes=1000))
    assert [(m.name, m.code) for m in members] == [("z.zip/big.txt", "too_large"), ("z.zip/small.txt", None)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(MAX_MEMBERS + 1):
            archive.writestr(f"{i}.txt", "")
    assert expand_uploads([("many.zip", buffer.getvalue())])[0].code == "too_large"


def test_one_failing_file_does_not_stop_the_batch(seed_analysis):
    from analyzer.errors import NotChinese

    def analyze(name: str, data: bytes):
        if name == "english.txt":
            raise NotChinese("no Chinese text")
        if name == "bug.txt":
            raise KeyError("oops")
        return seed_analysis

    uploads = [Upload("english.txt", b"x"), Upload("bug.txt", b"x"), Upload("ok.txt", b"x"),
               Upload("z.zip", None, "the zip file cannot be read", "corrupt_file")]
    seen = []
    rows = run_batch(uploads, analyze, on_progress=lambda done, total, name: seen.append((done, total)))
    assert [(r.error, r.code) for r in rows] == [("no Chinese text", "not_chinese"),
                                                 ("内部错误:KeyError", "internal_error"), (None, None),
                                                 ("the zip file cannot be read", "corrupt_file")]
    assert seen[-1] == (4, 4)


def test_batch_tables_and_their_exports(seed_analysis):
    from openpyxl import load_workbook

    rows = [BatchRow("=cmd|' /C calc'!A0.txt", analysis=seed_analysis),
            BatchRow("bad.pdf", error="the PDF is encrypted", code="encrypted")]
    table, errors = batch_table(rows), error_table(rows)
    status_zh = {"covered": "已覆盖", "thin": "单薄", "missing": "缺失"}
    assert [table.loc[0, s.name] for s in seed_analysis.sections] == [status_zh[s.status] for s in seed_analysis.sections]
    assert len(table) == 1
    assert errors.to_dict("records") == [{"文件": "bad.pdf", "原因": "文件设置了密码或加密。请取消密码保护后再上传。",
                                          "详情": "the PDF is encrypted"}]
    csv = table_csv(table).decode("utf-8-sig")
    assert "'=cmd" in csv and ",=cmd" not in csv
    elements = element_table(rows)
    assert len(elements) == 1 and set(elements.iloc[0, 1:]) <= {"已见", "未见"}
    book = load_workbook(io.BytesIO(table_xlsx(table, elements=elements, errors=errors, names={"S1": "x"})))
    assert book.sheetnames == ["批量结果", "要素", "出错的文件", "编号说明"]
    file_column = list(table.columns).index("文件") + 1
    assert book["批量结果"].cell(row=2, column=file_column).data_type == "s"


def test_batch_rows_are_worst_first(seed_analysis):
    import msgspec

    def with_statuses(statuses: list[str]):
        sections = [msgspec.structs.replace(s, status=st) for s, st in zip(seed_analysis.sections, statuses)]
        return msgspec.structs.replace(seed_analysis, sections=sections)

    rows = [BatchRow("good.txt", analysis=with_statuses(["covered"] * 7)),
            BatchRow("worst.txt", analysis=with_statuses(["missing", "missing"] + ["covered"] * 5)),
            BatchRow("thin.txt", analysis=with_statuses(["thin"] + ["covered"] * 6))]
    table = batch_table(rows)
    assert list(table["文件"]) == ["worst.txt", "thin.txt", "good.txt"]
    assert table.loc[0, "缺失任务"] == "、".join(s.name for s in seed_analysis.sections[:2])


def test_corpus_reports_are_reassembled_from_the_labels():
    reports = corpus_reports()
    meta = {r["id"]: r for r in map(json.loads, (CORPORA / "reports.jsonl").read_text(encoding="utf-8").splitlines())}
    assert {r.id for r in reports} == set(meta)
    for report in reports:
        assert len(report.text.splitlines()) == meta[report.id]["paragraphs"]
        assert (report.issuer, report.year) == (meta[report.id]["issuer"], meta[report.id]["year"])
    assert SAMPLE_REPORT.exists()


def test_reports_are_compared_under_the_issuer_and_year_chosen_for_them(seed_analysis):
    # The same analysis filed as two years of one issuer: the later copies the earlier entirely.
    items = [CompareItem("甲2018", "甲单位", 2018, seed_analysis), CompareItem("甲2019", "甲单位", 2019, seed_analysis)]
    reports = report_table(items)
    assert list(reports["report"]) == ["甲2018", "甲2019"]
    assert list(reports["issuer"]) == ["甲单位", "甲单位"] and list(reports["year"]) == [2018, 2019]
    copying = copying_table(items)
    assert list(copying["pair"]) == ["2018→2019"]
    assert copying.loc[0, "copied_share"] > 0.9
    assert seed_analysis.metadata.year == 2017  # filing does not change the analysis itself


def test_emphasis_shares_sum_to_one_per_report(seed_analysis):
    frame = emphasis_frame([CompareItem("seed", "阳江", 2017, seed_analysis)])
    assert set(frame["scale"]) <= {f"S{i}" for i in range(1, 8)}
    assert frame["share"].sum() == pytest.approx(1.0)


# ---------------------------------------------------------------- numbering, status words, review report

EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")


def test_paragraphs_are_numbered_from_one_and_findings_link_to_them(seed_analysis):
    from app_support.highlight import paragraph_links

    html = report_html(seed_analysis)
    for p in seed_analysis.paragraphs[:5]:
        assert f'id="gr-p{p.index + 1}"' in html and f"第{p.index + 1}段</span>" in html
    located = next(f for f in seed_analysis.findings if f.location != "whole report")
    detail = finding_html(located)
    assert f'href="#gr-p{located.location[0] + 1}"' in detail
    assert paragraph_links([0, 4]) == '第<a href="#gr-p1" target="_self">1</a>、<a href="#gr-p5" target="_self">5</a>段'


def test_status_is_written_in_words_without_emoji(seed_analysis):
    from app_support.highlight import parts_html

    elements = [e for s in seed_analysis.sections for e in s.elements]
    html = elements_html(elements) + parts_html(seed_analysis.parts)
    assert html.count(">已见<") == sum(e.found for e in elements)
    assert html.count(">未见<") == sum(not e.found for e in elements)
    assert not EMOJI.search(html + report_html(seed_analysis))


def test_copied_passages_are_shown_side_by_side_with_changed_figures_marked():
    from app_support.highlight import copying_html

    copying = {"share": 0.5, "passages": [
        {"later_paragraph": 3, "later": "全年办理复议案件25件。", "earlier_paragraph": 2,
         "earlier": "全年办理复议案件18件。", "kind": "figures_changed", "similarity": 0.9, "changed": [[8, 10]]},
        {"later_paragraph": 5, "later": "<b>照抄</b>", "earlier_paragraph": 4, "earlier": "<b>照抄</b>",
         "kind": "verbatim", "similarity": 1.0, "changed": []}]}
    html = copying_html(copying)
    assert '<mark class="gr-changed" title="与上一年度不同">25</mark>' in html
    assert "全年办理复议案件18件。" in html and "上一年度第3段" in html and 'href="#gr-p4"' in html
    assert "仅改数字" in html and "原文照抄" in html
    assert "<b>" not in html


def test_review_report_is_one_self_contained_page(seed_analysis):
    from app_support.review import review_html

    html = review_html(seed_analysis, name="草稿.docx")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html
    for section in seed_analysis.sections:
        assert section.name in html
    assert html.count('class="finding"') == len(seed_analysis.findings)
    located = {min(f.location) for f in seed_analysis.findings if f.location != "whole report"}
    assert all(f"<h3>第{i + 1}段</h3>" in html for i in located)
    assert not EMOJI.search(html)


def test_previous_year_upload_shows_the_copied_passages_side_by_side(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    earlier = text.replace("2017", "2016")  # last year's report: the same text with other figures
    at = _app().run()
    at.file_uploader(key="analyze_upload").set_value(("本年度.txt", text.encode("utf-8"), "text/plain"))
    at.file_uploader(key="analyze_previous").set_value(("上一年度.txt", earlier.encode("utf-8"), "text/plain"))
    at.run()
    assert not at.exception and not at.error
    assert any(h.value == "与上一年度报告对照" for h in at.subheader)
    assert any("上一年度报告:上一年度" in c.value for c in at.caption)
    html = _html(at)
    assert '<mark class="gr-cp"' in html  # copied spans are marked in the report text too
