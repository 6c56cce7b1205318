"""govreport web app: upload a 法治政府建设 annual report, see coverage and findings, take away a reviewed copy.

Run with ``streamlit run app.py``. UI only: every figure comes from the ``analyzer`` API (the same the
CLI uses); layout helpers live in ``app_support``. Uploads are processed in memory, and all report
text rendered as HTML is escaped.
"""

from __future__ import annotations

import hashlib
import logging

import streamlit as st

from analyzer.errors import INTERNAL, advice_for, failure
from analyzer.frameworks import FrameworkError
from analyzer.result import Analysis
from app_support.corpus import SAMPLE_REPORT

LOG = logging.getLogger("govreport.app")
UPLOAD_TYPES = ["docx", "pdf", "txt", "text", "html", "htm"]
PAGES = {"分析": "analyze", "批量": "batch", "比较": "compare"}
# Less space above the title (but clear of the 3.75rem fixed header) and a smaller title, so that a
# 1024×768 screen shows the title, the uploaders and the downloads at once.
PAGE_CSS = """<style>
[data-testid=stMainBlockContainer]{padding-top:4.2rem}
[data-testid=stMainBlockContainer] h1{font-size:1.9rem;padding-top:0}
</style>"""


# ---------------------------------------------------------------- cached work


@st.cache_resource(show_spinner="正在加载模型……")
def warm_up() -> bool:
    """Load the section model, segmenter and lexicons once per server process (a first analysis loads all)."""
    from analyzer import analyze
    from analyzer.mapping.model import default_scorer

    default_scorer()
    analyze(SAMPLE_REPORT.read_bytes(), filename=SAMPLE_REPORT.name)
    return True


@st.cache_data(max_entries=512, show_spinner=False)
def analyze_cached(digest: str, filename: str, framework: str, _data: bytes, previous_digest: str | None = None,
                   previous_name: str | None = None, _previous: bytes | None = None) -> Analysis:
    """The analysis of a file (against last year's, if given), cached by the sha256 of the bytes, names
    and framework."""
    from analyzer import analyze

    if _previous is None:
        return analyze(_data, filename=filename, framework=framework)
    return analyze(_data, filename=filename, framework=framework, previous=_previous, previous_filename=previous_name)


def analyze_bytes(data: bytes, filename: str, framework: str = "auto", *,
                  previous: tuple[str, bytes] | None = None) -> Analysis:
    """``previous``: (name, bytes) of the issuer's earlier report, to measure copying."""
    warm_up()
    if previous is None:
        return analyze_cached(hashlib.sha256(data).hexdigest(), filename, framework, data)
    name, earlier = previous
    return analyze_cached(hashlib.sha256(data).hexdigest(), filename, framework, data,
                          hashlib.sha256(earlier).hexdigest(), name, earlier)


def framework_choices() -> dict[str, str]:
    """Framework id → label for the selector, automatic choice first."""
    from analyzer.frameworks import available_frameworks, load_framework

    choices = {"auto": "自动选择(按报告年度)"}
    for framework_id in available_frameworks():
        try:
            framework = load_framework(framework_id)
            kind = "纲要" if framework.kind == "outline" else "报告内容规定"
            choices[framework_id] = f"{framework.label}({kind})"
        except FrameworkError:
            LOG.exception("framework %s cannot be loaded", framework_id)
    return choices


def show_failure(name: str, exc: Exception) -> None:
    """The analyzer's one-sentence Chinese message for bad input; the technical detail only in a 详情 expander
    (never a traceback); a short note for a bug. Classified as the batch classifies a file (``failure``)."""
    from app_support.text import md_escape

    code, detail = failure(exc, internals=False)
    if code == INTERNAL:
        LOG.error("internal error on %s", name, exc_info=exc)
    st.error(f"无法分析 {md_escape(name)}:{advice_for(code)}",
             icon=":material/build:" if code == INTERNAL else ":material/error:")
    with st.expander("详情"):
        st.text(detail)


# ---------------------------------------------------------------- 分析 page


def page_analyze() -> None:
    st.title("法治政府建设情况报告 · 分析")
    choices = framework_choices()
    left, right = st.columns([3, 2])
    upload = left.file_uploader("上传报告(.docx / .pdf / .txt / .html)", type=UPLOAD_TYPES, key="analyze_upload")
    framework = right.selectbox("对照框架", list(choices), format_func=choices.get, key="analyze_framework")
    previous = right.file_uploader("上一年度报告(可选,检查与上一年度雷同)", type=UPLOAD_TYPES,
                                   key="analyze_previous")
    with left.expander("或粘贴报告全文"):
        with st.form("paste_form", border=False):
            pasted = st.text_area("报告全文,每段一行", key="analyze_text", height=150)
            st.form_submit_button("分析粘贴的文本")
    if upload is not None:
        name, data, sample = upload.name, upload.getvalue(), False
    elif pasted.strip():
        # Pasted text goes in as bytes of a .txt: a short string is never taken for a path on the server.
        name, data, sample = "粘贴的文本.txt", pasted.encode("utf-8"), False
    else:
        name, data, sample = SAMPLE_REPORT.name, SAMPLE_REPORT.read_bytes(), True
    earlier = (previous.name, previous.getvalue()) if previous is not None else None
    try:
        with st.spinner("正在分析……"):
            analysis = analyze_bytes(data, name, framework, previous=earlier)
    except Exception as exc:  # noqa: BLE001 - shown in the page, never as a traceback
        show_failure(name if earlier is None else f"{name} / {earlier[0]}", exc)
        return
    if sample:
        st.info("尚未上传报告,下面是随附示例报告(阳江市科学技术局 2017 年度)的分析结果。"
                "上传 .docx、.pdf、.txt 或 .html 文件,或粘贴全文,即可分析您的报告。")
    show_analysis(analysis, name=name, data=data, previous_name=earlier[0] if earlier else None)


def show_analysis(analysis: Analysis, *, name: str, data: bytes, previous_name: str | None = None) -> None:
    from analyzer.outputs.render import framework_line
    from app_support.text import md_escape

    meta = analysis.metadata
    st.markdown("  \n".join(f"**{md_escape(k)}:** {md_escape(v)}" for k, v in framework_line(analysis)) + "  \n"
                f"**发文单位:** {md_escape(meta.issuer or '未识别')} · **报告年度:** {meta.year or '未识别'} · "
                f"**成文日期:** {md_escape(meta.date or '未识别')} · "
                f"**文号:** {md_escape('、'.join(meta.doc_numbers) or '未识别')} · **字数:** {analysis.source.chars:,}")
    show_metrics(analysis)
    show_downloads(analysis, name=name, data=data)
    st.subheader("各部分覆盖情况")
    from app_support.review import coverage_table

    # Bars drawn with CSS (the review report's table): no chart script to start in the browser, so the
    # results show sooner after an upload (benchmarks/bench_app.py), and values are written out.
    st.html(coverage_table(analysis))
    if previous_name is not None:
        show_copying(analysis, previous_name=previous_name)
    text_col, side_col = st.columns([3, 2], gap="medium")
    with text_col:
        st.subheader("报告原文(按部分标注)")
        from app_support.highlight import report_html

        st.html(report_html(analysis))
    with side_col:
        show_findings(analysis, key=analysis.source.sha256)
        show_parts(analysis)
        show_sections(analysis)


def show_metrics(analysis: Analysis) -> None:
    from app_support.summary import headline

    for column, metric in zip(st.columns(4), headline(analysis)):
        column.metric(metric.label, metric.value, help=metric.help)


def _confirm(file_name: str):
    """A download button's on_click: say that the file is on its way (the browser may not show it)."""
    return lambda: st.toast(f"已生成 {file_name},请在浏览器的下载列表中查看。")


def show_downloads(analysis: Analysis, *, name: str, data: bytes) -> None:
    """The review report, the annotated Word copy and the data files; the heavier ones are built only when clicked."""
    from analyzer.outputs.export import analysis_to_xlsx
    from analyzer.outputs.render import to_markdown
    from app_support.review import review_html
    from app_support.text import download_stem

    stem = download_stem(name)
    files = {
        "review": f"{stem}.审阅报告.html", "docx": f"{stem}.批注.docx", "xlsx": f"{stem}.分析.xlsx",
        "md": f"{stem}.分析.md", "json": f"{stem}.analysis.json",
    }
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "下载审阅报告(HTML,可打印为 PDF)", lambda: review_html(analysis, name=name), file_name=files["review"],
        mime="text/html", on_click=_confirm(files["review"]), key="dl_review", type="primary",
        help="一页完整的审阅结果:覆盖情况、必备内容清单、逐段问题;可附于退回修改通知,用浏览器打印为 PDF。")
    source = data if name.lower().endswith(".docx") else None
    try:
        from analyzer.outputs.annotate import annotated_docx
    except ImportError:  # the annotated copy is not in this version of the analyzer: no button
        annotated_docx = None
    if annotated_docx is not None:
        row.download_button(
            "下载批注版 Word", lambda: annotated_docx(analysis, source=source, filename=name),
            file_name=files["docx"], on_click=_confirm(files["docx"]), key="dl_docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    row.download_button(
        "下载 Excel", lambda: analysis_to_xlsx(analysis), file_name=files["xlsx"], on_click=_confirm(files["xlsx"]),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")
    row.download_button("下载 Markdown", lambda: to_markdown(analysis), file_name=files["md"],
                              mime="text/markdown", on_click=_confirm(files["md"]), key="dl_md")
    row.download_button("下载 JSON(数据)", lambda: analysis.to_json(), file_name=files["json"],
                              mime="application/json", on_click=_confirm(files["json"]), key="dl_json")


def show_copying(analysis: Analysis, *, previous_name: str) -> None:
    """This year's copied passages beside last year's, changed figures marked."""
    import msgspec

    from app_support.highlight import copying_html
    from app_support.labels import percent
    from app_support.text import md_escape

    st.subheader("与上一年度报告对照")
    copying = getattr(analysis, "copying", None)
    if copying is not None and not isinstance(copying, dict):
        copying = msgspec.to_builtins(copying)
    share = (copying or {}).get("share", analysis.stats.get("copied_share"))
    st.caption(f"上一年度报告:{md_escape(previous_name)} · 雷同文字占正文 {percent(share)}"
               " · 左栏为本年度原文(蓝色为与上一年度不同的文字,多为改动的数字),右栏为上一年度原文。")
    if copying:
        st.html(copying_html(copying))
        return
    # Older analyzers give only the marked spans and one finding: list the copied paragraphs.
    copied = [p for p in analysis.paragraphs if p.copied]
    if not copied:
        st.success("未发现与上一年度报告雷同的段落。")
    for p in copied[:30]:
        st.markdown(f"**第{p.number}段:** " + md_escape("……".join(p.text[s:e] for s, e in p.copied)))


def show_findings(analysis: Analysis, *, key: str) -> None:
    from analyzer.messages import where
    from app_support.highlight import finding_card_html
    from app_support.labels import KIND_ZH, SEVERITY_BADGE, SEVERITY_ORDER, SEVERITY_ZH, md_badge
    from app_support.text import md_escape

    st.subheader(f"问题清单({len(analysis.findings)})")
    if not analysis.findings:
        st.success("未发现问题。")
        return
    st.caption("勾选已处理的问题;段号可跳转到原文,“证据与建议”可展开。")
    for severity in SEVERITY_ORDER:
        found = [(i, f) for i, f in enumerate(analysis.findings) if f.severity == severity]
        if not found:
            continue
        st.markdown(f"{md_badge(SEVERITY_ZH[severity], SEVERITY_BADGE[severity])} **严重程度{SEVERITY_ZH[severity]}"
                    f"({len(found)})**")
        for i, finding in found:
            # a short label (Streamlit cuts long ones); the whole message is in the card below it
            st.checkbox(md_escape(f"{KIND_ZH.get(finding.kind, finding.kind)} · {where(finding.location)}"),
                        key=f"finding-{key[:12]}-{i}")
            st.html(finding_card_html(finding))


def show_parts(analysis: Analysis) -> None:
    from app_support.highlight import parts_html

    if analysis.parts:
        st.subheader("报告必备内容")
        st.html(parts_html(analysis.parts))


def show_sections(analysis: Analysis) -> None:
    from app_support.highlight import elements_html
    from app_support.labels import STATUS_BADGE, STATUS_ZH, md_badge, percent
    from app_support.text import md_escape

    st.subheader("各部分要素与证据")
    for number, s in enumerate(analysis.sections, start=1):
        found = sum(e.found for e in s.elements)
        label = (f"{md_badge(STATUS_ZH[s.status], STATUS_BADGE[s.status])} "
                 + md_escape(f"{number}. {s.name} · 占比 {percent(s.share)}"
                             + (f" · 已见要素 {found}/{len(s.elements)}" if s.elements else "")))
        with st.expander(label):
            numbers = "、".join(str(i + 1) for i in s.paragraphs) or "无"
            st.caption(f"{s.chars} 字 · 具体度 {percent(s.specificity, digits=0)} · "
                       f"套话比例 {percent(s.boilerplate_ratio, digits=0)} · 段落:第{numbers}段")
            st.html(elements_html(s.elements))


# ---------------------------------------------------------------- 批量 page


def page_batch() -> None:
    from app_support.batch import (
        batch_table,
        element_names,
        element_table,
        error_table,
        expand_uploads,
        run_batch,
        section_names,
        table_csv,
        table_xlsx,
    )

    st.title("批量分析")
    choices = framework_choices()
    framework = st.selectbox("对照框架", list(choices), format_func=choices.get, key="batch_framework")
    files = st.file_uploader("上传多个报告文件,或一个 zip 压缩包", type=UPLOAD_TYPES + ["zip"],
                             accept_multiple_files=True, key="batch_upload")
    if not files:
        st.info("上传后,每份报告一行,问题最多的排在最前;各部分的状态以文字(已覆盖 / 单薄 / 缺失)标出,"
                "出错的文件单独列在“出错的文件”页签中。")
        return
    uploads = expand_uploads((f.name, f.getvalue()) for f in files)
    progress = st.progress(0.0, text="准备分析……")

    def on_progress(done: int, total: int, name: str) -> None:
        progress.progress(done / max(total, 1), text=f"{done}/{total} {name}" if name else f"完成 {total} 份")

    rows = run_batch(uploads, lambda name, data: analyze_bytes(data, name, framework), on_progress=on_progress)
    failed = sum(row.analysis is None for row in rows)
    if failed:
        st.warning(f"{len(rows)} 份中 {failed} 份未能分析,原因见“出错的文件”页签;其余已完成。")
    else:
        st.success(f"已完成 {len(rows)} 份报告。")
    table, errors, sections = batch_table(rows), error_table(rows), section_names(rows)
    elements, element_ids = element_table(rows), element_names(rows)
    results_tab, errors_tab, elements_tab = st.tabs(
        [f"结果({len(table)},问题最多的在前)", f"出错的文件({len(errors)})", "按要素查看"])
    with results_tab:
        column_config = {
            "发文单位 · 年度": st.column_config.TextColumn(pinned=True),
            "缺失任务": st.column_config.TextColumn(width="medium"),
            "套话比例": st.column_config.NumberColumn(format="percent"),
            "每千字数据": st.column_config.NumberColumn(format="%.1f"),
        }
        st.dataframe(table, hide_index=True, column_config=column_config, key="batch_table")
    with errors_tab:
        if errors.empty:
            st.success("所有文件均已分析。")
        else:
            st.dataframe(errors, hide_index=True, key="batch_errors",
                         column_config={"原因": st.column_config.TextColumn(width="large")})
    with elements_tab:
        st.caption("每份报告对照框架的具体举措:“已见”为报告中有证据,“未见”为没有;空白为该框架不含此要素。")
        st.dataframe(elements, hide_index=True, key="batch_elements")
    left, right = st.columns(2)
    left.download_button("下载 CSV", table_csv(table), file_name="批量分析.csv", mime="text/csv",
                         on_click=_confirm("批量分析.csv"), key="dl_batch_csv")
    right.download_button("下载 Excel", table_xlsx(table, elements=elements, errors=errors,
                                                  names=sections | element_ids),
                          file_name="批量分析.xlsx", on_click=_confirm("批量分析.xlsx"), key="dl_batch_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---------------------------------------------------------------- 比较 page


@st.cache_data(show_spinner=False)
def sample_corpus():
    from app_support.corpus import corpus_reports

    return corpus_reports()


def page_compare() -> None:
    st.title("多份报告比较")
    source = st.radio("报告来源", ["示例语料", "上传文件"], horizontal=True, key="compare_source")
    items = compare_sample() if source == "示例语料" else compare_uploads()
    if len(items) < 2:
        st.info("请至少选择两份报告进行比较。")
        return
    show_comparison(items)


def compare_sample() -> list:
    from app_support.compare import CompareItem

    reports = sample_corpus()
    by_label = {r.label: r for r in reports}
    issuers = [r.issuer for r in reports]
    several_years = [r.label for r in reports if issuers.count(r.issuer) > 1]
    everything = st.checkbox(f"使用全部 {len(reports)} 份示例报告", key="compare_all")
    chosen = list(by_label) if everything else st.multiselect(
        "选择报告(默认:有多个年度的单位)", list(by_label), default=several_years, key="compare_pick")
    items, progress = [], st.progress(0.0, text="正在分析所选报告……")
    for done, label in enumerate(chosen, start=1):
        report = by_label[label]
        try:
            analysis = analyze_bytes(report.text.encode("utf-8"), f"{report.id}.txt")
        except Exception as exc:  # noqa: BLE001
            show_failure(label, exc)
            continue
        items.append(CompareItem(label, report.issuer, report.year, analysis))
        progress.progress(done / len(chosen), text=f"{done}/{len(chosen)}")
    progress.empty()
    return items


def compare_uploads() -> list:
    from app_support.compare import CompareItem

    files = st.file_uploader("上传两份以上报告", type=UPLOAD_TYPES, accept_multiple_files=True, key="compare_upload")
    analysed = []
    for f in files or []:
        try:
            analysed.append((f.name, analyze_bytes(f.getvalue(), f.name)))
        except Exception as exc:  # noqa: BLE001
            show_failure(f.name, exc)
    if not analysed:
        return []
    import pandas as pd

    st.caption("发文单位和年度取自报告本身;如未识别或有误,可直接在表中修改。")
    edited = st.data_editor(
        pd.DataFrame({"文件": [n for n, _ in analysed],
                      "发文单位": [a.metadata.issuer or n for n, a in analysed],
                      "年度": [a.metadata.year for _, a in analysed]}),
        disabled=["文件"], hide_index=True, key="compare_meta",
        column_config={"年度": st.column_config.NumberColumn(min_value=1990, max_value=2100, step=1, format="%d")})
    return [
        CompareItem(name, str(row["发文单位"]), None if pd.isna(row["年度"]) else int(row["年度"]), analysis)
        for (name, analysis), (_, row) in zip(analysed, edited.iterrows())
    ]


def show_comparison(items: list) -> None:
    from analyzer.compare.tables import group_summary
    from app_support import compare

    reports = compare.report_table(items)
    st.subheader("概览")
    from analyzer.compare.tables import framework_names

    frameworks = framework_names()
    shown = reports[list(compare.REPORT_COLUMNS)].assign(
        level=reports["level"].map(compare.LEVEL_ZH), framework=reports["framework"].map(lambda f: frameworks.get(f, f)))
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(shown.rename(columns=compare.REPORT_COLUMNS), hide_index=True, key="compare_table",
                 column_config={"覆盖率": percent, "套话比例": percent, "具体句子占比": percent,
                                "每千字数据": st.column_config.NumberColumn(format="%.1f"),
                                "年度": st.column_config.NumberColumn(format="%d")})
    by = st.segmented_control("汇总方式", ["year", "issuer", "level"], default="year", key="compare_by",
                              format_func={"year": "按年度", "issuer": "按单位", "level": "按层级"}.get)
    with st.expander("分组汇总(各组平均值)"):
        st.dataframe(compare.group_table(group_summary(reports, by=by or "year")), hide_index=True)
    st.subheader("各部分篇幅随年度变化")
    st.caption("各部分按共同口径(2015–2020 纲要的 S1–S7)归并;2021 年后新增的应急(P6)、数字政府(P9)单列。")
    st.altair_chart(compare.emphasis_chart(compare.emphasis_frame(items)))
    left, right = st.columns(2)
    with left:
        st.subheader("覆盖率随年度变化")
        st.altair_chart(compare.yearly_chart(reports, field="section_coverage", title="已覆盖部分比例"))
    with right:
        st.subheader("套话比例随年度变化")
        st.altair_chart(compare.yearly_chart(reports, field="boilerplate_ratio", title="套话比例"))
    st.subheader("同一单位逐年雷同情况")
    copying = compare.copying_table(items)
    if copying.empty:
        st.info("所选报告中没有同一单位不同年度的报告,无法比较逐年雷同。")
        return
    st.altair_chart(compare.copying_chart(copying))
    st.dataframe(copying[["issuer", "pair", "copied_share", "copied_sentences", "earlier", "later"]].rename(columns={
        "issuer": "发文单位", "pair": "年度", "copied_share": "雷同比例", "copied_sentences": "雷同句数",
        "earlier": "上一份报告", "later": "本份报告"}),
        hide_index=True, key="copying_table", column_config={"雷同比例": percent})


# ---------------------------------------------------------------- frame


def main() -> None:
    st.set_page_config(page_title="法治政府建设报告审阅", page_icon=":material/balance:", layout="wide")
    from app_support.highlight import CSS

    st.html(CSS + PAGE_CSS)
    slugs = {slug: title for title, slug in PAGES.items()}
    start = slugs.get(st.query_params.get("page", ""), "分析")
    with st.sidebar:
        st.markdown("### 法治政府建设报告审阅")
        page = st.radio("页面", list(PAGES), index=list(PAGES).index(start), key="page")
        st.caption("对照法治政府建设实施纲要,检查年度报告各部分是否齐全、要素是否有据、有无套话和照抄。"
                   "上传的文件只在内存中处理,不会保存。")
    st.query_params["page"] = PAGES[page]
    {"分析": page_analyze, "批量": page_batch, "比较": page_compare}[page]()


main()
