"""Runtime assets: all shipped in the package, one override, and a named error when one is gone or damaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer import assets

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "real" / "000_1c9e8bbbf8b24faa.txt"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the shipped data folder, made the data folder through GOVREPORT_DATA."""
    copy = tmp_path / "data"
    shutil.copytree(assets.package_dir("data"), copy)
    monkeypatch.setenv(assets.DATA_ENV, str(copy))
    return copy


def test_every_asset_is_inside_the_package():
    package = Path(__file__).resolve().parent.parent / "analyzer"
    for asset in assets.ASSETS:
        path = assets.require(asset)
        assert package in path.parents, f"{asset.name} is outside the package: {path}"
    assert sorted(p.name for p in assets.framework_dir().glob("*.yaml"))


def test_the_override_is_read_at_each_lookup(data_copy):
    assert assets.require(assets.LEXICON) == data_copy / "lexicon" / "boilerplate.yaml"


def test_a_missing_lexicon_names_itself_and_how_to_restore_it(data_copy):
    from analyzer.checks.boilerplate import load_lexicon

    (data_copy / "lexicon" / "boilerplate.yaml").unlink()
    load_lexicon.cache_clear()
    try:
        with pytest.raises(assets.AssetError) as caught:
            load_lexicon()
    finally:
        load_lexicon.cache_clear()
    message = str(caught.value)
    assert "套话词表" in message and "缺失" in message and "恢复方法" in message
    assert str(data_copy / "lexicon" / "boilerplate.yaml") in message


def test_a_damaged_model_is_an_error_not_a_fallback(data_copy):
    from analyzer.mapping import model

    (data_copy / "models" / "section_classifier.npz").write_bytes(b"not a numpy archive")
    model._load.cache_clear()
    try:
        with pytest.raises(assets.AssetError, match="段落分类模型.*已损坏.*govreport train"):
            model.default_scorer()
    finally:
        model._load.cache_clear()


def test_damaged_exemplars_are_an_error(data_copy, monkeypatch):
    from analyzer.checks import exemplars

    monkeypatch.setenv("GOVREPORT_CACHE_DIR", "")
    (data_copy / "exemplars.jsonl").write_text('{"id": "au1", "para": 0\n', encoding="utf-8")
    exemplars.default_index.cache_clear()
    try:
        with pytest.raises(assets.AssetError, match="范例段落.*已损坏.*govreport corpus build"):
            exemplars.default_index()
    finally:
        exemplars.default_index.cache_clear()


def test_the_cli_says_which_asset_is_missing_with_its_own_exit_code(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "analyzer.cli", "--data", str(empty), "analyze", str(SAMPLE)],
                          capture_output=True, text=True, cwd=ROOT, env={**_env(), "GOVREPORT_CACHE_DIR": ""})
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("error: ") and "恢复方法" in done.stderr and str(empty) in done.stderr
    assert "Traceback" not in done.stderr


def test_version_option_prints_the_package_version():
    from analyzer import __version__

    done = subprocess.run([sys.executable, "-m", "analyzer.cli", "--version"], capture_output=True, text=True,
                          cwd=ROOT, env=_env())
    assert done.returncode == 0
    assert done.stdout.strip() == f"govreport {__version__}"


def test_exemplar_file_keeps_authored_body_paragraphs_only(tmp_path):
    from analyzer.checks.exemplars import write_exemplar_file

    labels, reports, out = tmp_path / "labels.jsonl", tmp_path / "reports.jsonl", tmp_path / "ex.jsonl"
    rows = [
        {"id": "au1", "para": 0, "text": "二、推进依法决策", "label": "S3", "is_heading": True},
        {"id": "au1", "para": 1, "text": "全年审查重大决策12件。", "label": "S3", "elements": ["A3.1"]},
        {"id": "au1", "para": 2, "text": "取得了明显成效。", "label": "S3", "boilerplate": ["取得了明显成效。"]},
        {"id": "au1", "para": 3, "text": "特此报告。", "label": "META"},
        {"id": "real1", "para": 1, "text": "全年办理复议案件8件。", "label": "S6"},
    ]
    labels.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    reports.write_text(json.dumps({"id": "au1", "provenance": "authored"}) + "\n"
                       + json.dumps({"id": "real1", "provenance": "real"}) + "\n", encoding="utf-8")
    assert write_exemplar_file(labels, reports, out) == 1
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert kept == [{"id": "au1", "para": 1, "text": "全年审查重大决策12件。", "label": "S3", "elements": ["A3.1"]}]


def test_the_shipped_exemplars_are_built_from_the_current_corpus(tmp_path):
    """`govreport corpus build` was run after the corpus last changed."""
    from analyzer.checks.exemplars import write_exemplar_file

    rebuilt = tmp_path / "exemplars.jsonl"
    write_exemplar_file(ROOT / "corpora" / "labels.jsonl", ROOT / "corpora" / "reports.jsonl", rebuilt)
    assert rebuilt.read_bytes() == assets.require(assets.EXEMPLARS).read_bytes(), "run `govreport corpus build`"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != assets.DATA_ENV}
