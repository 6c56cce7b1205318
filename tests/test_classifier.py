"""The section classifier: fits, pickles into a fresh process, and its numpy serving form agrees."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analyzer.mapping.serving import CompactModel, fold_probabilities
from analyzer.training.classifier import SectionClassifier, to_compact
from analyzer.training.corpus import load_corpus
from analyzer.training.train import golds_from_corpus, structure_of, training_set

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_model():
    reports = [r for r in load_corpus(ROOT / "corpora" / "src") if r.id.endswith(("01", "02", "03", "07"))]
    structures, labels = training_set(golds_from_corpus(reports))
    return SectionClassifier().fit(structures, labels), structures


def test_learned_state_ends_in_underscore(small_model):
    model, _ = small_model
    assert model.classes_ and 0.0 < model.stay_ < 1.0 and hasattr(model, "pipeline_")


def test_pickles_and_predicts_in_a_fresh_process(small_model, tmp_path):
    model, structures = small_model
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(model))
    expected = model.predict_proba(structures[0]).argmax(axis=1).tolist()
    code = (
        "import pickle, sys, json; from analyzer.training.train import structure_of; from analyzer.training.evaluate import Gold;"
        f"m = pickle.load(open({str(path)!r}, 'rb'));"
        "texts = json.loads(sys.stdin.read());"
        "s = structure_of(Gold('x', texts, ['INTRO'] * len(texts), [False] * len(texts)));"
        "print(m.predict_proba(s).argmax(axis=1).tolist())"
    )
    import json

    texts = [p.text for p in structures[0].paragraphs]
    proc = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert proc.stdout.strip() == str(expected)


def test_compact_model_gives_the_same_probabilities(small_model, tmp_path):
    model, structures = small_model
    compact = to_compact(model)
    compact.save(tmp_path / "m.npz")
    loaded = CompactModel.load(tmp_path / "m.npz")
    for structure in structures[:4]:
        np.testing.assert_allclose(loaded.predict_proba(structure), model.predict_proba(structure), atol=1e-6)


def test_folding_counts_the_other_era_towards_its_counterpart():
    classes = ["P2", "S1", "S2", "INTRO"]
    proba = np.array([[0.5, 0.2, 0.2, 0.1]])
    folded = fold_probabilities(proba, classes, ["S1", "S2", "INTRO"])[0]
    assert folded["S1"] == pytest.approx(0.7) and sum(folded.values()) == pytest.approx(1.0)


def test_folding_shares_a_section_that_maps_onto_two_parts():
    """S7 (2015) is the counterpart of both P1 and P10 (2021): each gets half of it."""
    proba = np.array([[0.4, 0.3, 0.3], [0.0, 0.0, 0.0]])
    shared, empty = fold_probabilities(proba, ["S7", "P1", "P10"], ["P1", "P10", "OTHER"])
    assert shared == pytest.approx({"P1": 0.5, "P10": 0.5, "OTHER": 0.0})
    assert empty == {"P1": 0.0, "P10": 0.0, "OTHER": 0.0}  # nothing to share is not a division by zero


def test_structure_of_attaches_tokens():
    from analyzer.training.evaluate import Gold

    texts = ["推进权责清单工作。", "全年办理行政复议案件十二件,依法纠错三件,纠错率达到百分之二十五。"]
    structure = structure_of(Gold("x", texts, ["S1", "S6"], [False, False]))
    assert [w for w, _, _ in structure.paragraphs[0].tokens][:2] == ["推进", "权责清单"]


def _docs(sequences: list[list[str]]):
    """Headingless toy reports (team-written filler text), one paragraph per label."""
    from analyzer.text.structure import parse_structure

    return [parse_structure([f"第{k}项工作按计划完成,共办理事项{k}件。" for k in range(len(row))]) for row in sequences]


def test_closing_labels_are_those_after_which_no_task_is_reported():
    from analyzer.training.classifier import closing_labels

    seven = [["INTRO", "S1", "S2", "PROBLEMS", "NEXT", "NEXT", "OTHER"]] * 5
    rules_2019 = [["INTRO", "S1", "PROBLEMS", "S7", "NEXT", "OTHER"]] * 5  # the 第一责任人 part after the problems
    both = seven + rules_2019
    assert closing_labels(_docs(both), both, min_count=5) == ("NEXT", "OTHER")
    # one report that reports a task after its plan: NEXT no longer closes a report
    back = both + [["INTRO", "NEXT", "S1"]]
    assert closing_labels(_docs(back), back, min_count=5) == ("OTHER",)
    # a label seen too rarely is never called closing (OTHER: 10 paragraphs)
    assert closing_labels(_docs(both), both, min_count=11) == ("NEXT",)
    # OTHER between two tasks in one report (社区矫正): OTHER no longer closes, the plan still does
    mid = both + [["INTRO", "S1", "OTHER", "S2", "NEXT"]]
    assert closing_labels(_docs(mid), mid, min_count=5) == ("NEXT",)


def test_the_sequence_prior_is_fitted_to_how_often_reports_change_task():
    from analyzer.training.classifier import fit_stay

    classes = ["INTRO", "NEXT", "S1", "S2", "S3"]
    changing = [["S1", "S2", "S3", "S1", "S2", "S3"]] * 4
    runs = [["S1", "S1", "S1", "S2", "S2", "S2"]] * 4

    def logits(rows, *, rival):  # the right label leads each paragraph; ``rival(k)`` scores close behind it
        out = np.zeros((len(rows[0]), len(classes)))
        for k, label in enumerate(rows[0]):
            out[k, classes.index(label)] = 2.0
            if rival(k):
                out[k, classes.index(rival(k))] = 3.4 if rival(k) == "S3" else 1.7
        return [out] * len(rows)

    # every paragraph a new task, each scored just above the previous one's: a strong prior would
    # carry the previous task on; a stray S3 score inside long runs: a weak prior would follow it
    # (the share of neighbours keeping their label, ``default``, is what a fit starts from: set it wrong)
    sharp = fit_stay(_docs(changing), changing, logits(changing, rival=lambda k: changing[0][k - 1] if k else None),
                     classes, 1.0, default=0.9)
    noisy = fit_stay(_docs(runs), runs, logits(runs, rival=lambda k: "S3" if k in (1, 4) else None), classes, 1.0,
                     default=0.1)
    assert sharp < 0.9 and noisy > 0.1 and sharp < noisy, (sharp, noisy)


def test_how_reports_open_is_learned_from_their_first_body_paragraph():
    from analyzer.training.classifier import start_probabilities

    sequences = [["INTRO", "S1", "S2"]] * 8 + [["S7", "S1"]] * 2
    start = start_probabilities(_docs(sequences), sequences, ["INTRO", "S1", "S2", "S7"])
    assert start["INTRO"] > start["S7"] > start["S1"] > 0.0  # smoothed: a label never seen first is still possible
    assert abs(sum(start.values()) - 1.0) < 1e-5
