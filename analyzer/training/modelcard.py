"""Write the model card (``analyzer/data/models/README.md``) from the metrics the training run measured."""

from __future__ import annotations

from pathlib import Path

_APPROACH_NAMES = {
    "keyword": "(a) keyword baseline: framework cue terms only (what Ctrl+F gives a reviewer)",
    "sklearn": "(b) scikit-learn: jieba word 1–2-grams, TF-IDF, logistic regression (balanced classes)",
    "spacy": "(c) spaCy textcat (bag of n-grams) on spacy.blank('zh') with jieba tokens",
}


def _per_label_table(variants: dict) -> str:
    """Per-label F1 with headings and stripped, with each label's support in both."""
    lines = ["| label | F1 with headings | paragraphs | F1 headings stripped | paragraphs |", "|---|---|---|---|---|"]
    headings, stripped = variants["headings"]["per_label"], variants["stripped"]["per_label"]
    for label in sorted(set(headings) | set(stripped)):
        h, s = headings.get(label, {}), stripped.get(label, {})
        if not h.get("support") and not s.get("support"):
            continue  # predicted but never gold: its errors count in the other labels' precision
        lines.append(f"| {label} | {h.get('f1', 0.0):.3f} | {h.get('support', 0)} | {s.get('f1', 0.0):.3f} | "
                     f"{s.get('support', 0)} |")
    return "\n".join(lines)


def _real_section(metrics: dict) -> str:
    """The figures on real published reports, or why there are none."""
    extra = metrics.get("extra")
    if not extra:
        return ("No labelled real reports were given (`--extra`): the shipped model is trained on the authored "
                "corpus alone and has no figures on real text.")
    held, mixed = metrics.get("real_held_out"), metrics.get("cross_validation_mixed")
    calibration = metrics.get("calibration", {})
    text = [
        f"Real report openings from `{extra['path']}` (~600 characters each; labels on the 2015 S1..S7 scale plus "
        f"INTRO, META). A fixed, report-grouped split (`analyzer.training.evaluate.split_real`: within each layout, reports "
        f"ordered by SHA-256 of a fixed seed and id, every third held out): {len(extra['train_reports'])} reports "
        f"({extra['train_paragraphs']} paragraphs) train, {len(extra['held_out_reports'])} reports "
        f"({extra['held_out_paragraphs']} paragraphs) held out. The held-out reports never enter training, feature "
        f"choice, the calibration or the override threshold. Held out: {', '.join(extra['held_out_reports'])}.",
        "",
        "Labels are compared on the S1..S7 scale: a 2021+ report is mapped onto fzzf-2021 and each part is folded "
        "to its `scale` in the framework file (P2→S1 … P1, P10→S7). P6 and P9 have no 2015 counterpart (scale "
        "null): a paragraph predicted P6 or P9 keeps that label and counts as an error against its gold S label. "
        "Macro-F1 is over the S labels present in the gold labels of the part measured; with a handful of "
        "paragraphs for S2–S5, one paragraph moves a label's F1 by a lot: read the supports.",
    ]
    if held:
        h, s = held["headings"], held["stripped"]
        text += [
            "",
            "**Real held-out reports, shipped model** (`govreport evaluate ../shared/real` and `--strip-headings`):",
            "",
            "| | macro-F1 | accuracy | paragraphs | reports |",
            "|---|---|---|---|---|",
            f"| headings kept | {h['macro_f1_sections']:.3f} | {h['accuracy']:.3f} | {h['paragraphs']} | {h['reports']} |",
            f"| headings stripped | {s['macro_f1_sections']:.3f} | {s['accuracy']:.3f} | {s['paragraphs']} | "
            f"{s['reports']} |",
            "",
            "The issue's goal is macro-F1 ≥ 0.90 with headings and ≥ 0.85 stripped on this part: "
            + ("met" + (" (narrowly: a paragraph more or less right moves a label's F1 by several points here; "
                        "the cross-validated figures below are the steadier estimate)."
                        if min(h["macro_f1_sections"] - 0.90, s["macro_f1_sections"] - 0.85) < 0.02 else ".")
               if h["macro_f1_sections"] >= 0.90 and s["macro_f1_sections"] >= 0.85 else
               "**not met**; the figures above are what the shipped model does."),
            "",
            _per_label_table(held),
        ]
    if mixed:
        text += [
            "",
            f"**{metrics['folds']}-fold CV over authored + real training reports** (grouped by report, the shipped "
            "recipe refitted in each fold, S1..S7 scale):",
            "",
            "| scored on | macro-F1, headings | accuracy, headings | macro-F1, stripped | accuracy, stripped |",
            "|---|---|---|---|---|",
        ]
        for part, name in (("all", "all held-out reports of the folds"), ("real", "their real reports only")):
            h, s = mixed[part]["headings"], mixed[part]["stripped"]
            text.append(f"| {name} | {h['macro_f1_sections']:.3f} | {h['accuracy']:.3f} | "
                        f"{s['macro_f1_sections']:.3f} | {s['accuracy']:.3f} |")
    if calibration:
        text += [
            "",
            f"Calibration (fitted on grouped out-of-fold scores of the training data only): softmax temperature "
            f"{calibration['temperature']}; a body paragraph's own content overrides its heading's section when its "
            f"top label has probability ≥ {calibration['override']} (`override_`; the JSON keeps `heading_section` "
            f"and `confidence`); sequence prior `stay_` {calibration.get('stay', '—')} (the share of neighbours that "
            f"keep their label would be {calibration.get('stay_share', '—')}); closing labels "
            f"{', '.join(calibration.get('closing') or []) or 'none'}.",
        ]
    return "\n".join(text)


def _metadata_section(metrics: dict) -> str:
    found = metrics.get("metadata_real")
    if not found:
        return ("*Metadata accuracy on real text: not measured in this build (`analyzer/training/evaluate_metadata.py`, "
                "`evaluate_metadata(real_dir)`, was not installed when the model was trained; the next "
                "`govreport train --extra` fills this section in).*")
    figures = found.get("figures", found)
    rows = ["| reports | year correct | issuer correct (named in the opening) | issuer correct (all) | n |",
            "|---|---|---|---|---|"]
    for part, m in figures.items():
        if isinstance(m, dict):
            rows.append(f"| {part} | {_fmt(m.get('year_accuracy'))} | {_fmt(m.get('issuer_accuracy'))} | "
                        f"{_fmt(m.get('issuer_accuracy_all'))} | {m.get('reports', '—')} |")
    return ("Metadata on the real reports (`analyzer.training.evaluate_metadata.evaluate_metadata`, its own split of "
            "the reports):\n\n" + "\n".join(rows))


def write_model_card(metrics: dict, path: Path) -> None:
    corpus, shipped = metrics["corpus"], metrics["shipped"]
    rows = []
    for approach, variants in metrics.get("cross_validation", {}).items():
        h, s = variants["headings"], variants["stripped"]
        rows.append(
            f"| {_APPROACH_NAMES.get(approach, approach)} | {h['macro_f1_sections']:.3f} | {h['accuracy']:.3f} | "
            f"{s['macro_f1_sections']:.3f} | {s['accuracy']:.3f} |"
        )
    per_label = ""
    best = metrics.get("cross_validation", {}).get("sklearn")
    if best:
        lines = ["| label | F1 with headings | F1 headings stripped | paragraphs |", "|---|---|---|---|"]
        for label, m in best["headings"]["per_label"].items():
            stripped = best["stripped"]["per_label"].get(label, {}).get("f1", 0.0)
            lines.append(f"| {label} | {m['f1']:.3f} | {stripped:.3f} | {m['support']} |")
        per_label = "\n".join(lines)
    findings = metrics.get("findings_cross_validation", {})
    finding_rows = "\n".join(
        f"| {kind} | {_fmt(m.get('precision'))} | {_fmt(m.get('recall'))} | "
        f"{_fmt(m.get('false_alarm_rate') if m['tn'] else None)} | "
        f"{m['tp']} / {m['fp']} / {m['fn']} / {m['tn']} | {_fmt(m.get('mean_abs_error'))} |"
        for kind, m in findings.items() if not kind.startswith("layout:")
    )
    layout_rows = "\n".join(
        f"| {kind.removeprefix('layout:')} | {m['reports']} | {m['missing_topics']} | "
        f"{_fmt(m.get('missing_topic_recall'))} | {_fmt(m.get('false_alarms_per_report'))} | "
        f"{_fmt(m.get('outline_accuracy'))} | {_fmt(m.get('layout_accuracy'))} | {_fmt(m.get('part_detection_accuracy'))} |"
        for kind, m in findings.items() if kind.startswith("layout:")
    ) or "| (not measured: run `govreport train` with folds) | | | | | | | |"
    text = f"""# Model card: section classifier

*Generated by `govreport train` from `analyzer/data/models/metrics.json`; do not edit by hand.*

## What it does
Scores each paragraph of a 法治政府建设 annual report against the section labels of a framework
(`S1`…`S7` of fzzf-2015, `P1`…`P10` of fzzf-2021, and the shared `INTRO`, `PROBLEMS`, `NEXT`, `META`,
`OTHER`). The pipeline (`analyzer.mapping.sections.map_sections`) uses it where no heading decides: headings that
clearly name a section still win, paragraphs inherit their heading's section, and a Viterbi pass smooths runs of
undecided paragraphs with three learned sequence facts: a "keep the previous label" prior (`stay_`, fitted on
out-of-fold scores to decode headingless training reports best), how reports open (`start_`: the label of the
body's first paragraph, add-one smoothed; almost always the preface) and the labels that close a report
(`closing_`: labels no task paragraph ever follows in training, so one plan-worded measure mid-report is not
read as the plan).

## Data
`corpora/` ({corpus['reports']} reports, {corpus['paragraphs']} labelled paragraphs): {corpus['real']} real
(the published seed report) and {corpus['authored']} authored by this team (see `corpora/README.md` for the
spread of levels, agencies, years, layouts and quality). Each report is used twice in training: as written and
with its headings stripped. {_extra_data(metrics)}

## Features
Computed from the tokens the segmenter produced once per document, one TF-IDF block each (sublinear tf),
weighted in one union: {_blocks(metrics)}. The lead clause (the words before the paragraph's first clause
mark, after any numbering or 一是: "严格规范公正文明执法。…" names its task) carries across writers. Blocks tried
on grouped CV over the real training reports and dropped: the governing heading's words (without its
ordinal) and the paragraph's position lowered macro-F1 there (words + position: 0.563 / 0.516 against
words alone 0.612 / 0.561, headings / stripped; words + heading words 0.618 / 0.589; words + lead clause
0.622 / 0.633). A second round (issue 16: 5-fold CV grouped by report over authored + real training reports,
scored on the real ones on the S1..S7 scale; macro-F1 headings / stripped, with one to thirteen paragraphs
per label for S2–S5, so a few points are one or two paragraphs). Screened with the calibration held fixed
(temperature 0.66, override 0.92): words + lead clause words 0.683 / 0.697; + the lead clause's character
2–3-grams (`lead_chars`, robust to the segmenter's cut and to variant wording) 0.696 / 0.716, at weight 2
0.730 / 0.700; lead clause words at weight 2 0.650 / 0.648; regularisation C 4 0.656 / 0.633 and C 16
0.663 / 0.747 against 8; real paragraphs weighted 6 instead of 3: unchanged; no class weights instead of
balanced 0.674 / 0.698; the Viterbi prior `stay_` fixed at 0.6, 0.7 or 0.8 instead of learned (about 0.49)
0.639 / 0.633, 0.628 / 0.610, 0.628 / 0.549, and 0.3 lowered it too (0.713 / 0.685 against 0.730 / 0.700,
weight-2 block), so the prior stays learned from all training text (the real openings' labels alone would give
0.34: they switch section almost every paragraph). The one screened gain, `lead_chars`, did not survive the
full recipe: with the calibration refitted (temperature 0.758 instead of 0.660, flatter probabilities and so
more smoothing) the same CV gave 0.656 / 0.633 against 0.683 / 0.697, and the real held-out part 0.933 / 0.793
against 0.934 / 0.820; it is dropped (`features.BLOCKS` keeps it). (This round was measured before the
mapper's missing-task rescue, `sections.RESCUE_MISSING`; the tables below include it.)
A third round changed the decoding, not the features (same folds; real CV stripped / real held-out stripped /
authored CV stripped, macro-F1): before, 0.784 / 0.822 / 0.983; `stay_` fitted on out-of-fold scores instead of
the share of neighbours keeping their label (0.3–0.45 chosen in the folds against ~0.49) 0.789 / 0.844 / 0.984;
plus `closing_` 0.788 / 0.855 / 0.985; plus `start_` 0.802 / 0.857 / 0.985; with headings nothing moved by more
than a paragraph. Tried and dropped: a full learned label-to-label transition matrix (0.719 / 0.783: it learns
the authored reports' S1→S2→… order, which real topical reports do not follow) and no smoothing at all
(0.762 / 0.828). The held-out part's errors were read while looking for the closing-label idea (measures of a
headingless 2022 district report read as its plan), so for this round the held-out figure is less blind than
the cross-validated ones. Then a container heading (its items clearly in two sections) was labelled by vote
instead of INTRO: real CV with headings 0.757 -> 0.769 (29 -> 23 paragraph errors, six 党的领导 / 学习 / 决策
headings no longer read as prefaces, none new), real held-out with headings 0.930 -> 0.924 (one heading fixed,
one that the labels call INTRO now read as its task).
A fourth round (issue 15, 2026-12-07) added twelve headingless authored reports (`au709`–`au720`: 81 reports; the
shipped model is trained on them) and tried one block, `tasks`: the outline tasks whose element terms (the framework
files' `terms`, both outlines, one automaton scan per paragraph) the paragraph names, `E:S6` and `E:P7` for 行政复议.
Same protocol (5 folds grouped by report over the 81 authored + real training reports; real CV stripped / with
headings, macro-F1 and accuracy; authored CV stripped / with headings): without the block 0.819 / 0.751 (accuracy
0.942 / 0.931), 0.984 / 0.996; at weight 0.5 0.875 / 0.864 (0.954 / 0.963), 0.974 / 0.993; at weight 1.0 0.878 /
0.873, 0.964 / 0.992. The real held-out part disagreed: without the block 0.894 / 0.925 (accuracy 0.940 / 0.953), with
it at 0.5 0.851 / 0.885 (0.913 / 0.939): four and three paragraphs fewer right, against three and eleven more in the
CV. On the authored-only folds of the tables below the block also cost the headingless layout a false alarm
(0.10 -> 0.15 per report: a problems paragraph smoothed into the measures before it) and the simulated removal of
every task from every held-out report (is the removed task reported missing?) 0.977 -> 0.953. Pooled over both real
parts the gain is a handful of paragraphs, and every other measure is worse: the block is dropped (`features.BLOCKS`
keeps it for re-measurement). The held-out part was read for this decision, so its figures above are no longer blind.
Tried on the same authored-only folds and dropped, without the block: a task that smoothing erased given back to a
paragraph whose own top label it is (headingless false alarms 0.10 -> 0.05, but simulated removals 0.977 -> 0.966,
all seven new misses headingless) and a lower fixed `stay` (0.2: no change; 0.1 fixes one report); with it: a
paragraph whose top probability passes the override threshold kept out of smoothing (false alarms unchanged,
removals 0.953 -> 0.951 at 0.8).
A fifth round (issue 15, later the same day) added 21 headingless authored reports (`au721`–`au741`: 102 reports,
41 headingless), written around the kinds of paragraph behind the false alarms left: a 行政复议 case told right
after the enforcement it grew out of, a short 数字政府 paragraph between two supervision paragraphs, a paragraph
whose first sentence names another task. On the authored-only folds of the tables below, before any decoding
change, the headingless layout then had 4 false alarms in 41 reports (0.098; au705 S6 and au714 P9 as before, and
two new ones, au719 P3 and au734 P9, whose paragraph the model reads as the task, at 0.46 and 0.42, but that smoothing
gave to its neighbours' task). A missing task now also takes back a paragraph whose own top label it is at
probability 0.4 or more (`sections.RESCUE_TOP`; 0.5 is still needed when it is not the paragraph's top label):
headingless false alarms 4 -> 2 (0.049), recall 1.000 in every layout, and the simulated removals 0.979 -> 0.972
(799 of 822 removed tasks still reported; the six new misses are removed tasks whose content another task's paragraph
reads as its top label at 0.4 or more, which a reviewer may well count as covered). The same rescue without a
threshold was dropped in the fourth round (removals 0.977 -> 0.966). au705 and au714 are still missed: their
paragraphs never read as the task (0.25 and 0.20 at most), and the reviewer is pointed at them by the finding's
"提到" evidence. Said plainly: the layout still has the same two false alarms as in the fourth round; the rate meets
the goal because it now has 41 reports and the new false alarms the new reports brought are rescued.
The new reports also cost the real reports: retrained on 102 reports, the learned closing labels became none (one
new report labels a 社区矫正 paragraph between two tasks OTHER, "anything else", and closing was judged by which
labels can reach a task through any report's order: OTHER now could, and NEXT reaches OTHER), and real CV stripped
fell 0.819 -> 0.785, the real held-out part stripped 0.894 -> 0.861. Closing labels are now judged report by report
(no task comes after the label in any one report) and a closing label never hands over to a task, though a part
(其他) may follow it: NEXT closes again, and on the 102-report folds real CV stripped went 0.785 -> 0.797. The
figures below are from the final training: real CV 0.765 / 0.795 (with headings / stripped; 0.751 / 0.819 before
the round), real held-out 0.925 / 0.897 (0.925 / 0.894 before). The held-out part's errors were not read; its
drop after the first retraining is what prompted the check, and the change was chosen on the CV figure.
Headings act through the mapper (a heading that names a section decides; a heading whose words are only
the report's subject is a generic INTRO heading; one whose items clearly belong to two sections is labelled by
its own and its items' vote but decides nothing below it, source `container`), neighbours
through the Viterbi step. One model is trained on all labels of both outlines; at prediction time
probabilities are folded into the framework's label space (e.g. `P2` counts for `S1`).

## Metrics
{metrics['folds']}-fold cross-validation **grouped by report** (copy pairs share a group, so no text of a test
report is ever in training), pooled over folds, full pipeline on reassembled text with `--framework auto`.
Macro-F1 is over the section labels (`S*`, `P*`).

| approach | macro-F1, headings | accuracy, headings | macro-F1, headings stripped | accuracy, headings stripped |
|---|---|---|---|---|
{chr(10).join(rows)}

Per label, approach (b):

{per_label}

## On real published reports

{_real_section(metrics)}

{_metadata_section(metrics)}

## Choice of approach
Why (b) ships although (c) scores slightly higher with headings stripped: (b) is served by
`analyzer/mapping/serving.py` with numpy alone (the same probabilities, checked by a test), so a report is analysed
without importing scikit-learn, SciPy or spaCy; loading spaCy alone costs more than the whole one-second
cold-start budget of a CLI run on this machine. The difference is under one point of macro-F1 on 61 reports.

## Findings, measured on held-out reports
The same folds: each held-out report is analysed with the fold's section model and an element classifier
trained on the fold's other reports, with the report's own framework, and its findings are compared with the
corpus labels (sections left out, elements tagged, sentences marked ⟪…⟫, paragraphs tagged CAUSE/LEAD and the
injected defects vague_next/no_next, true copied share of copy pairs). Counts are tp / fp / fn / tn, positive
meaning "the finding applies" (for elements: the element is missing).

| finding | precision | recall | false-alarm rate | tp / fp / fn / tn | mean abs. error of share |
|---|---|---|---|---|---|
{finding_rows}

### Outline × layout, per layout (held-out folds)
Every report is checked on the outline of its year whatever its layout (see README, "Two axes"). Per corpus
layout, on the same held-out folds: recall of the outline tasks the authors removed (`missing_sections` in the
front matter), false alarms per report (a missing-section finding for a section that is there, or a high
missing-part finding for a part that is there or optional), the outline chosen right, the layout detected as the
corpus labels it, and the required parts (measures, problems, 第一责任人, next year) detected as present or absent
as the labels say (第一责任人 present = paragraphs tagged LEAD/DUTY_LIST or a 第一责任人 heading). Goal: recall
>= 0.95 and false alarms <= 0.05 per report in every layout.

| layout | reports | tasks removed | missing-task recall | false alarms / report | outline right | layout right | parts right |
|---|---|---|---|---|---|---|---|
{layout_rows}

`missing_part` covers the report-level checks (causes of problems, concrete acts of the principal leader,
measurable next-year targets). They are rules (framework terms and regexes; the leader's acts count anywhere in the
report and only in a sentence with a figure, date or named document), not trained: their perfect score here says
that the rules fit the way this team writes; see the weaknesses below.

## Size and speed
Shipped approach: {shipped['approach']} (`analyzer/data/models/{shipped['file']}` + `.json`, {shipped['bytes'] / 1e6:.1f} MB), and
the element classifier (`analyzer/data/models/element_classifier.npz` + `.json`, one-vs-rest logistic regression on the same
word features, trained on the corpus's element tags).
Classifier alone: {shipped['paragraphs_per_second']:,} paragraphs/s; loading: {shipped['load_seconds']} s
({metrics['machine']}). Whole-pipeline speed against raw jieba is in `benchmarks/`.
Training and cross-validation took {metrics['train_seconds']} s.

## Known weaknesses
- Most training text is authored by this team; the real reports are openings only (~600 characters), so
  they teach META, INTRO, S7 and S1 and hardly anything of S2–S6, PROBLEMS or NEXT. Real reports use wider
  vocabulary, longer paragraphs and messier layouts: see the real held-out figures above.
- S4 (enforcement) and S5 (oversight) share vocabulary (执法责任制, 执法监督); S7 mixes capacity building and
  organisation, and the 2021 outline splits it into P1 and P10. These are the most confused labels.
- Paragraphs that cover several sections at once get one label. In a report without headings, a task whose only
  paragraph is mostly about another task, or is weakly worded between two paragraphs of one task, can be read as
  its neighbours' task and reported missing: two of the 20 headingless authored reports in the held-out folds
  (a 统计局's 行政复议 case inside its enforcement account; a 退役军人事务局's data-sharing paragraph between two
  oversight paragraphs). The finding's evidence names the paragraphs searched, so the reviewer can check.
- Years outside 2016–2025 fall back to heading matching for the framework choice.
- Report-level checks (CAUSE, LEAD, NEXTYEAR_TARGET) rely on term lists and were written knowing this corpus:
  real reports will say the same things in ways the lists miss, and a leader's act written without a count is
  reported as general. Boilerplate recall is about six in ten: the lexicon flags the commonest formulas only.
- Element evidence found by the element classifier is shown as the paragraph's lead sentence, term "(模型判断)".

## Rebuild
`govreport corpus build && govreport train` (see `project.yml`).
"""
    path.write_text(text, encoding="utf-8")


def _extra_data(metrics: dict) -> str:
    extra = metrics.get("extra")
    if not extra:
        return "No real reports were added (`govreport train` without `--extra`): authored corpus only."
    return (f"Added: {len(extra['train_reports'])} real report openings ({extra['train_paragraphs']} paragraphs) "
            f"from `{extra['path']}`, each paragraph weighted {extra['weight']} against an authored one; "
            f"{len(extra['held_out_reports'])} more are held out (below).")


def _blocks(metrics: dict) -> str:
    blocks = metrics.get("calibration", {}).get("blocks") or [["words", 1.0]]
    names = {"words": "the paragraph's words and word bigrams", "lead": "its lead clause's words and bigrams",
             "lead_chars": "its lead clause's character 2–3-grams",
             "heading": "its governing headings' words", "position": "its position",
             "tasks": "the outline tasks whose element terms it names"}
    return "; ".join(f"{names.get(name, name)} (weight {weight})" for name, weight in blocks)


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.3f}"
