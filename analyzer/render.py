"""Render an analysis for people: Markdown and a terminal table. JSON is ``Analysis.to_json``."""

from __future__ import annotations

from .result import Analysis

_STATUS = {"covered": "已覆盖", "thin": "单薄", "missing": "缺失"}


def to_markdown(analysis: Analysis) -> str:
    """A reviewer's one-page summary: metadata, section coverage table, findings."""
    meta = analysis.metadata
    lines = [
        f"# {meta.title or meta.issuer or analysis.source.name or '报告'} — 分析结果",
        "",
        f"- 框架 / framework: `{analysis.framework}` ({analysis.framework_reason})",
        f"- 发文单位: {meta.issuer or '—'}; 主送: {meta.recipient or '—'}; 成文日期: {meta.date or '—'}; "
        f"报告年度: {meta.year or '—'}; 文号: {', '.join(meta.doc_numbers) or '—'}",
        "",
        "## 各部分覆盖情况",
        "",
        "| id | 部分 | 状态 | 占比 | 段落 |",
        "|---|---|---|---|---|",
    ]
    for s in analysis.sections:
        paras = ", ".join(str(i) for i in s.paragraphs) or "—"
        lines.append(f"| {s.id} | {s.name} | {_STATUS[s.status]} | {s.share:.1%} | {paras} |")
    lines += ["", "## 发现的问题", ""]
    if not analysis.findings:
        lines.append("未发现问题。")
    for f in analysis.findings:
        where = "全文" if f.location == "whole report" else "段落 " + ", ".join(map(str, f.location))
        lines.append(f"- **[{f.severity}] {f.kind}** ({where}): {f.message}")
        for quote in f.evidence[:2]:
            lines.append(f"  > {quote}")
        if f.suggestion:
            lines.append(f"  - 建议: {f.suggestion.get('text', '')}")
    return "\n".join(lines) + "\n"


def print_table(analysis: Analysis, console) -> None:
    """Section coverage and findings as Rich tables."""
    from rich.table import Table

    meta = analysis.metadata
    console.print(f"[bold]{meta.issuer or analysis.source.name}[/] {meta.year or ''} · framework {analysis.framework}")
    table = Table("id", "section", "status", "share", "paragraphs")
    colour = {"covered": "green", "thin": "yellow", "missing": "red"}
    for s in analysis.sections:
        table.add_row(s.id, s.name, f"[{colour[s.status]}]{_STATUS[s.status]}[/]", f"{s.share:.1%}",
                      ", ".join(map(str, s.paragraphs)))
    console.print(table)
    for f in analysis.findings:
        console.print(f"[{ {'high': 'red', 'medium': 'yellow', 'low': 'dim'}[f.severity] }]{f.severity:6}[/] "
                      f"{f.kind}: {f.message}")
