"""Read the labelled corpus: one source file per report, turned into paragraph labels.

A source file (``corpora/src/<id>.txt``) is YAML front matter between ``---`` lines, then one
paragraph per line written as ``LABEL [H] [C] [E=ID,ID] | text``. ``H`` marks a heading,
``C`` a paragraph copied from the report named in ``copies``, ``E=`` the framework elements the
paragraph evidences. Formulaic sentences are wrapped in ``⟪…⟫``; the markers are stripped from
the text and the sentences kept as labels. See ``corpora/SOURCE_FORMAT.md``.

This module imports only the standard library, PyYAML, ``errors`` and ``assets`` so that corpus authors can run
``python -m analyzer.training.corpus check FILE…`` before anything else is installed.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analyzer.assets import framework_dir
from analyzer.errors import GovreportError

SHARED_LABELS = ("INTRO", "PROBLEMS", "NEXT", "META", "OTHER")
LEVELS = ("province", "city", "county", "township", "department", "ministry")
LAYOUTS = ("seven-headings", "outline-2021", "duc-2019", "topical", "headingless")
QUALITIES = ("exemplary", "ordinary", "boilerplate", "missing-sections")
DEFECTS = (
    "no_causes",
    "generic_leader",
    "vague_next",
    "placeholders",
    "year_drift",
    "no_metadata",
    "no_problems",
    "no_next",
)


def section_labels() -> dict[str, tuple[str, ...]]:
    """Each outline's id → its section ids, read from the framework files (a new outline is a new file)."""
    return {f["id"]: tuple(s["id"] for s in f.get("sections") or []) for f in _framework_files() if _is_outline(f)}


def element_ids() -> dict[str, frozenset[str]]:
    """Each outline's id → the element ids a paragraph may carry: its section elements and the
    report-level checks of its own parts and of every report rule (LEAD, CAUSE, …)."""
    files = _framework_files()
    checks = {c["id"] for f in files if not _is_outline(f) for p in f.get("parts") or [] for c in p.get("checks") or []}
    return {
        f["id"]: frozenset(
            {e["id"] for s in f.get("sections") or [] for e in s.get("elements") or []}
            | {c["id"] for p in f.get("parts") or [] for c in p.get("checks") or []}
            | checks
        )
        for f in files
        if _is_outline(f)
    }


def _framework_files() -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(framework_dir().glob("*.yaml"))]


def _is_outline(framework: dict) -> bool:
    return framework.get("kind", "outline") == "outline"


_LINE = re.compile(r"^(?P<label>[A-Z0-9]+)(?P<flags>(?:\s+(?:H|C|E=[A-Z0-9.,]+))*)\s*\|\s?(?P<text>.*)$")
_BOILER = re.compile(r"⟪(.+?)⟫")


@dataclass
class Paragraph:
    index: int
    text: str
    label: str
    is_heading: bool
    heading: str | None
    copied: bool = False
    elements: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)


@dataclass
class Report:
    id: str
    meta: dict
    paragraphs: list[Paragraph]

    @property
    def text(self) -> str:
        """The report as plain text, one paragraph per line."""
        return "\n".join(p.text for p in self.paragraphs) + "\n"


class SourceError(GovreportError, ValueError):
    """A corpus source file breaks the format; the message names file and line."""

    code = "corpus_source"
    advice = "语料源文件不符合格式(见 corpora/SOURCE_FORMAT.md)。请按提示的文件和行号修改。"


def parse_source(path: Path) -> Report:
    """Parse one source file into a labelled report, raising SourceError on any format fault."""
    raw = path.read_text(encoding="utf-8")
    parts = raw.split("---\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise SourceError(f"{path}: must start with YAML front matter between '---' lines")
    meta = yaml.safe_load(parts[1]) or {}
    header_lines = parts[1].count("\n") + 2
    paragraphs: list[Paragraph] = []
    heading: str | None = None
    for offset, line in enumerate(parts[2].splitlines()):
        if not line.strip():
            continue
        lineno = header_lines + offset + 1
        match = _LINE.match(line)
        if not match:
            raise SourceError(f"{path}:{lineno}: expected 'LABEL [H] [C] [E=..] | text', got {line[:40]!r}")
        flags = match["flags"].split()
        text = match["text"].strip()
        if text.count("⟪") != text.count("⟫"):
            raise SourceError(f"{path}:{lineno}: unbalanced ⟪ ⟫")
        boiler = [s.strip() for s in _BOILER.findall(text)]
        clean = text.replace("⟪", "").replace("⟫", "")
        if not clean:
            raise SourceError(f"{path}:{lineno}: empty paragraph text")
        elements = [e for f in flags if f.startswith("E=") for e in f[2:].split(",") if e]
        is_heading = "H" in flags
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                text=clean,
                label=match["label"],
                is_heading=is_heading,
                heading=None if is_heading else heading,
                copied="C" in flags,
                elements=elements,
                boilerplate=boiler,
            )
        )
        if is_heading:
            heading = clean
    report = Report(id=str(meta.get("id", path.stem)), meta=meta, paragraphs=paragraphs)
    for problem in validate(report):
        raise SourceError(f"{path}: {problem}")
    return report


def validate(report: Report) -> list[str]:
    """Return every way a parsed report breaks the corpus rules (empty list when it is fine)."""
    meta, problems = report.meta, []
    required = ("id", "provenance", "issuer", "agency", "level", "year", "framework", "layout", "quality")
    problems += [f"front matter lacks '{key}'" for key in required if key not in meta]
    if problems:
        return problems
    framework = meta["framework"]
    allowed = {"provenance": ("real", "authored"), "level": LEVELS, "layout": LAYOUTS, "quality": QUALITIES}
    problems += [f"{k}={meta[k]!r} not in {v}" for k, v in allowed.items() if meta[k] not in v]
    sections, elements = section_labels(), element_ids()
    if framework not in sections:
        return problems + [f"framework={framework!r} not in {tuple(sections)}"]
    labels = set(sections[framework]) | set(SHARED_LABELS)
    for p in report.paragraphs:
        if p.label not in labels:
            problems.append(f"paragraph {p.index}: label {p.label} not allowed for {framework}")
        bad = [e for e in p.elements if e not in elements[framework]]
        if bad:
            problems.append(f"paragraph {p.index}: unknown element ids {bad}")
    present = {p.label for p in report.paragraphs}
    missing = set(meta.get("missing_sections") or [])
    problems += [f"missing_sections names {s} but paragraphs carry it" for s in missing & present]
    expected = set(sections[framework]) - missing
    problems += [f"section {s} has no paragraph and is not in missing_sections" for s in sorted(expected - present)]
    problems += [f"defect {d!r} unknown" for d in meta.get("defects") or [] if d not in DEFECTS]
    if meta.get("copies") and not any(p.copied for p in report.paragraphs):
        problems.append("'copies' is set but no paragraph is flagged C")
    if len(report.paragraphs) < 12:
        problems.append(f"only {len(report.paragraphs)} paragraphs; write at least 12")
    return problems


def load_corpus(directory: Path) -> list[Report]:
    """Parse every source file under ``directory`` in name order."""
    return [parse_source(path) for path in sorted(Path(directory).glob("*.txt"))]


def label_rows(report: Report) -> list[dict]:
    """The paragraph label rows of one report, in the JSONL shape ``govreport evaluate`` reads."""
    return [
        {
            "id": report.id,
            "para": p.index,
            "text": p.text,
            "label": p.label,
            "heading": p.heading,
            "is_heading": p.is_heading,
            "elements": p.elements,
            "boilerplate": p.boilerplate,
            "copied": p.copied,
        }
        for p in report.paragraphs
    ]


def report_row(report: Report) -> dict:
    """One report's metadata and report-level labels, as stored in ``reports.jsonl``."""
    chars = sum(len(p.text) for p in report.paragraphs)
    copied = sum(len(p.text) for p in report.paragraphs if p.copied)
    return {
        **{k: v for k, v in report.meta.items() if k != "source"},
        "paragraphs": len(report.paragraphs),
        "chars": chars,
        "labels": sorted({p.label for p in report.paragraphs}),
        "elements": sorted({e for p in report.paragraphs for e in p.elements}),
        "boilerplate": [s for p in report.paragraphs for s in p.boilerplate],
        "copied_share": round(copied / chars, 4) if chars else 0.0,
    }


def build_corpus(src: Path, out: Path) -> dict[str, int]:
    """Write ``labels.jsonl`` (paragraph rows) and ``reports.jsonl`` (report rows) from the sources."""
    reports = load_corpus(src)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "labels.jsonl", "w", encoding="utf-8") as labels:
        for report in reports:
            for row in label_rows(report):
                labels.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(out / "reports.jsonl", "w", encoding="utf-8") as rows:
        for report in reports:
            rows.write(json.dumps(report_row(report), ensure_ascii=False) + "\n")
    _update_datasheet(out / "README.md", reports)
    return {"reports": len(reports), "paragraphs": sum(len(r.paragraphs) for r in reports)}


def datasheet_counts(reports: list[Report]) -> str:
    """Markdown tables of the corpus spread: provenance, level, agency, year, framework, layout, quality."""
    from collections import Counter

    lines = [
        f"{len(reports)} reports, {sum(len(r.paragraphs) for r in reports)} labelled paragraphs, "
        f"{sum(len(p.text) for r in reports for p in r.paragraphs):,} characters.",
        "",
    ]
    for key in ("provenance", "level", "agency", "year", "framework", "layout", "quality"):
        counts = Counter(str(r.meta.get(key)) for r in reports)
        cells = ", ".join(f"{value} {n}" for value, n in sorted(counts.items()))
        lines.append(f"- **{key}** ({len(counts)}): {cells}")
    labels = Counter(p.label for r in reports for p in r.paragraphs)
    lines.append("- **paragraph labels**: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    defects = Counter(d for r in reports for d in r.meta.get("defects") or [])
    lines.append("- **injected defects**: " + ", ".join(f"{k} {v}" for k, v in sorted(defects.items())))
    missing = sum(len(r.meta.get("missing_sections") or []) for r in reports)
    pairs = [f"{r.meta['copies']}→{r.id}" for r in reports if r.meta.get("copies")]
    lines.append(f"- **sections deliberately missing**: {missing} in {sum(bool(r.meta.get('missing_sections')) for r in reports)} reports")
    lines.append(f"- **copy pairs** (same issuer, consecutive years): {', '.join(pairs)}")
    return "\n".join(lines)


def _update_datasheet(readme: Path, reports: list[Report]) -> None:
    """Replace the generated block between the count markers of the corpus README."""
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    if not readme.exists():
        return
    text = readme.read_text(encoding="utf-8")
    if start in text and end in text:
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        readme.write_text(f"{head}{start}\n{datasheet_counts(reports)}\n{end}{tail}", encoding="utf-8")


def _check(paths: list[str]) -> int:
    failed = 0
    for name in paths:
        try:
            report = parse_source(Path(name))
        except (SourceError, yaml.YAMLError, OSError) as exc:
            failed += 1
            print(f"FAIL {exc}")
            continue
        chars = sum(len(p.text) for p in report.paragraphs)
        labels = sorted({p.label for p in report.paragraphs})
        print(f"ok   {name}: {len(report.paragraphs)} paragraphs, {chars} chars, labels {labels}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(_check(sys.argv[2:]))
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        for row in label_rows(parse_source(Path(sys.argv[2]))):
            print(json.dumps(row, ensure_ascii=False))
        sys.exit(0)
    print("usage: python -m analyzer.training.corpus check FILE... | dump FILE", file=sys.stderr)
    sys.exit(2)

__all__ = ["Paragraph", "Report", "SourceError", "parse_source", "validate", "load_corpus", "label_rows", "build_corpus"]
