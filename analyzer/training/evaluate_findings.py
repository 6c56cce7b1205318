"""Measure the findings against the corpus's injected defects and labels.

Per report the corpus knows: sections deliberately left out, the elements each paragraph evidences,
the formulaic sentences (⟪…⟫), defects (no_causes, generic_leader, vague_next …) and, for copy
pairs, the true copied share. ``findings_scores`` turns analyses of those reports into precision,
recall and false-alarm figures per finding kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analyzer.ingest.normalize import clean_paragraph
from analyzer.result import Analysis
from analyzer.training.corpus import Report

_EDGE = re.compile(r"^[\s,;:。!?]+|[\s,;:。!?]+$")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        out = {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}
        out["precision"] = round(self.tp / (self.tp + self.fp), 3) if self.tp + self.fp else None
        out["recall"] = round(self.tp / (self.tp + self.fn), 3) if self.tp + self.fn else None
        # sentence-level boilerplate has no countable true negatives: no false-alarm rate there
        out["false_alarm_rate"] = round(self.fp / (self.fp + self.tn), 3) if self.tn else None
        if self.errors:
            out["mean_abs_error"] = round(sum(self.errors) / len(self.errors), 3)
            out["max_abs_error"] = round(max(self.errors), 3)
        return out


@dataclass
class LayoutTally:
    """Outline × layout figures for the reports of one layout: missing-task recall, false alarms per
    report (a missing section or part reported although present, or an optional part reported),
    outline chosen right, layout detected right, required parts detected right."""

    reports: int = 0
    gold_missing: int = 0
    found_missing: int = 0
    false_alarms: int = 0
    outline_right: int = 0
    layout_right: int = 0
    parts_right: int = 0
    parts_judged: int = 0

    def add(self, other: LayoutTally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        def ratio(a, b):
            return round(a / b, 3) if b else None

        return {
            "reports": self.reports, "missing_topics": self.gold_missing,
            "missing_topic_recall": ratio(self.found_missing, self.gold_missing),
            "false_alarms_per_report": ratio(self.false_alarms, self.reports),
            "outline_accuracy": ratio(self.outline_right, self.reports),
            "layout_accuracy": ratio(self.layout_right, self.reports),
            "part_detection_accuracy": ratio(self.parts_right, self.parts_judged),
        }


# Corpus layout names → the layout ids of the framework files (and the two generic layouts).
CORPUS_LAYOUTS = {"seven-headings": "seven-sections"}


def tally_layout(report: Report, analysis: Analysis) -> LayoutTally:
    """One report's outline × layout figures against its labels."""
    gold = set(report.meta.get("missing_sections") or [])
    said = {f.section for f in analysis.findings if f.kind == "missing_section"}
    labels = {p.label for p in report.paragraphs}
    tags = {e for p in report.paragraphs for e in p.elements}
    leader = bool(tags & {"LEAD", "DUTY_LIST"}) or any(p.is_heading and "第一责任人" in p.text for p in report.paragraphs)
    gold_parts = {"PROBLEMS": "PROBLEMS" in labels, "NEXT": "NEXT" in labels, "R3": leader,
                  "R1": bool(labels - {"INTRO", "PROBLEMS", "NEXT", "META", "OTHER"})}
    tally = LayoutTally(reports=1, gold_missing=len(gold), found_missing=len(gold & said))
    tally.false_alarms = len(said - gold)
    layout = CORPUS_LAYOUTS.get(report.meta["layout"], report.meta["layout"])
    tally.outline_right = int(analysis.outline is not None and analysis.outline.id == report.meta["framework"])
    tally.layout_right = int(analysis.layout is not None and analysis.layout.id == layout)
    for part in analysis.parts:
        if part.id not in gold_parts:
            continue
        if part.required:
            tally.parts_judged += 1
            tally.parts_right += (part.status in ("present", "in_passing")) == gold_parts[part.id]
    high_parts = {f.section for f in analysis.findings if f.kind == "missing_part" and f.severity == "high"}
    optional = {p.id for p in analysis.parts if not p.required}
    tally.false_alarms += sum(1 for part_id in high_parts if gold_parts.get(part_id) or part_id in optional)
    return tally


def tally_report(report: Report, analysis: Analysis, tallies: dict) -> None:
    """Add one analysed corpus report to the tallies (the analysis must use the report's framework)."""
    tallies.setdefault(f"layout:{report.meta['layout']}", LayoutTally()).add(tally_layout(report, analysis))
    _sections(report, analysis, tallies.setdefault("missing_section", Tally()))
    _elements(report, analysis, tallies.setdefault("missing_element", Tally()))
    _boilerplate(report, analysis, tallies.setdefault("boilerplate", Tally()))
    _checks(report, analysis, tallies.setdefault("missing_part", Tally()))


def _sections(report, analysis, tally):
    gold = set(report.meta.get("missing_sections") or [])
    predicted = {f.section for f in analysis.findings if f.kind == "missing_section"}
    for section in analysis.sections:
        truth, said = section.id in gold, section.id in predicted
        tally.tp += truth and said
        tally.fp += said and not truth
        tally.fn += truth and not said
        tally.tn += not truth and not said


def _elements(report, analysis, tally):
    """Positive = element missing. Only elements of sections the report covers are judged."""
    present = {e for p in report.paragraphs for e in p.elements}
    said_missing = {f.element for f in analysis.findings if f.kind == "missing_element"}
    gold_missing_sections = set(report.meta.get("missing_sections") or [])
    for section in analysis.sections:
        if section.status == "missing" or section.id in gold_missing_sections:
            continue
        for element in section.elements:
            truth, said = element.id not in present, element.id in said_missing
            tally.tp += truth and said
            tally.fp += said and not truth
            tally.fn += truth and not said
            tally.tn += not truth and not said


def _boilerplate(report, analysis, tally):
    """Sentence level: a flagged sentence is right when it overlaps a sentence the authors marked."""
    gold = [s for p in report.paragraphs for s in p.boilerplate]
    flagged = [p.text[s:e] for p in analysis.paragraphs for s, e in p.boilerplate]
    matched_gold = set()
    for sentence in flagged:
        hit = next((k for k, g in enumerate(gold) if _overlaps(sentence, g)), None)
        if hit is None:
            tally.fp += 1
        else:
            tally.tp += 1
            matched_gold.add(hit)
    tally.fn += len(gold) - len(matched_gold)


def _overlaps(a: str, b: str) -> bool:
    """Same sentence up to width normalisation and end punctuation (corpus sources keep full-width marks)."""
    a, b = (_EDGE.sub("", clean_paragraph(x)) for x in (a, b))
    return bool(a) and bool(b) and (a in b or b in a)


def _checks(report, analysis, tally):
    """Report-level checks. Truth comes from the authors' tags (a paragraph tagged CAUSE or LEAD) and,
    for next-year targets, from the injected defects; a check is judged only where its part exists."""
    tags = {e for p in report.paragraphs for e in p.elements}
    labels = {p.label for p in report.paragraphs}
    defects = set(report.meta.get("defects") or [])
    truth_missing = {
        "CAUSE": ("CAUSE" not in tags, "PROBLEMS" in labels),
        "LEAD": ("LEAD" not in tags, True),
        "NEXTYEAR_TARGET": (bool(defects & {"vague_next", "no_next"}), "NEXT" in labels),
    }
    said = {f.element for f in analysis.findings if f.kind == "missing_part" and f.element}
    for check, (truth, judged) in truth_missing.items():
        if not judged:
            continue
        flagged = check in said
        tally.tp += truth and flagged
        tally.fp += flagged and not truth
        tally.fn += truth and not flagged
        tally.tn += not truth and not flagged


def copy_errors(reports: dict[str, Report], analyze_pair) -> Tally:
    """Absolute error of the measured copied share for every copy pair in the corpus."""
    tally = Tally()
    for report in reports.values():
        earlier_id = report.meta.get("copies")
        if not earlier_id or earlier_id not in reports:
            continue
        truth = sum(len(p.text) for p in report.paragraphs if p.copied) / sum(len(p.text) for p in report.paragraphs)
        measured = analyze_pair(report, reports[earlier_id]).stats["copied_share"]
        tally.errors.append(abs(measured - truth))
        tally.tp += 1
    return tally


def findings_scores(reports: list[Report], *, scorer=None, element_model=None) -> dict:
    """Analyse every report with its own framework and score each finding kind."""
    tallies = findings_tallies(reports, scorer=scorer, element_model=element_model)
    return {kind: tally.as_dict() for kind, tally in tallies.items()}


def merge(into: dict[str, Tally], more: dict[str, Tally]) -> dict[str, Tally]:
    for kind, tally in more.items():
        if isinstance(tally, LayoutTally):
            into.setdefault(kind, LayoutTally()).add(tally)
            continue
        total = into.setdefault(kind, Tally())
        total.tp, total.fp, total.fn, total.tn = total.tp + tally.tp, total.fp + tally.fp, total.fn + tally.fn, total.tn + tally.tn
        total.errors += tally.errors
    return into


def findings_tallies(reports: list[Report], *, scorer=None, element_model=None) -> dict[str, Tally]:
    """Raw counts per finding kind (poolable across cross-validation folds)."""
    from analyzer.ingest import ingest_text
    from analyzer.pipeline import analyze_document

    def run(report: Report, previous: Report | None = None) -> Analysis:
        return analyze_document(ingest_text(report.text), framework=report.meta["framework"], scorer=scorer,
                                previous=[p.text for p in previous.paragraphs] if previous else None,
                                element_model=element_model)

    tallies: dict[str, Tally] = {}
    for report in reports:
        tally_report(report, run(report), tallies)
    tallies["copied"] = copy_errors({r.id: r for r in reports}, run)
    return tallies
