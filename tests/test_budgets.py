"""Hostile input within a budget (issue 20): each crafted case, generated here with a fixed seed, ends
in its documented error within the per-document budget, and nothing raw from a report reaches a
terminal or a file.

The budget is set low (2 s, 300 MB) so that these tests are fast and a refusal cannot arrive in
time by luck: before the budget, the same cases took from 6 s to minutes and up to 12 GB.
"""

from __future__ import annotations

import csv
import os
import pty
import select
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from budget_cases import CASES, RAW_CONTROLS, docx_empty_runs, hostile_text

from analyzer.errors import CorruptFile, InputError, Timeout, TooLarge
from analyzer.ingest import ingest_guarded, ingest_text
from analyzer.ingest.budget import run_within_budget
from analyzer.limits import Limits

BUDGET = Limits(max_seconds=2, max_memory_bytes=300 * 2**20)
# Reaping the worker and a loaded machine's scheduling, on top of the budget itself.
SLACK_SECONDS = 1.5
SCALE = 0.1  # a tenth of the reported sizes: still several times over the limit each probes
EXPECTED = {
    "pdf_xref_loop": (CorruptFile, "loop"),
    "docx_empty_runs": (TooLarge, "XML elements"),
    "docx_one_char_runs": (TooLarge, "XML elements"),
    "docx_tabs": (TooLarge, "XML elements"),
    "docx_breaks": (TooLarge, "XML elements"),
    "docx_entity_utf16": (CorruptFile, "declares entities"),
    "docx_entity_odd_name": (CorruptFile, "declares entities"),
}
ROOT = Path(__file__).resolve().parent.parent


def refuse(data: bytes, filename: str, limits: Limits = BUDGET) -> tuple[InputError, float]:
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        ingest_guarded(data, filename=filename, limits=limits)
    return caught.value, time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_case_is_refused_with_its_error_within_the_budget(name):
    generate, suffix, _ = CASES[name]
    error, seconds = refuse(generate(SCALE), f"case{suffix}")
    kind, words = EXPECTED[name]
    assert type(error) is kind and words in str(error)
    assert seconds < BUDGET.max_seconds + SLACK_SECONDS


def test_the_budget_stops_what_the_limits_let_through():
    # With the element limit out of the way python-docx builds a tree of 1.6 M runs: minutes and
    # gigabytes unbounded, a clean Timeout or TooLarge here, through the entry point the app uses.
    from analyzer.pipeline import analyze

    limits = Limits(max_seconds=2, max_memory_bytes=300 * 2**20, max_xml_elements=10**9, max_chars=10**9)
    start = time.perf_counter()
    with pytest.raises((Timeout, TooLarge)):
        analyze(docx_empty_runs(SCALE), filename="runs.docx", limits=limits)
    assert time.perf_counter() - start < limits.max_seconds + SLACK_SECONDS


def test_a_batch_worker_over_the_budget_records_it_and_the_batch_goes_on(tmp_path):
    from analyzer.batch.run import Options, collect_inputs, run_batch
    from analyzer.batch.store import Store

    (tmp_path / "runs.docx").write_bytes(docx_empty_runs(SCALE))
    (tmp_path / "good.txt").write_text(hostile_text(), encoding="utf-8")
    limits = Limits(max_seconds=2, max_memory_bytes=300 * 2**20, max_xml_elements=10**9, max_chars=10**9)
    items, _ = collect_inputs([tmp_path / "runs.docx", tmp_path / "good.txt"])
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(items, store=store, options=Options(limits=limits), jobs=1)
        codes = {row["path"]: row["code"] for row in store.query("SELECT path, code FROM errors")}
    assert report.counts["analysed"] == 1 and report.counts["failed"] == 1
    assert codes[str(tmp_path / "runs.docx")] in ("timeout", "too_large")


def _spin():
    while True:
        pass


def _hog():
    held = []
    while True:
        held.append(bytearray(10**7))


def test_wall_time_over_the_budget_is_a_timeout():
    start = time.perf_counter()
    with pytest.raises(Timeout):
        run_within_budget(_spin, limits=Limits(max_seconds=1))
    assert 1.0 <= time.perf_counter() - start < 1.0 + SLACK_SECONDS


def test_memory_over_the_budget_is_too_large():
    with pytest.raises(TooLarge, match="300 MB of memory"):
        run_within_budget(_hog, limits=Limits(max_seconds=10, max_memory_bytes=300 * 2**20))


def test_an_input_error_in_the_worker_arrives_as_itself():
    with pytest.raises(CorruptFile, match="not a valid zip"):
        ingest_guarded(b"PK\x03\x04 this is no zip archive", filename="broken.docx", limits=BUDGET)


def test_a_good_docx_comes_back_whole_from_the_worker():
    from builders import make_docx

    paragraphs = ["某市人民政府2021年度法治政府建设情况报告", "一、依法全面履行政府职能", "全年办理行政复议案件12件,全部按期办结。"]
    document = ingest_guarded(make_docx(paragraphs), filename="good.docx", limits=BUDGET)
    assert document.paragraphs == paragraphs and document.source_format == "docx"


def test_control_characters_are_removed_at_ingestion_and_counted():
    document = ingest_text(hostile_text())
    text = "\n".join(document.paragraphs)
    assert not any(raw in text for raw in RAW_CONTROLS)
    # two ESC (clear screen), two ESC and two BEL (the link), C1 CSI, NUL, RLO and PDF
    assert document.removed_controls == 10


def test_the_result_says_how_many_control_characters_were_removed():
    from analyzer.pipeline import analyze

    analysis = analyze(hostile_text())
    assert analysis.source.removed_controls == 10
    assert not any(raw in analysis.to_json() for raw in RAW_CONTROLS)


# ----------------------------------------------------------------------------- the terminal
def run_in_pty(args: list[str], *, cwd: Path, timeout: float = 120) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as its stdout and stderr (Rich then writes as to a user)."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="160", LINES="50", PYTHONPATH=str(ROOT))
    env.pop("NO_COLOR", None)
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "analyzer.cli", *args], stdin=subprocess.DEVNULL,
                            stdout=terminal, stderr=terminal, cwd=cwd, env=env)
    os.close(terminal)
    output = bytearray()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            output += chunk
        elif proc.poll() is not None:
            break
    os.close(controller)
    code = proc.wait(timeout=10)
    return code, output.decode("utf-8", "replace")


def assert_nothing_raw(output: str) -> None:
    assert "Traceback" not in output and "MarkupError" not in output
    assert "\x1b[2J" not in output and "\x1b[H" not in output and "\x1b]8" not in output
    assert not any(raw in output for raw in ("\x9b", "\x00", "\u202e", "\u202c", "\x07"))


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "报告[red]\u202e.txt"
    path.write_text(hostile_text(), encoding="utf-8")
    return path


def test_table_output_shows_markup_and_escapes_as_text_on_a_terminal(hostile_report):
    code, output = run_in_pty(["analyze", str(hostile_report)], cwd=hostile_report.parent)
    assert code == 0, output
    assert_nothing_raw(output)
    assert "[/]" in output or "[red]" in output  # the issuer's or file name's brackets are shown, not obeyed


def test_markdown_escapes_html_and_holds_no_control_characters(hostile_report, tmp_path):
    out = tmp_path / "result.md"
    code, output = run_in_pty(["analyze", str(hostile_report), "--format", "md", "--out", str(out)],
                              cwd=hostile_report.parent)
    assert code == 0, output
    markdown = out.read_text(encoding="utf-8")
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert_nothing_raw(markdown)


# ----------------------------------------------------------------------------- batch inputs
@pytest.fixture()
def hostile_folder(tmp_path, hostile_report) -> Path:
    folder = tmp_path / "in[/red]" / "[/]"
    folder.mkdir(parents=True)
    (folder / "good.txt").write_text(hostile_text(), encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the input folder", encoding="utf-8")
    (folder / "outside.txt").symlink_to(outside)
    (folder / "gone.txt").symlink_to(tmp_path / "nothing-here.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "null.txt").symlink_to("/dev/null")
    return folder


def test_batch_lists_every_skipped_entry_and_never_blocks(hostile_folder, tmp_path):
    summary, workbook = tmp_path / "sum.csv", tmp_path / "sum.xlsx"
    fifo_named = hostile_folder / "pipe.txt"
    args = ["batch", str(hostile_folder), str(fifo_named), "/dev/zero", "--db", str(tmp_path / "r.duckdb"),
            "--csv", str(summary), "--xlsx", str(workbook), "--jobs", "99999999999999999999"]
    code, output = run_in_pty(args, cwd=tmp_path, timeout=180)
    assert code == 1, output  # skipped entries count as failed files
    assert_nothing_raw(output)
    assert "--jobs 99999999999999999999 已降为 1" in output
    with open(summary, encoding="utf-8-sig", newline="") as fh:
        rows = {Path(row["file"]).name: row for row in csv.DictReader(fh)}
    errors = {name: row["error"].split(":")[0] for name, row in rows.items() if row["status"] == "failed"}
    assert errors == {"pipe.txt": "not_regular_file", "outside.txt": "link_outside", "gone.txt": "broken_link",
                      "loop.txt": "link_loop", "null.txt": "link_outside", "zero": "not_regular_file"}
    assert rows["good.txt"]["status"] == "analysed"
    assert str(hostile_folder) in rows["good.txt"]["file"]  # the path as given, not resolved
    assert zipfile.is_zipfile(workbook)


def test_follow_links_reads_a_link_out_of_the_folder(hostile_folder):
    from analyzer.batch.run import collect_inputs

    items, _ = collect_inputs([hostile_folder], follow_links=True)
    outside = next(item for item in items if item.name == "outside.txt")
    assert outside.error is None and outside.path == str(hostile_folder / "outside.txt")


def test_jobs_are_capped_by_cores_and_files():
    from analyzer.batch.run import cap_jobs, default_jobs

    assert cap_jobs(10**20, files=1) == (1, cap_jobs(10**20, files=1)[1]) and "已降为 1" in cap_jobs(10**20, files=1)[1]
    assert cap_jobs(None, files=1000)[0] == default_jobs()
    assert cap_jobs(1, files=1000) == (1, None)


# ----------------------------------------------------------------------------- outputs
def test_bad_output_paths_are_refused_before_the_analysis(hostile_report, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    for target in (tmp_path / "missing" / "out.json", tmp_path):
        proc = subprocess.run([sys.executable, "-m", "analyzer.cli", "analyze", str(hostile_report), "--format", "json",
                               "--out", str(target)], capture_output=True, text=True, env=env)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.count("\n") == 1 and "无法写入" in proc.stderr
    afile = tmp_path / "a-file"
    afile.write_text("x")
    proc = subprocess.run([sys.executable, "-m", "analyzer.cli", "compare", str(hostile_report.parent),
                           "--out", str(afile)], capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and "无法写入" in proc.stderr and afile.read_text() == "x"
    assert time.perf_counter() - started < 60


def test_formula_starts_are_neutralised_in_every_text_column(tmp_path):
    from openpyxl import load_workbook

    from analyzer.batch.summary import COLUMNS, write_csv, write_xlsx

    starts = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]
    rows = [{key: (start if kind == "text" else None) for key, _, kind in COLUMNS} for start in starts]
    write_csv(rows, tmp_path / "s.csv")
    write_xlsx(rows, tmp_path / "s.xlsx")
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as fh:
        body = list(csv.reader(fh))[1:]
    text_columns = [i for i, (_, _, kind) in enumerate(COLUMNS) if kind == "text"]
    assert len(text_columns) >= 5  # status, file, issuer, framework, findings, error, sha256
    for line, start in zip(body, starts):
        assert all(line[i] == "'" + start for i in text_columns)
    sheet = load_workbook(tmp_path / "s.xlsx").active
    for row, start in zip(sheet.iter_rows(min_row=2), starts):
        for i in text_columns:
            assert row[i].data_type == "s" and row[i].value.lstrip("\t\r\n") == start.lstrip("\t\r")
