"""Render an analysis for people: Markdown and a terminal table. JSON is ``Analysis.to_json``.

Every word comes from the message catalogue (``messages``); paragraphs are numbered from 1 as people
count them ("第3段"), while the JSON keeps 0-based indexes. Report text and file names are untrusted:
Markdown gets them HTML-escaped (a ``<img onerror>`` in a report stays text in any viewer), the
terminal gets them as Rich ``Text`` (never parsed as markup, so ``[/]`` in an issuer's name is shown,
not obeyed); control characters are shown as escapes.
"""

from __future__ import annotations

import html

from analyzer.ingest.sanitize import visible
from analyzer.messages import label, paragraph_numbers, text, where
from analyzer.result import Analysis


def part_status(part) -> str:
    """A report-content part's status code: the pipeline's, or derived from found/required on older results."""
    status = getattr(part, "status", None)
    if status:
        return status
    if part.found:
        return "present"
    return "missing" if part.required else "optional_absent"


def framework_line(analysis: Analysis) -> list[tuple[str, str]]:
    """(label, value) pairs naming the outline, the report rule and the layout with their reasons."""
    outline = getattr(analysis, "outline", None)
    if outline is None:  # a result written before version 2
        from analyzer.frameworks import FrameworkError, load_framework

        try:
            name = load_framework(analysis.framework).label
        except (FrameworkError, OSError, ValueError):
            name = analysis.framework
        return [(text("report.framework"), f"{name}({analysis.framework_reason or text('report.by_user')})")]
    lines = []
    for key in ("outline", "rule", "layout"):
        choice = getattr(analysis, key, None)
        if choice is not None:
            lines.append((text(f"report.{key}"), f"{choice.name}({choice.reason})"))
    return lines


def to_markdown(analysis: Analysis) -> str:
    """A reviewer's one-page summary: metadata, section coverage table, parts, findings by paragraph."""
    meta = analysis.metadata
    unknown = "—"
    name = meta.title or meta.issuer or analysis.source.name or "报告"
    lines = [f"# {_md(text('report.title', name=name))}", ""]
    lines += [f"- {key}:{_md(value)}" for key, value in framework_line(analysis)]
    lines += [
        f"- {text('report.issuer')}:{_md(meta.issuer or unknown)};{text('report.recipient')}:"
        f"{_md(meta.recipient or unknown)};{text('report.date')}:{_md(meta.date or unknown)};"
        f"{text('report.year')}:{meta.year or unknown};{text('report.doc_numbers')}:"
        f"{_md('、'.join(meta.doc_numbers) or unknown)}",
        "",
        f"## {text('report.coverage')}",
        "",
        "| " + " | ".join(text(f"columns.{c}") for c in ("number", "section", "status", "share", "paragraphs")) + " |",
        "|---|---|---|---|---|",
    ]
    for number, s in enumerate(analysis.sections, start=1):
        paras = paragraph_numbers(s.paragraphs) or unknown
        lines.append(f"| {number} | {_md(s.name)} | {label('status', s.status)} | {s.share:.1%} | {paras} |")
    if analysis.parts:
        lines += ["", f"## {text('report.parts')}", ""]
        for part in analysis.parts:
            paras = f"(第{paragraph_numbers(part.paragraphs)}段)" if part.paragraphs else ""
            lines.append(f"- {_md(part.name)}:{label('part_status', part_status(part))}{paras}")
    lines += ["", f"## {text('report.findings')}", ""]
    if not analysis.findings:
        lines.append(text("report.no_findings"))
    for f in analysis.findings:
        lines.append(f"- **【{label('severity', f.severity)}·{label('kind', f.kind)}】**({where(f.location)}){_md(f.message)}")
        for quote in f.evidence[:2]:
            lines.append(f"  > {_md(quote)}")
        if f.suggestion and f.suggestion.get("text"):
            lines.append(f"  - {text('report.suggestion')}:{_md(f.suggestion['text'])}")
    return "\n".join(lines) + "\n"


def _md(value: str) -> str:
    """Untrusted text for Markdown: HTML escaped, control characters visible, on one line."""
    return html.escape(visible(str(value)), quote=False).replace("\n", " ")


def print_table(analysis: Analysis, console) -> None:
    """Section coverage and findings as Rich tables, in Chinese; report text never parsed as markup."""
    from rich.table import Table
    from rich.text import Text

    meta = analysis.metadata
    console.print(Text.assemble((visible(str(meta.issuer or analysis.source.name)), "bold"), f" {meta.year or ''}"))
    for key, value in framework_line(analysis):
        console.print(Text(f"{key}:{visible(value)}"))
    table = Table(*(text(f"columns.{c}") for c in ("number", "section", "status", "share", "paragraphs")))
    colour = {"covered": "green", "thin": "yellow", "missing": "red"}
    for number, s in enumerate(analysis.sections, start=1):
        table.add_row(str(number), Text(visible(s.name)),
                      Text(label("status", s.status), style=colour.get(s.status, "white")),
                      f"{s.share:.1%}", paragraph_numbers(s.paragraphs))
    console.print(table)
    severity_colour = {"high": "red", "medium": "yellow", "low": "dim"}
    for f in analysis.findings:
        console.print(Text.assemble((f"【{label('severity', f.severity)}】", severity_colour.get(f.severity, "white")),
                                    f"{label('kind', f.kind)}({where(f.location)}):{visible(f.message)}"))
