"""Labelled evaluation of copy and template detection on the authored texts in ``corpora/copying``.

Every body sentence of a labelled text starts with a marker saying what it is (see the datasheet,
``corpora/copying/README.md``): ``⟦V⟧`` verbatim, ``⟦F⟧`` figures changed, ``⟦N⟧`` lightly edited
(near), ``⟦T⟧`` a template sentence, ``⟦-⟧`` none of these. The true copied share of a pair is the
share of the later report's marked sentences that are V, F or N; it is compared with what
``analyze(later, previous=earlier)`` measures, the way a user runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analyzer.errors import GovreportError

ROOT = Path(__file__).resolve().parents[2] / "corpora" / "copying"
MARKERS = {"V": "verbatim", "F": "figures_changed", "N": "near", "T": "template", "-": None}
LINE_KINDS = {"M": "meta", "H": "heading", "B": "body"}
_MARKER = re.compile(r"⟦([VFNT-])⟧")
PAIR_GOAL = 0.03  # largest error of the measured copied share allowed on any pair
TEMPLATE_GOAL = 0.95  # least precision and recall of template sentences on the family


class LabelError(GovreportError, ValueError):
    """A labelled file does not follow the format of the datasheet."""

    code = "copy_labels"
    advice = "雷同评估的标注文件不符合格式(见 corpora/copying/README.md)。"


@dataclass
class LabelledText:
    """A report as lines (kind, text without markers) and its marked sentences."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    sentences: list[tuple[int, int, int, str | None]] = field(default_factory=list)  # (line, start, end, label)

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    def true_share(self, labels: tuple[str, ...] = ("verbatim", "figures_changed", "near")) -> float:
        return sum(label in labels for *_, label in self.sentences) / len(self.sentences)


def parse_file(path: Path) -> tuple[dict, dict[str, LabelledText]]:
    """Front matter and the labelled texts of a file (``== name`` starts each; one text if none)."""
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front)
    texts: dict[str, LabelledText] = {}
    current = texts.setdefault("report", LabelledText())
    for number, line in enumerate(body.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("== "):
            current = texts.setdefault(line[3:].strip(), LabelledText())
            continue
        kind, sep, text = line.partition(" | ")
        if not sep or kind not in LINE_KINDS:
            raise LabelError(f"{path.name}:{number}: expected 'M | …', 'H | …' or 'B | …'")
        _add_line(current, LINE_KINDS[kind], text, where=f"{path.name}:{number}")
    texts = {name: t for name, t in texts.items() if t.lines}
    return meta, texts


def _add_line(target: LabelledText, kind: str, marked: str, *, where: str) -> None:
    from analyzer.text.structure import split_sentences

    line = len(target.lines)
    parts = _MARKER.split(marked)
    if kind != "body" or len(parts) == 1:
        target.lines.append((kind, _MARKER.sub("", marked)))
        return
    if parts[0].strip():
        raise LabelError(f"{where}: text before the first marker")
    text, spans = "", []
    for label, sentence in zip(parts[1::2], parts[2::2]):
        spans.append((len(text), len(text) + len(sentence), MARKERS[label]))
        text += sentence
    # the markers must cut where the analyzer cuts, or the truth would count other sentences
    if [(s, e) for s, e, _ in spans] != [tuple(s) for s in split_sentences(text)]:
        raise LabelError(f"{where}: each marker must start one sentence (ending in 。!?;)")
    target.lines.append((kind, text))
    target.sentences += [(line, s, e, label) for s, e, label in spans]


def evaluate_pairs(root: Path = ROOT) -> list[dict]:
    """Per pair: the true and measured copied share, the error, and per-kind counts of both."""
    from analyzer.pipeline import analyze

    rows = []
    for path in sorted((root / "pairs").glob("*.txt")):
        meta, texts = parse_file(path)
        later, earlier = texts["later"], texts["earlier"]
        analysis = analyze(later.text, previous=earlier.text, filename=f"{meta['id']}.txt")
        copying = analysis.copying
        truth = later.true_share()
        measured = {(p.later_paragraph, p.later_span[0]): p.kind for p in copying.passages}
        labels = {(line, start): label for line, start, _, label in later.sentences}
        rows.append({
            "id": meta["id"], "issuer": meta["issuer"], "sentences": len(later.sentences),
            "true_share": round(truth, 4), "measured_share": copying.share,
            "error": round(abs(copying.share - truth), 4),
            "true_counts": {k: sum(label == k for *_, label in later.sentences) for k in ("verbatim", "figures_changed", "near")},
            "measured_counts": copying.counts,
            "missed": sum(1 for key, label in labels.items() if label and key not in measured),
            "false": sum(1 for key in measured if not labels.get(key)),
            "kind_agrees": sum(1 for key, kind in measured.items() if labels.get(key) == kind),
        })
    return rows


def evaluate_family(root: Path = ROOT) -> dict:
    """Precision and recall of template sentences found among the family's reports."""
    from analyzer.compare.templates import find_templates
    from analyzer.pipeline import analyze

    analyses, truth = [], set()
    for path in sorted((root / "family").glob("*.txt")):
        meta, texts = parse_file(path)
        report = texts["report"]
        analysis = analyze(report.text, filename=f"{meta['id']}.txt")
        # the issuer and year as labelled (the report's own title may say them differently)
        analysis.metadata.issuer, analysis.metadata.year = meta["issuer"], meta["year"]
        analyses.append(analysis)
        truth |= {(analysis.source.sha256, line, start) for line, start, _, label in report.sentences
                  if label == "template"}
    found = {(o.sha256, o.paragraph, o.start) for t in find_templates(analyses) for o in t.occurrences}
    tp = len(found & truth)
    return {
        "reports": len(analyses), "template_sentences": len(truth), "found": len(found), "true_positives": tp,
        "precision": round(tp / len(found), 4) if found else 1.0,
        "recall": round(tp / len(truth), 4) if truth else 1.0,
        "false": sorted(found - truth), "missed": sorted(truth - found),
    }
