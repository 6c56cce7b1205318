"""Annotated Word output: a copy of the draft with the findings as Word comments.

For a .docx input the original file's bytes are copied and comments are attached to the paragraphs
concerned (the original file is never touched); other inputs get a fresh .docx with one paragraph
per analysed paragraph. A summary comment sits on the first paragraph.
"""

from __future__ import annotations

import io
from pathlib import Path

from .ingest.normalize import clean_paragraph
from .result import Analysis

AUTHOR = "govreport"
INITIALS = "GR"
_SEVERITY = {"high": "高", "medium": "中", "low": "低"}


def annotated_docx(analysis: Analysis, *, source: bytes | None = None, filename: str | None = None) -> bytes:
    """The annotated document as bytes (``source``: the original file's bytes, used when it is a .docx)."""
    import docx

    if source is not None and (filename or "").lower().endswith(".docx"):
        document = docx.Document(io.BytesIO(source))
        paragraphs = _align(document, analysis)
    else:
        document = docx.Document()
        paragraphs = {}
        for p in analysis.paragraphs:
            paragraphs[p.index] = (
                document.add_heading(p.text, level=min(max(p.level or 1, 1), 4)) if p.is_heading
                else document.add_paragraph(p.text)
            )
    _comment_findings(document, analysis, paragraphs)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_annotated(analysis: Analysis, *, source: Path, target: Path) -> None:
    """Write the annotated copy of ``source`` to ``target`` (refusing to overwrite the source)."""
    if Path(target).resolve() == Path(source).resolve():
        raise ValueError("the annotated copy must not overwrite the original file")
    data = annotated_docx(analysis, source=Path(source).read_bytes(), filename=Path(source).name)
    Path(target).write_bytes(data)


def _align(document, analysis: Analysis) -> dict:
    """Map analysis paragraph indexes to the Word paragraphs holding the same text, in order."""
    by_text: dict[str, list] = {}
    for paragraph in document.paragraphs:
        for line in paragraph.text.split("\n"):
            key = clean_paragraph(line)
            if key:
                by_text.setdefault(key, []).append(paragraph)
    out = {}
    for p in analysis.paragraphs:
        candidates = by_text.get(p.text)
        if candidates:
            out[p.index] = candidates.pop(0)
    return out


def _runs(paragraph):
    if not paragraph.runs:
        paragraph.add_run("")
    return paragraph.runs


def _comment_findings(document, analysis: Analysis, paragraphs: dict) -> None:
    first = next(iter(paragraphs.values()), None) or document.add_paragraph("")
    document.add_comment(_runs(first), text=summary_text(analysis), author=AUTHOR, initials=INITIALS)
    for finding in analysis.findings:
        if finding.location == "whole report":
            continue
        target = next((paragraphs[i] for i in finding.location if i in paragraphs), None)
        if target is None:
            continue
        text = f"[{_SEVERITY[finding.severity]}] {finding.message}"
        if finding.suggestion:
            text += f"\n建议:{finding.suggestion['text']}"
        document.add_comment(_runs(target), text=text, author=AUTHOR, initials=INITIALS)


def summary_text(analysis: Analysis) -> str:
    stats = analysis.stats
    lines = [
        f"govreport 审阅摘要(框架 {analysis.framework})",
        f"覆盖部分 {stats.get('sections_covered', '?')}/{stats.get('sections_total', '?')};"
        f"要素 {stats.get('elements_found', '?')}/{stats.get('elements_total', '?')};"
        f"套话占比 {stats.get('boilerplate_ratio', 0):.0%};每千字数据 {stats.get('figures_per_1000', 0)}",
    ]
    whole = [f for f in analysis.findings if f.location == "whole report" and f.severity != "low"]
    lines += [f"- [{_SEVERITY[f.severity]}] {f.message}" for f in whole]
    return "\n".join(lines)
