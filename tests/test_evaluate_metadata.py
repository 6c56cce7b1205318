"""Metadata accuracy on a folder of report openings: the issuer match rule, the splits, the command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.training.evaluate_metadata import accepted_forms, evaluate_metadata, issuer_matches, split_of


@pytest.mark.parametrize(
    ("issuer", "predicted"),
    [
        ("泷江市樟湾区人民政府", "泷江市樟湾区人民政府"),
        ("泷江市樟湾区人民政府", "樟湾区人民政府"),
        ("泷江市樟湾区人民政府", "樟湾区政府"),
        ("泷江市樟湾区人民政府", "樟湾区"),
        ("泷江市市场监督管理局", "泷江市市场监管局"),
        ("泷江市樟湾区白鹭街道办事处", "白鹭街道"),
        ("青川藏族自治州水利局", "青川州水利局"),
        ("泷江市人力资源和社会保障局", "泷江市 人社局"),
        ("泷江市樟湾区人力资源和社会保障局", "樟湾区人力社保局"),
    ],
)
def test_accepted_short_forms(issuer, predicted):
    assert issuer_matches(predicted, issuer)


@pytest.mark.parametrize(
    ("issuer", "predicted"),
    [
        ("泷江市樟湾区人民政府", "人民政府"),
        ("泷江市樟湾区人民政府", "区人民政府"),
        ("泷江市市场监督管理局", "市场监督管理局"),
        ("泷江市樟湾区教育局", "教育局"),
        ("泷江市樟湾区教育局", "泷江市教育局"),
        ("泷江市樟湾区教育局", None),
    ],
)
def test_a_bare_organ_or_another_body_is_not_a_match(issuer, predicted):
    assert not issuer_matches(predicted, issuer)


def test_accepted_forms_always_hold_the_full_name():
    assert "青山县白沙镇人民政府" in accepted_forms("青山县白沙镇人民政府")


def test_held_out_ids_are_multiples_of_five():
    assert [split_of(i) for i in ("R005", "R010", "R011", "R004")] == ["held_out", "held_out", "development", "development"]


OPENINGS = {
    # title names issuer and year
    "R001": ("泷江市司法局2023年法治政府建设情况报告\n2023年,我局坚持依法行政。\n一、主要举措和成效", 2023, "泷江市司法局"),
    # the issuer is never named: only "我局"; the year is right
    "R002": ("2022年,我局坚持依法行政,全年办理复议案件9件。\n一、主要举措和成效", 2022, "泷江市水务局"),
    # held out: named in the opening sentence, the expected year is wrong on purpose (the text says 2021)
    "R005": ("2021年,樟湾区坚持依法行政,全年审核文件12件。\n一、主要举措和成效", 2020, "泷江市樟湾区人民政府"),
}


@pytest.fixture
def real_dir(tmp_path):
    (tmp_path / "texts").mkdir()
    rows = ["id\turl\ttitle\tyear_reported\tissuer\tlevel\tlayout"]
    for report_id, (text, year, issuer) in OPENINGS.items():
        (tmp_path / "texts" / f"{report_id}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{report_id}\thttps://example.invalid/{report_id}\t[t]\t{year}\t{issuer}\tcounty\ttopical")
    (tmp_path / "manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path


def test_figures_per_split(real_dir):
    scores = evaluate_metadata(real_dir)
    figures = scores["figures"]
    assert figures["all"] == {"reports": 3, "year_accuracy": 0.667, "issuer_named": 2, "issuer_accuracy": 1.0,
                              "issuer_accuracy_all": 1.0}
    assert figures["held_out"]["reports"] == 1 and figures["held_out"]["year_accuracy"] == 0.0
    assert figures["development"]["year_accuracy"] == 1.0
    unnamed = next(r for r in scores["reports"] if r["id"] == "R002")
    assert not unnamed["issuer_named"] and unnamed["issuer"] is None


def test_one_split_only(real_dir):
    scores = evaluate_metadata(real_dir, split="development")
    assert [r["id"] for r in scores["reports"]] == ["R001", "R002"]


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        evaluate_metadata(tmp_path / "absent")


ROOT = Path(__file__).resolve().parent.parent


def _command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``govreport evaluate-metadata`` from ``cwd`` (elsewhere than the checkout, which stays importable)."""
    script = "import sys; sys.path.insert(0, sys.argv[1]); from analyzer.cli.main import main; sys.argv = sys.argv[1:]; main()"
    return subprocess.run([sys.executable, "-c", script, str(ROOT), "evaluate-metadata", *args],
                          capture_output=True, text=True, cwd=cwd)


def test_command_prints_figures_and_misses(real_dir, tmp_path):
    proc = _command("--real", str(real_dir), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "0.667" in proc.stdout
    assert "R005 年度 2021 ≠ 2020" in proc.stdout


def test_command_without_the_folder_says_so_in_chinese(tmp_path):
    proc = _command(cwd=tmp_path)  # the default ../shared/real does not exist there
    assert proc.returncode == 2
    assert "找不到真实报告文件夹" in proc.stderr
