"""The command line: JSON on the seed, one clear sentence and exit 2 on bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from builders import make_pdf


def run(*args, env=None):
    import os

    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "analyzer.cli", *args], capture_output=True, text=True, env=full_env)


def test_analyze_seed_json(seed_path):
    proc = run("analyze", str(seed_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["framework"] == "fzzf-2015"
    assert [s["id"] for s in data["sections"] if s["status"] != "missing"] == [f"S{i}" for i in range(1, 8)]
    meta = data["metadata"]
    assert (meta["recipient"], meta["issuer"], meta["date"], meta["year"]) == ("市法制局", "阳江市科学技术局", "2017-11-09", 2017)
    assert (meta["doc_numbers"], meta["doc_numbers_cited"]) == ([], ["阳法通[2017]32号"])  # cited, not its own
    labels = {p["section"] for p in data["paragraphs"]}
    assert {"PROBLEMS", "NEXT", "INTRO", "META"} <= labels
    first = data["paragraphs"][0]
    assert set(first) >= {"index", "text", "section", "is_heading", "heading"}


def test_analyze_markdown_to_file(seed_path, tmp_path):
    out = tmp_path / "seed.md"
    proc = run("analyze", str(seed_path), "--format", "md", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "依法全面履行政府职能" in out.read_text(encoding="utf-8")


def test_the_quick_exit_delivers_every_output(seed_path, tmp_path):
    """``main`` skips the interpreter's teardown after ``analyze``: nothing written may be lost,
    neither a table written to a file nor a long JSON on a pipe, and the exit code stays 0."""
    table = tmp_path / "seed.txt"
    proc = run("analyze", str(seed_path), "--out", str(table))
    assert proc.returncode == 0, proc.stderr
    written = table.read_text(encoding="utf-8")
    assert "落实机制建设" in written and written.rstrip().endswith("未能识别标题")  # the last finding, so all of it
    proc = run("analyze", str(seed_path), "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["version"]  # the whole document arrived
    with_previous = run("analyze", str(seed_path), "--previous", str(seed_path), "--format", "json")
    assert json.loads(with_previous.stdout)["stats"]["copied_share"] > 0.9


def _bad_inputs(tmp_path, seed_paragraphs):
    cases = {
        "empty.txt": b"",
        "junk.txt": bytes(range(256)) * 40,
        "report.xls": b"whatever",
        "locked.pdf": make_pdf(seed_paragraphs[:4], encrypt_password="pw"),
        "fake.docx": b"not a zip",
        "english.txt": b"This annual report has no Chinese text at all.\n" * 10,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    return list(cases)


@pytest.mark.parametrize("name", ["empty.txt", "junk.txt", "report.xls", "locked.pdf", "fake.docx", "english.txt"])
def test_bad_input_exits_2_with_one_sentence(tmp_path, seed_paragraphs, name):
    _bad_inputs(tmp_path, seed_paragraphs)
    proc = run("analyze", str(tmp_path / name))
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误:") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_oversize_file_exits_2(seed_path):
    proc = run("analyze", str(seed_path), env={"GOVREPORT_MAX_BYTES": "500"})
    assert proc.returncode == 2 and "上限" in proc.stderr


def test_missing_file_exits_2(tmp_path):
    proc = run("analyze", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and "找不到文件" in proc.stderr


def test_frameworks_command_lists_all_three():
    proc = run("frameworks")
    assert proc.returncode == 0
    for framework_id in ("fzzf-2015", "fzzf-2021", "duc-2019"):
        assert framework_id in proc.stdout


def test_help_imports_nothing_heavy():
    code = (
        "import sys; from analyzer.cli.main import app; from typer.testing import CliRunner; "
        "CliRunner().invoke(app, ['--help']); "
        "print(','.join(m for m in ('spacy','sklearn','pandas','duckdb','streamlit','jieba','rjieba') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_errors_are_chinese_with_the_detail_only_when_verbose(seed_paragraphs, tmp_path):
    _bad_inputs(tmp_path, seed_paragraphs)
    plain = run("analyze", str(tmp_path / "locked.pdf"))
    verbose = run("--verbose", "analyze", str(tmp_path / "locked.pdf"))
    assert plain.returncode == verbose.returncode == 2
    assert re.fullmatch(r"错误:[^A-Za-z]+\n", plain.stderr)  # one Chinese sentence, no English
    assert verbose.stderr.startswith(plain.stderr.strip() + "(详情:") and len(verbose.stderr.splitlines()) == 1


def test_help_is_chinese():
    proc = run("analyze", "--help")
    assert "分析一份报告" in proc.stdout and "本单位上一年度报告" in proc.stdout
