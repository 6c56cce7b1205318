"""Evaluate section mapping on any labelled file: reassemble each report, run the full pipeline,
compare paragraph labels.

The input is JSONL with one row per paragraph: ``{"id", "para", "text", "label", "heading",
"is_heading"}``. Reports are rebuilt one paragraph per line, in ``para`` order; with
``strip_headings`` the heading rows are dropped first (the harder test: no heading to lean on).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SECTION_LABEL = re.compile(r"^(?:S|P|R)\d+$")
# The fixed report-grouped held-out part of a labelled real directory: reports are ordered within
# each layout by the SHA-256 of SPLIT_SEED + id, and every HELD_OUT_EVERY-th one (starting with the
# first) is held out. Changing either constant changes what "held out" means: retrain and re-measure.
SPLIT_SEED = "govreport-real-v1"
HELD_OUT_EVERY = 3


@dataclass
class Gold:
    report: str
    texts: list[str]
    labels: list[str]
    is_heading: list[bool]
    framework: str | None = None
    layout: str | None = None  # real reports: the layout judged from the opening (manifest)
    year: int | None = None


@dataclass
class Scores:
    labels: list[str]
    per_label: dict[str, dict[str, float]]
    macro_f1_sections: float
    accuracy: float
    confusion: list[list[int]]
    paragraphs: int
    reports: int
    skipped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def read_label_file(path: Path) -> list[Gold]:
    """Group label rows by report, in paragraph order."""
    rows: dict[str, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{line_no}: not JSON ({exc.msg})") from exc
            missing = [key for key in ("id", "para", "text", "label") if not isinstance(row, dict) or key not in row]
            if missing:
                raise ValueError(f"{path}:{line_no}: a label row needs {', '.join(missing)}")
            rows[str(row["id"])].append(row)
    return [
        Gold(
            report=report,
            texts=[r["text"] for r in sorted(group, key=lambda r: r["para"])],
            labels=[r["label"] for r in sorted(group, key=lambda r: r["para"])],
            is_heading=[bool(r.get("is_heading")) for r in sorted(group, key=lambda r: r["para"])],
            framework=group[0].get("framework"),
        )
        for report, group in rows.items()
    ]


def read_real_dir(directory: Path) -> list[Gold]:
    """The labelled real reports of a directory laid out like ``shared/real`` (``labels.jsonl`` and,
    if present, ``manifest.tsv`` with each report's layout and year)."""
    golds = read_label_file(directory / "labels.jsonl")
    manifest = directory / "manifest.tsv"
    if manifest.exists():
        with open(manifest, encoding="utf-8", newline="") as fh:
            rows = {row["id"]: row for row in csv.DictReader(fh, delimiter="\t")}
        for gold in golds:
            row = rows.get(gold.report, {})
            gold.layout = row.get("layout") or None
            year = row.get("year_reported", "")
            gold.year = int(year) if year.isdigit() else None
    return golds


def split_real(golds: list[Gold]) -> tuple[list[Gold], list[Gold]]:
    """(train, held out), grouped by report and stratified by layout (see ``SPLIT_SEED``). Fixed
    for a given set of ids, so the held-out reports never enter training, tuning or calibration."""
    train, held_out = [], []
    by_layout: dict[str, list[Gold]] = defaultdict(list)
    for gold in golds:
        by_layout[gold.layout or ""].append(gold)
    for layout in sorted(by_layout):
        ordered = sorted(by_layout[layout], key=lambda g: hashlib.sha256(f"{SPLIT_SEED}{g.report}".encode()).hexdigest())
        for k, gold in enumerate(ordered):
            (held_out if k % HELD_OUT_EVERY == 0 else train).append(gold)
    order = {g.report: k for k, g in enumerate(golds)}
    return sorted(train, key=lambda g: order[g.report]), sorted(held_out, key=lambda g: order[g.report])


@cache
def scale_map() -> dict[str, str | None]:
    """Each section id of every shipped framework → its place on the S1..S7 scale (``scale`` in the
    framework files; null for areas with no 2015 counterpart, e.g. P6, P9)."""
    from analyzer.frameworks import available_frameworks, load_framework

    return {s.id: s.scale for f in available_frameworks() for s in load_framework(f).sections}


def to_scale(labels: list[str]) -> list[str]:
    """Labels folded onto the S scale: an outline section becomes its ``scale`` id; a section with
    no counterpart (scale null) and every shared part (INTRO, META, …) keep their own label."""
    scales = scale_map()
    return [scales.get(label) or label for label in labels]


def strip_headings(gold: Gold) -> Gold:
    keep = [i for i, h in enumerate(gold.is_heading) if not h]
    return Gold(gold.report, [gold.texts[i] for i in keep], [gold.labels[i] for i in keep],
                [False] * len(keep), gold.framework, gold.layout, gold.year)


def predict_labels(gold: Gold, *, framework: str = "auto", scorer=None) -> list[str] | None:
    """Run the full pipeline on the reassembled report; the label of each paragraph, or None if
    the pipeline's paragraphs do not line up with the gold ones."""
    from analyzer.ingest import ingest_text
    from analyzer.pipeline import analyze_document

    analysis = analyze_document(ingest_text("\n".join(gold.texts)), framework=framework, scorer=scorer)
    if len(analysis.paragraphs) != len(gold.texts):
        return None
    return [p.topic or p.section for p in analysis.paragraphs]


def score_labels(gold: list[str], predicted: list[str], *, reports: int = 0, skipped=()) -> Scores:
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = sorted(set(gold) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    per_label = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support)
    }
    sections = [label for label in labels if SECTION_LABEL.match(label) and per_label[label]["support"] > 0]
    macro = sum(per_label[label]["f1"] for label in sections) / len(sections) if sections else 0.0
    return Scores(
        labels=labels,
        per_label=per_label,
        macro_f1_sections=macro,
        accuracy=float(accuracy_score(gold, predicted)),
        confusion=confusion_matrix(gold, predicted, labels=labels).tolist(),
        paragraphs=len(gold),
        reports=reports,
        skipped=list(skipped),
    )


def paired_labels(
    golds: list[Gold], *, framework: str = "auto", scorer=None, headings: bool = True, scale: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """Gold and predicted labels of every paragraph, pooled over reports, and the reports skipped
    because the pipeline's paragraphs did not line up with the gold ones. ``scale``: fold both onto
    the S1..S7 scale (``to_scale``), for labels given on that scale whatever the report's year."""
    all_gold, all_pred, skipped = [], [], []
    for gold in golds:
        gold = gold if headings else strip_headings(gold)
        if not gold.texts:
            continue
        predicted = predict_labels(gold, framework=framework, scorer=scorer)
        if predicted is None:
            skipped.append(gold.report)
            continue
        all_gold += to_scale(gold.labels) if scale else gold.labels
        all_pred += to_scale(predicted) if scale else predicted
    return all_gold, all_pred, skipped


def evaluate_reports(golds: list[Gold], *, framework: str = "auto", scorer=None, headings: bool = True,
                     scale: bool = False) -> Scores:
    gold, predicted, skipped = paired_labels(golds, framework=framework, scorer=scorer, headings=headings,
                                             scale=scale)
    return score_labels(gold, predicted, reports=len(golds) - len(skipped), skipped=skipped)


def format_scores(scores: Scores) -> str:
    """Per-label table, macro-F1, accuracy and the confusion matrix, for a terminal."""
    lines = [f"{'label':10} {'prec':>6} {'rec':>6} {'f1':>6} {'n':>5}"]
    for label in scores.labels:
        m = scores.per_label[label]
        lines.append(f"{label:10} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}")
    lines.append(f"macro-F1 (sections): {scores.macro_f1_sections:.3f}   accuracy: {scores.accuracy:.3f}   "
                 f"paragraphs: {scores.paragraphs}   reports: {scores.reports}")
    if scores.skipped:
        lines.append(f"skipped (paragraphs did not line up): {', '.join(scores.skipped)}")
    lines.append("confusion (rows gold, columns predicted):")
    lines.append("          " + " ".join(f"{label[:5]:>5}" for label in scores.labels))
    for label, row in zip(scores.labels, scores.confusion):
        lines.append(f"{label[:9]:9} " + " ".join(f"{v:5d}" for v in row))
    return "\n".join(lines)
