"""Render an analysis for people: Markdown and a terminal table. JSON is ``Analysis.to_json``.

Every word comes from the message catalogue (``messages``); paragraphs are numbered from 1 as people
count them ("第3段"), while the JSON keeps 0-based indexes.
"""

from __future__ import annotations

from .messages import label, paragraph_numbers, text, where
from .result import Analysis


def part_status(part) -> str:
    """A report-content part's status code: the pipeline's, or derived from found/required on older results."""
    status = getattr(part, "status", None)
    if status:
        return status
    if part.found:
        return "present"
    return "missing" if part.required else "optional_absent"


def framework_line(analysis: Analysis) -> list[tuple[str, str]]:
    """(label, value) pairs naming the framework, outline and layout with their reasons, for people."""
    from .frameworks import FrameworkError, load_framework

    try:
        name = load_framework(analysis.framework).name
    except (FrameworkError, OSError, ValueError):
        name = analysis.framework
    lines = [(text("report.framework"), f"{name}({analysis.framework_reason or text('report.by_user')})")]
    for key in ("outline", "layout"):
        choice = getattr(analysis, key, None)
        if isinstance(choice, dict) and choice.get("name"):
            reason = f"({choice['reason']})" if choice.get("reason") else ""
            lines.append((text(f"report.{key}"), f"{choice['name']}{reason}"))
    return lines


def to_markdown(analysis: Analysis) -> str:
    """A reviewer's one-page summary: metadata, section coverage table, parts, findings by paragraph."""
    meta = analysis.metadata
    unknown = "—"
    name = meta.title or meta.issuer or analysis.source.name or "报告"
    lines = [f"# {text('report.title', name=name)}", ""]
    lines += [f"- {key}:{value}" for key, value in framework_line(analysis)]
    lines += [
        f"- {text('report.issuer')}:{meta.issuer or unknown};{text('report.recipient')}:{meta.recipient or unknown};"
        f"{text('report.date')}:{meta.date or unknown};{text('report.year')}:{meta.year or unknown};"
        f"{text('report.doc_numbers')}:{'、'.join(meta.doc_numbers) or unknown}",
        "",
        f"## {text('report.coverage')}",
        "",
        "| " + " | ".join(text(f"columns.{c}") for c in ("number", "section", "status", "share", "paragraphs")) + " |",
        "|---|---|---|---|---|",
    ]
    for number, s in enumerate(analysis.sections, start=1):
        paras = paragraph_numbers(s.paragraphs) or unknown
        lines.append(f"| {number} | {s.name} | {label('status', s.status)} | {s.share:.1%} | {paras} |")
    if analysis.parts:
        lines += ["", f"## {text('report.parts')}", ""]
        for part in analysis.parts:
            paras = f"(第{paragraph_numbers(part.paragraphs)}段)" if part.paragraphs else ""
            lines.append(f"- {part.name}:{label('part_status', part_status(part))}{paras}")
    lines += ["", f"## {text('report.findings')}", ""]
    if not analysis.findings:
        lines.append(text("report.no_findings"))
    for f in analysis.findings:
        lines.append(f"- **【{label('severity', f.severity)}·{label('kind', f.kind)}】**({where(f.location)}){f.message}")
        for quote in f.evidence[:2]:
            lines.append(f"  > {quote}")
        if f.suggestion and f.suggestion.get("text"):
            lines.append(f"  - {text('report.suggestion')}:{f.suggestion['text']}")
    return "\n".join(lines) + "\n"


def print_table(analysis: Analysis, console) -> None:
    """Section coverage and findings as Rich tables, in Chinese."""
    from rich.table import Table

    meta = analysis.metadata
    console.print(f"[bold]{meta.issuer or analysis.source.name}[/] {meta.year or ''}", highlight=False)
    for key, value in framework_line(analysis):
        console.print(f"{key}:{value}", highlight=False)
    table = Table(*(text(f"columns.{c}") for c in ("number", "section", "status", "share", "paragraphs")))
    colour = {"covered": "green", "thin": "yellow", "missing": "red"}
    for number, s in enumerate(analysis.sections, start=1):
        table.add_row(str(number), s.name, f"[{colour.get(s.status, 'white')}]{label('status', s.status)}[/]",
                      f"{s.share:.1%}", paragraph_numbers(s.paragraphs))
    console.print(table)
    severity_colour = {"high": "red", "medium": "yellow", "low": "dim"}
    for f in analysis.findings:
        console.print(f"[{severity_colour.get(f.severity, 'white')}]【{label('severity', f.severity)}】[/]"
                      f"{label('kind', f.kind)}({where(f.location)}):{f.message}", highlight=False)
