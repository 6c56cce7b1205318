"""Train, compare and ship the section classifier (``govreport train``).

Three approaches are compared on the same report-grouped folds, with and without headings:
(a) the keyword baseline (framework cue terms only), (b) the scikit-learn pipeline
(``classifier.SectionClassifier``), (c) a spaCy textcat (``textcat.SpacyTextcat``). The shipped
model is (b) trained on the whole corpus; the figures go to ``analyzer/data/models/metrics.json`` and the model
card ``analyzer/data/models/README.md`` is regenerated from them, so card and model always agree.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

from analyzer.doc import Doc
from analyzer.ingest import ingest_text
from analyzer.pipeline import attach_tokens
from analyzer.text.structure import parse_structure
from analyzer.training.corpus import Report, load_corpus
from analyzer.training.evaluate import Gold, paired_labels, read_real_dir, score_labels, split_real, strip_headings

APPROACHES = ("keyword", "sklearn", "spacy")
FOLDS = 5
# How much a real report's paragraphs count against an authored one's in training: the real openings
# are few (about 350 paragraphs against 4,000 authored ones) but are what users' reports look like
# (3 scored best on grouped CV over the real training reports; 6 was no better).
REAL_WEIGHT = 3.0


def golds_from_corpus(reports: list[Report]) -> list[Gold]:
    return [
        Gold(r.id, [p.text for p in r.paragraphs], [p.label for p in r.paragraphs],
             [p.is_heading for p in r.paragraphs], r.meta.get("framework"))
        for r in reports
    ]


def report_groups(reports: list[Report]) -> list[str]:
    """Group id per report: a report that copies another shares its group, so no copied text
    ever sits on both sides of a split."""
    return [str(r.meta.get("copies") or r.id) for r in reports]


def structure_of(gold: Gold) -> Doc:
    structure = parse_structure(ingest_text("\n".join(gold.texts)).paragraphs)
    attach_tokens(structure)
    return structure


def training_set(golds: list[Gold]) -> tuple[list[Doc], list[list[str]]]:
    """Each report twice: as written and with its headings stripped, so the model learns to
    read topical and headingless reports too."""
    structures, labels = [], []
    for gold in golds:
        for variant in (gold, strip_headings(gold)):
            if variant.texts:
                structures.append(structure_of(variant))
                labels.append(variant.labels)
    return structures, labels


def training_groups(golds: list[Gold]) -> list[str]:
    """The report of each structure ``training_set`` builds (both variants of a report share it)."""
    return [gold.report for gold in golds for variant in (gold, strip_headings(gold)) if variant.texts]


def fit_element_model(reports: list[Report]):
    """The element classifier, trained on the corpus's element tags (as written, with headings)."""
    from analyzer.training.element_model import ElementClassifier

    golds = golds_from_corpus(reports)
    structures = [structure_of(g) for g in golds]
    return ElementClassifier().fit(structures, [[p.elements for p in r.paragraphs] for r in reports]).to_compact()


def make_estimator(approach: str):
    if approach == "sklearn":
        from analyzer.training.classifier import SectionClassifier

        return SectionClassifier()
    if approach == "spacy":
        from analyzer.training.textcat import SpacyTextcat

        return SpacyTextcat()
    from analyzer.frameworks import outlines
    from analyzer.mapping.sections import CueScorer

    return CueScorer(*outlines())  # keyword baseline: every outline's cue terms, nothing to fit


def cross_validate(reports: list[Report], *, approaches=APPROACHES, folds: int = FOLDS, log=print):
    """Report-grouped k-fold figures for each approach, with and without headings; the findings of
    held-out reports are scored with the fold's scikit-learn model."""
    from sklearn.model_selection import GroupKFold

    from analyzer.training.evaluate_findings import findings_tallies, merge

    golds, groups = golds_from_corpus(reports), report_groups(reports)
    findings: dict = {}
    splitter = GroupKFold(n_splits=folds)
    pooled = {a: {"headings": ([], []), "stripped": ([], [])} for a in approaches}
    for fold, (train_idx, test_idx) in enumerate(splitter.split(golds, groups=groups)):
        train = [golds[i] for i in train_idx]
        test = [golds[i] for i in test_idx]
        structures, labels = training_set(train)
        # copy pairs share a group, so both halves of a pair are always in the same test fold
        held_out = [reports[i] for i in test_idx]
        for approach in approaches:
            estimator = make_estimator(approach)
            if approach == "sklearn":
                estimator.fit(structures, labels, groups=training_groups(train))
            elif hasattr(estimator, "fit"):
                estimator.fit(structures, labels)
            for variant, headings in (("headings", True), ("stripped", False)):
                gold_labels, predicted, _ = paired_labels(test, scorer=estimator, headings=headings)
                pooled[approach][variant][0].extend(gold_labels)
                pooled[approach][variant][1].extend(predicted)
                fold_f1 = score_labels(gold_labels, predicted).macro_f1_sections
                log(f"fold {fold + 1}/{folds} {approach:8} {variant:9} macro-F1 {fold_f1:.3f}")
            if approach == "sklearn":
                element_model = fit_element_model([reports[i] for i in train_idx])
                merge(findings, findings_tallies(held_out, scorer=estimator, element_model=element_model))

    sections = {a: {v: score_labels(*pooled[a][v], reports=len(golds)).to_dict() for v in pooled[a]} for a in approaches}
    return sections, {kind: tally.as_dict() for kind, tally in findings.items()}


def fit_section_model(authored: list[Gold], real: list[Gold]):
    """The shipped section classifier: authored reports and real training reports (weighted
    ``REAL_WEIGHT``), each as written and with headings stripped, calibrated on grouped folds."""
    from analyzer.training.classifier import SectionClassifier

    a_structures, a_labels = training_set(authored)
    r_structures, r_labels = training_set(real)
    return SectionClassifier().fit(
        a_structures + r_structures, a_labels + r_labels,
        groups=training_groups(authored) + training_groups(real),
        weights=[1.0] * len(a_structures) + [REAL_WEIGHT] * len(r_structures),
    )


def cross_validate_mixed(authored: list[Gold], authored_groups: list[str], real: list[Gold], *,
                         folds: int = FOLDS, log=print) -> dict:
    """Report-grouped k-fold over authored + real training reports with the shipped recipe, scored
    on the S1..S7 scale: all reports pooled, and the real ones alone."""
    from sklearn.model_selection import GroupKFold

    golds = authored + real
    groups = authored_groups + [g.report for g in real]
    is_real = [False] * len(authored) + [True] * len(real)
    pooled = {(part, v): ([], []) for part in ("all", "real") for v in ("headings", "stripped")}
    for fold, (train_idx, test_idx) in enumerate(GroupKFold(n_splits=folds).split(golds, groups=groups)):
        estimator = fit_section_model([golds[i] for i in train_idx if not is_real[i]],
                                      [golds[i] for i in train_idx if is_real[i]])
        for variant, headings in (("headings", True), ("stripped", False)):
            for part in ("all", "real"):
                test = [golds[i] for i in test_idx if part == "all" or is_real[i]]
                gold_labels, predicted, _ = paired_labels(test, scorer=estimator, headings=headings, scale=True)
                pooled[part, variant][0].extend(gold_labels)
                pooled[part, variant][1].extend(predicted)
        log(f"fold {fold + 1}/{folds} authored+real done")
    return {part: {v: score_labels(*pooled[part, v], reports=sum(is_real) if part == "real" else len(golds)).to_dict()
                   for v in ("headings", "stripped")} for part in ("all", "real")}


def held_out_scores(golds: list[Gold], scorer) -> dict:
    """The shipped model on the real held-out reports, headings kept and stripped (S1..S7 scale)."""
    out = {}
    for variant, headings in (("headings", True), ("stripped", False)):
        gold_labels, predicted, skipped = paired_labels(golds, scorer=scorer, headings=headings, scale=True)
        out[variant] = score_labels(gold_labels, predicted, reports=len(golds) - len(skipped), skipped=skipped).to_dict()
    return out


def metadata_scores(real_dir: Path | None) -> dict | None:
    """Metadata accuracy on the real reports, if ``analyzer.training.evaluate_metadata`` is installed."""
    if real_dir is None:
        return None
    try:
        from analyzer.training.evaluate_metadata import evaluate_metadata
    except ImportError:
        return None
    found = evaluate_metadata(real_dir)
    return {"figures": found["figures"]} if isinstance(found, dict) and "figures" in found else found


def train(src: Path, out: Path, *, extra: Path | None = None, folds: int = FOLDS, approaches=APPROACHES,
          log=print) -> dict:
    """Cross-validate, fit the shipped model on the authored corpus and the training part of the real
    reports in ``extra`` (a directory laid out like ``shared/real``; absent: authored only), measure
    it on the real held-out part, save it with its metrics and card."""
    from analyzer.mapping.model import ELEMENT_MODEL_FILE, MODEL_FILE
    from analyzer.training.classifier import to_compact

    reports = load_corpus(src)
    golds = golds_from_corpus(reports)
    real_dir = extra if extra is not None and (extra / "labels.jsonl").exists() else None
    real_train, real_held_out = split_real(read_real_dir(real_dir)) if real_dir else ([], [])
    started = time.perf_counter()
    cv, findings = cross_validate(reports, approaches=approaches, folds=folds, log=log) if folds else ({}, {})
    mixed = (cross_validate_mixed(golds, report_groups(reports), real_train, folds=folds, log=log)
             if folds and real_train else None)
    model = fit_section_model(golds, real_train)
    path = out / MODEL_FILE
    out.mkdir(parents=True, exist_ok=True)
    compact = to_compact(model)
    compact.save(path)
    fit_element_model(reports).save(out / ELEMENT_MODEL_FILE)
    structures, _ = training_set(golds[:20])
    speed = _speed(path, structures)
    metrics = {
        "corpus": {
            "reports": len(reports),
            "paragraphs": sum(len(g.texts) for g in golds),
            "real": sum(r.meta.get("provenance") == "real" for r in reports),
            "authored": sum(r.meta.get("provenance") == "authored" for r in reports),
        },
        "extra": None if real_dir is None else {
            "path": str(extra),
            "train_reports": [g.report for g in real_train],
            "held_out_reports": [g.report for g in real_held_out],
            "train_paragraphs": sum(len(g.texts) for g in real_train),
            "held_out_paragraphs": sum(len(g.texts) for g in real_held_out),
            "weight": REAL_WEIGHT,
        },
        "folds": folds,
        "cross_validation": cv,
        "cross_validation_mixed": mixed,
        "real_held_out": held_out_scores(real_held_out, compact) if real_held_out else None,
        "metadata_real": metadata_scores(real_dir),
        "calibration": {"temperature": model.temperature_, "override": model.override_, "stay": model.stay_,
                        "stay_share": round(model.stay_share_, 4), "closing": list(model.closing_),
                        "blocks": [list(b) for b in model.blocks]},
        "findings_cross_validation": findings,
        "shipped": {"approach": "sklearn", "file": MODEL_FILE,
                    "bytes": path.stat().st_size + path.with_suffix(".json").stat().st_size, **speed},
        "train_seconds": round(time.perf_counter() - started, 1),
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    }
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    from analyzer.training.modelcard import write_model_card

    write_model_card(metrics, out / "README.md")
    return metrics


def _speed(path: Path, structures: list[Doc]) -> dict:
    """Paragraphs per second of the shipped (numpy-only) classifier alone, and its load time."""
    from analyzer.mapping.serving import CompactModel

    started = time.perf_counter()
    model = CompactModel.load(path)
    load = time.perf_counter() - started
    paragraphs = sum(len(s.paragraphs) for s in structures)
    started = time.perf_counter()
    for structure in structures:
        model.predict_proba(structure)
    seconds = time.perf_counter() - started
    return {"paragraphs_per_second": round(paragraphs / seconds), "load_seconds": round(load, 3)}
