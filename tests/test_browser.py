"""The app in a real browser: Debian's Chromium, driven by Playwright, against ``streamlit run app.py``."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SEED_SECTIONS = ["依法全面履行政府职能", "完善依法行政制度体系", "推进行政决策科学化、民主化、法治化",
                 "坚持严格规范公正文明执法", "强化对行政权力的制约和监督", "依法有效化解社会矛盾纠纷",
                 "加强组织保障和落实机制建设"]
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
START_TIMEOUT = 90  # seconds for the server to answer its health check
RESULT_TIMEOUT = 120_000  # ms for an analysis to appear (the first one loads the model)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"streamlit did not answer on {url} within {START_TIMEOUT} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium and fonts-wqy-microhei (.ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("streamlit") / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],  # edits to the tree during a run must not prompt a rerun
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
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


def _upload_and_wait(page, url: str, file: Path) -> None:
    """Open the app, upload ``file`` through the page's uploader, and wait for its analysis."""
    page.goto(url)
    sample_note = page.get_by_text("尚未上传报告")
    sample_note.wait_for(timeout=RESULT_TIMEOUT)  # the bundled sample is shown first
    page.locator("input[type=file]").first.set_input_files(str(file))
    sample_note.wait_for(state="detached", timeout=RESULT_TIMEOUT)
    page.get_by_text("问题清单").first.wait_for(timeout=RESULT_TIMEOUT)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="detached", timeout=RESULT_TIMEOUT)


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


def test_excel_download_is_built_on_click(page, server, seed_path):
    from openpyxl import load_workbook

    _upload_and_wait(page, server, seed_path)
    with page.expect_download(timeout=RESULT_TIMEOUT) as download:
        page.get_by_role("button", name="下载 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))  # the path has no suffix
    assert book.sheetnames == ["概览", "sections", "paragraphs", "findings"]


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
