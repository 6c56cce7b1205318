"""``govreport evaluate`` works on any file in the label format, with and without headings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.training.corpus import label_rows, load_corpus
from analyzer.training.evaluate import read_label_file, score_labels, strip_headings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def label_file(tmp_path_factory):
    reports = [r for r in load_corpus(ROOT / "corpora" / "src") if r.id in ("seed-000", "au301")]
    path = tmp_path_factory.mktemp("labels") / "labels.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for report in reports:
            for row in label_rows(report):
                keep = {k: row[k] for k in ("id", "para", "text", "label", "heading", "is_heading")}
                fh.write(json.dumps(keep, ensure_ascii=False) + "\n")
    return path


def _run(*args):
    return subprocess.run([sys.executable, "-m", "analyzer.cli", "evaluate", *args], capture_output=True, text=True,
                          cwd=ROOT)


def test_evaluate_prints_metrics_and_confusion(label_file):
    proc = _run(str(label_file))
    assert proc.returncode == 0, proc.stderr
    assert "macro-F1 (sections)" in proc.stdout and "confusion" in proc.stdout


def test_evaluate_json_with_stripped_headings(label_file):
    proc = _run(str(label_file), "--strip-headings", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["reports"] == 2 and not data["skipped"]
    assert data["paragraphs"] == sum(1 for g in read_label_file(label_file) for h in g.is_heading if not h)
    assert 0.0 <= data["macro_f1_sections"] <= 1.0


def test_malformed_label_file_exits_2(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "para": 0}\nnot json\n', encoding="utf-8")
    proc = _run(str(bad))
    assert proc.returncode == 2 and proc.stderr.startswith("错误:")


def test_strip_headings_drops_heading_rows(label_file):
    gold = read_label_file(label_file)[0]
    stripped = strip_headings(gold)
    assert len(stripped.texts) == gold.is_heading.count(False) and not any(stripped.is_heading)


def test_scores_on_a_known_example():
    scores = score_labels(["S1", "S1", "S2", "INTRO"], ["S1", "S2", "S2", "INTRO"])
    assert scores.per_label["S1"]["recall"] == 0.5 and scores.per_label["S2"]["precision"] == 0.5
    assert scores.macro_f1_sections == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert scores.accuracy == 0.75


def test_outline_parts_fold_onto_the_2015_scale_from_the_framework_files():
    from analyzer.training.evaluate import to_scale

    # P2 (government functions) is S1, P10 (leadership) is S7; P6 has no 2015 counterpart and stays.
    assert to_scale(["P2", "P10", "P6", "S3", "INTRO", "META"]) == ["S1", "S7", "P6", "S3", "INTRO", "META"]


def test_real_split_is_fixed_grouped_and_stratified(tmp_path):
    from analyzer.training.evaluate import read_real_dir, split_real

    rows, manifest = [], ["id\tyear_reported\tlayout"]
    for k in range(12):
        rid, layout = f"X{k:02d}", ("topical" if k % 2 else "duc2019")
        manifest.append(f"{rid}\t2024\t{layout}")
        for para, label in enumerate(("META", "INTRO", "S7")):
            rows.append({"id": rid, "para": para, "text": f"第{k}份报告第{para}段", "label": label,
                         "heading": None, "is_heading": False})
    (tmp_path / "labels.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (tmp_path / "manifest.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    golds = read_real_dir(tmp_path)
    train, held_out = split_real(golds)
    assert {g.report for g in train}.isdisjoint({g.report for g in held_out})
    assert len(train) + len(held_out) == 12 and all(len(g.texts) == 3 for g in held_out)
    assert {g.layout for g in held_out} == {"topical", "duc2019"}  # every layout is represented
    assert [g.report for g in split_real(read_real_dir(tmp_path))[1]] == [g.report for g in held_out]
