"""The app in a real browser: Debian's Chromium, driven by Playwright, against ``streamlit run app.py``."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from appserver import free_port, stop, wait_healthy

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEED_SECTIONS = ["依法全面履行政府职能", "完善依法行政制度体系", "推进行政决策科学化、民主化、法治化",
                 "坚持严格规范公正文明执法", "强化对行政权力的制约和监督", "依法有效化解社会矛盾纠纷",
                 "加强组织保障和落实机制建设"]
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots kept for CI (gitignored)
VIEWPORTS = [(1440, 900), (1024, 768)]
# Emoji and the pictographs that need an emoji font (status must never depend on them).
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")
# Latin words a page of ours may show: file formats, product names, and Streamlit's own uploader and menu.
ALLOWED_LATIN = {"docx", "pdf", "txt", "html", "htm", "zip", "text", "DOCX", "PDF", "TXT", "HTML", "HTM", "ZIP",
                 "JSON", "Markdown", "Excel", "Word", "OCR", "govreport", "GOVREPORT", "MB", "Upload", "per", "file",
                 "Browse", "files", "Drag", "and", "drop", "here", "Limit", "Deploy"}
RESULT_TIMEOUT = 120_000  # ms for an analysis to appear (the first one loads the model)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium and fonts-wqy-microhei (.ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("streamlit") / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],  # edits to the tree during a run must not prompt a rerun
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(url, process)
        yield url
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def _upload_and_wait(page, url: str, file: Path) -> float:
    """Open the app, upload ``file`` through the page's uploader, wait for its analysis, and log the
    seconds from the upload to the results in ``tests/artifacts/timings.tsv`` (a log, never asserted:
    speed is judged by ``benchmarks/bench_app.py``)."""
    page.goto(url)
    sample_note = page.get_by_text("尚未上传报告")
    sample_note.wait_for(timeout=RESULT_TIMEOUT)  # the bundled sample is shown first
    started = time.perf_counter()
    page.locator("input[type=file]").first.set_input_files(str(file))
    sample_note.wait_for(state="detached", timeout=RESULT_TIMEOUT)
    page.get_by_text("问题清单").first.wait_for(timeout=RESULT_TIMEOUT)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="detached", timeout=RESULT_TIMEOUT)
    seconds = time.perf_counter() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "timings.tsv").open("a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')}\tupload->results\t{file.name}\t"
                  f"{len(file.read_text(encoding='utf-8'))}\t{seconds:.3f}\n")
    return seconds


def _full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its own container: grow the viewport to the content, then shoot."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMainBlockContainer]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 200, 12_000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)


def test_uploaded_seed_shows_sections_and_boilerplate(page, server, seed_path, tmp_path):
    _upload_and_wait(page, server, seed_path)
    expanders = page.locator("[data-testid=stExpander] summary")
    for name in SEED_SECTIONS:
        label = expanders.filter(has_text=name).first
        label.scroll_into_view_if_needed()
        assert label.is_visible(), name
    highlight = page.locator("mark.gr-bp").first
    highlight.scroll_into_view_if_needed()
    assert highlight.is_visible()
    assert page.get_by_text("尚未上传报告").count() == 0
    shot = tmp_path / "analyze-seed.png"
    _full_page_screenshot(page, shot)
    assert shot.stat().st_size > 50_000
    assert not page.dialogs


def test_a_long_report_uploaded_twice_shows_its_own_results(page, server, tmp_path):
    """A 10,000-character report (corpus reports joined) is analysed and shown, and again when the
    server is warm; both upload → results times go to the timing log."""
    paragraphs = []
    for source in sorted((ROOT / "corpora" / "src").glob("au1*.txt")):
        paragraphs += [line.split(" | ", 1)[1] for line in source.read_text(encoding="utf-8").splitlines()
                       if " | " in line and not line.startswith("META")]
        if len("\n".join(paragraphs)) >= 10_000:
            break
    report = tmp_path / "long-report.txt"
    report.write_text("某市2023年法治政府建设情况报告\n" + "\n".join(paragraphs)[:10_000], encoding="utf-8")
    for _ in range(2):
        _upload_and_wait(page, server, report)
        assert page.get_by_text("某市2023年法治政府建设情况报告").count() > 0
    lines = (ARTIFACTS / "timings.tsv").read_text(encoding="utf-8").splitlines()
    assert sum("long-report.txt" in line for line in lines[-2:]) == 2


def test_excel_download_is_built_on_click(page, server, seed_path):
    from openpyxl import load_workbook

    _upload_and_wait(page, server, seed_path)
    with page.expect_download(timeout=RESULT_TIMEOUT) as download:
        page.get_by_role("button", name="下载 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))  # the path has no suffix
    assert book.sheetnames[:4] == ["概览", "各部分", "段落", "问题"]


def test_markup_in_a_report_shows_as_text_and_runs_nothing(page, server, seed_path, tmp_path):
    draft = tmp_path / "draft.txt"
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, f"我局在门户网站发现{XSS[0]}和{XSS[1]}两段代码,已全部清理。")
    draft.write_text("\n".join(lines), encoding="utf-8")
    _upload_and_wait(page, server, draft)
    for snippet in XSS:
        shown = page.get_by_text(snippet, exact=False).first
        shown.scroll_into_view_if_needed()
        assert shown.is_visible(), snippet
    assert page.locator("img[src=x]").count() == 0
    page.wait_for_timeout(1000)  # give an injected handler the chance to fire
    assert not page.dialogs
    _full_page_screenshot(page, tmp_path / "analyze-markup.png")


def _shot(page, name: str) -> Path:
    """A screenshot of the visible window under tests/artifacts/ (kept by CI)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def _main_text(page) -> str:
    """The text of our part of the page: the main block without Streamlit's uploader widgets and the report text."""
    return page.evaluate("""() => {
        const main = document.querySelector('[data-testid=stMainBlockContainer]').cloneNode(true);
        main.querySelectorAll('[data-testid=stFileUploader], .gr-para, .gr-quote, details, style, script, svg, canvas')
            .forEach(e => e.remove());
        return main.innerText;
    }""")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_analysis_page_reads_in_chinese_with_numbered_paragraphs(browser, server, seed_path, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        _upload_and_wait(page, server, seed_path)
        title = page.get_by_role("heading", name="法治政府建设情况报告 · 分析")
        box = title.bounding_box()
        assert box and box["y"] >= 48 and box["x"] + box["width"] <= width  # below the fixed header, not cut
        review = page.get_by_role("button", name="下载审阅报告(HTML,可打印为 PDF)")
        assert review.bounding_box()["y"] + 40 <= height  # the main download is on the first screen
        _shot(page, f"analyze-top-{width}x{height}.png")
        text = page.evaluate("() => document.body.innerText")
        assert not EMOJI.findall(text), EMOJI.findall(text)  # statuses are words, not emoji
        for status in ("已覆盖", "单薄", "已见", "未见", "已具备"):
            assert status in text, status
        latin = set(re.findall(r"[A-Za-z]{2,}", _main_text(page))) - ALLOWED_LATIN
        assert not latin, latin  # no English UI string of ours
        for name in SEED_SECTIONS:  # whole section names, never cut with an ellipsis
            label = page.locator("[data-testid=stExpander] summary").filter(has_text=name).first
            assert label.is_visible() and "…" not in label.inner_text(), name
        fifth = page.locator("#gr-p5")
        fifth.scroll_into_view_if_needed()
        assert fifth.is_visible() and fifth.inner_text().startswith("第5段")
        link = page.locator('.gr-finding a[href="#gr-p5"]').first
        link.scroll_into_view_if_needed()
        page.evaluate("() => window.scrollTo(0, 0)")
        link.click()
        page.wait_for_timeout(500)
        assert fifth.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
        _shot(page, f"analyze-link-{width}x{height}.png")
    finally:
        context.close()


def test_review_report_download_is_confirmed_and_self_contained(page, server, seed_path):
    _upload_and_wait(page, server, seed_path)
    with page.expect_download(timeout=RESULT_TIMEOUT) as download:
        page.get_by_role("button", name="下载审阅报告(HTML,可打印为 PDF)").click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".审阅报告.html")
    assert "<script" not in html and SEED_SECTIONS[0] in html
    page.get_by_text("已生成").first.wait_for(timeout=10_000)  # the download is confirmed on the page


def test_batch_page_at_1024_puts_the_key_figures_first(browser, server, seed_path, tmp_path):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{server}/?page=batch")
        page.get_by_text("上传多个报告文件").first.wait_for(timeout=RESULT_TIMEOUT)
        broken = tmp_path / "损坏的文件.docx"
        broken.write_bytes(b"not a zip")
        page.locator("input[type=file]").first.set_input_files([str(seed_path), str(broken)])
        page.get_by_text("份未能分析").first.wait_for(timeout=RESULT_TIMEOUT)
        page.locator("[data-testid=stStatusWidget]").wait_for(state="detached", timeout=RESULT_TIMEOUT)
        page.wait_for_timeout(1000)
        _shot(page, "batch-1024x768.png")
        assert page.get_by_role("tab", name=re.compile("出错的文件")).is_visible()
        text = page.evaluate("() => document.body.innerText")
        assert not EMOJI.findall(text)
    finally:
        context.close()


def test_compare_chart_html_draws_with_the_network_blocked(browser, tmp_path):
    """The HTML chart of ``govreport compare`` carries its scripts: it draws on an air-gapped PC."""
    import pandas as pd

    from analyzer.compare.tables import metrics_chart, save_chart

    groups = pd.DataFrame({"year": [2019, 2020], "reports": [2, 3], "section_coverage": [0.5, 0.0],
                           "boilerplate_ratio": [0.2, 0.3]})
    html_path, png_path = save_chart(metrics_chart(groups), tmp_path / "metrics")
    html = html_path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)  # nothing fetched
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    requests: list[str] = []

    def block(route):
        requests.append(route.request.url)
        return route.continue_() if route.request.url.startswith("file:") else route.abort()

    context.route("**/*", block)
    page = context.new_page()
    try:
        page.goto(html_path.as_uri())
        drawn = page.locator("canvas, svg.marks").first
        drawn.wait_for(timeout=20_000)
        assert drawn.bounding_box()["width"] > 200
        assert not [url for url in requests if not url.startswith(("file:", "data:"))]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "compare-chart-offline.png"))
        spec = json.dumps(metrics_chart(groups).to_dict(), ensure_ascii=False)
        assert "各项指标" in spec and "已覆盖部分比例" in spec
    finally:
        context.close()
