"""Render an analysis for people: Markdown and a terminal table. JSON is ``Analysis.to_json``.

Report text and file names are untrusted: Markdown gets them HTML-escaped (a ``<img onerror>`` in a
report stays text in any viewer), the terminal gets them as Rich ``Text`` (never parsed as markup,
so ``[/]`` in an issuer's name is shown, not obeyed); control characters are shown as escapes.
"""

from __future__ import annotations

import html

from .ingest.sanitize import visible
from .result import Analysis

_STATUS = {"covered": "已覆盖", "thin": "单薄", "missing": "缺失"}


def to_markdown(analysis: Analysis) -> str:
    """A reviewer's one-page summary: metadata, section coverage table, findings."""
    meta = analysis.metadata
    lines = [
        f"# {_md(meta.title or meta.issuer or analysis.source.name or '报告')} — 分析结果",
        "",
        f"- 框架 / framework: `{analysis.framework}` ({_md(analysis.framework_reason)})",
        f"- 发文单位: {_md(meta.issuer or '—')}; 主送: {_md(meta.recipient or '—')}; 成文日期: {_md(meta.date or '—')}; "
        f"报告年度: {meta.year or '—'}; 文号: {_md(', '.join(meta.doc_numbers) or '—')}",
        "",
        "## 各部分覆盖情况",
        "",
        "| id | 部分 | 状态 | 占比 | 段落 |",
        "|---|---|---|---|---|",
    ]
    for s in analysis.sections:
        paras = ", ".join(str(i) for i in s.paragraphs) or "—"
        lines.append(f"| {s.id} | {_md(s.name)} | {_STATUS[s.status]} | {s.share:.1%} | {paras} |")
    lines += ["", "## 发现的问题", ""]
    if not analysis.findings:
        lines.append("未发现问题。")
    for f in analysis.findings:
        where = "全文" if f.location == "whole report" else "段落 " + ", ".join(map(str, f.location))
        lines.append(f"- **[{f.severity}] {f.kind}** ({where}): {_md(f.message)}")
        for quote in f.evidence[:2]:
            lines.append(f"  > {_md(quote)}")
        if f.suggestion:
            lines.append(f"  - 建议: {_md(f.suggestion.get('text', ''))}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Untrusted text for Markdown: HTML escaped, control characters visible, on one line."""
    return html.escape(visible(str(text)), quote=False).replace("\n", " ")


def print_table(analysis: Analysis, console) -> None:
    """Section coverage and findings as Rich tables."""
    from rich.table import Table
    from rich.text import Text

    meta = analysis.metadata
    console.print(Text.assemble((visible(str(meta.issuer or analysis.source.name)), "bold"),
                                f" {meta.year or ''} · framework {analysis.framework}"))
    table = Table("id", "section", "status", "share", "paragraphs")
    colour = {"covered": "green", "thin": "yellow", "missing": "red"}
    for s in analysis.sections:
        table.add_row(Text(s.id), Text(visible(s.name)), Text(_STATUS[s.status], style=colour[s.status]),
                      f"{s.share:.1%}", ", ".join(map(str, s.paragraphs)))
    console.print(table)
    for f in analysis.findings:
        console.print(Text.assemble((f"{f.severity:6}", {"high": "red", "medium": "yellow", "low": "dim"}[f.severity]),
                                    f" {f.kind}: {visible(f.message)}"))
