"""Annotated Word output: a copy of the draft with every finding as a Word comment.

For a .docx input the original file's bytes are copied and comments are attached to the paragraphs
concerned (the original file is never touched); other inputs get a fresh .docx with one paragraph
per analysed paragraph. Paragraph-level findings become comments on their paragraph; report-level
ones (missing tasks, elements, parts, metadata) and any whose paragraph cannot be found in the file
go into one summary comment on the first paragraph, as a checklist with one line per finding.
Comments this tool wrote earlier (by author) are removed first, so annotating an annotated copy
replaces them instead of doubling them.
"""

from __future__ import annotations

import io
from pathlib import Path

from analyzer.ingest.normalize import clean_paragraph
from analyzer.messages import WHOLE_REPORT, label, paragraph_numbers, text
from analyzer.result import Analysis, Finding

AUTHOR = "govreport"
INITIALS = "GR"
CHECKBOX = "□"  # a geometric shape every CJK font has (no emoji font needed)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def annotated_docx(analysis: Analysis, *, source: bytes | None = None, filename: str | None = None) -> bytes:
    """The annotated document as bytes (``source``: the original file's bytes, used when it is a .docx)."""
    import docx

    if source is not None and (filename or "").lower().endswith(".docx"):
        document = docx.Document(io.BytesIO(source))
        remove_own_comments(document)
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
        raise ValueError("批注版不能覆盖原文件(the annotated copy must not overwrite the original file)")
    data = annotated_docx(analysis, source=Path(source).read_bytes(), filename=Path(source).name)
    Path(target).write_bytes(data)


def remove_own_comments(document) -> int:
    """Delete the comments this tool added (author ``AUTHOR``) with their anchors; returns how many."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        part = document.part.part_related_by(RELATIONSHIP_TYPE.COMMENTS)
    except KeyError:  # no comments at all
        return 0
    root = part.element
    ids = set()
    for comment in list(root.iterchildren(f"{_W}comment")):
        if comment.get(f"{_W}author") == AUTHOR:
            ids.add(comment.get(f"{_W}id"))
            root.remove(comment)
    if not ids:
        return 0
    body = document.element.body
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for anchor in list(body.iter(f"{_W}{tag}")):
            if anchor.get(f"{_W}id") in ids:
                anchor.getparent().remove(anchor)
    for reference in list(body.iter(f"{_W}commentReference")):
        if reference.get(f"{_W}id") in ids:
            run = reference.getparent()
            holder = run if len([c for c in run if c.tag != f"{_W}rPr"]) == 1 else reference
            holder.getparent().remove(holder)
    return len(ids)


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
    """One comment per paragraph-level finding; the rest as checklist lines of the summary comment."""
    first = next(iter(paragraphs.values()), None) or document.add_paragraph("")
    checklist: list[str] = []
    located: list[tuple[object, Finding]] = []
    for finding in analysis.findings:
        target = None
        if finding.location != WHOLE_REPORT:
            target = next((paragraphs[i] for i in finding.location if i in paragraphs), None)
        if target is None:
            checklist.append(checklist_line(finding))
        else:
            located.append((target, finding))
    document.add_comment(_runs(first), text=summary_text(analysis, checklist=checklist), author=AUTHOR,
                         initials=INITIALS)
    for target, finding in located:
        document.add_comment(_runs(target), text=finding_text(finding), author=AUTHOR, initials=INITIALS)


def finding_text(finding: Finding) -> str:
    """A comment's text: severity, kind, paragraph numbers and message, then the suggestion."""
    lines = [text("annotate.finding", severity=label("severity", finding.severity), kind=label("kind", finding.kind),
                  message=finding.message)]
    if finding.location != WHOLE_REPORT and len(finding.location) > 1:
        lines[0] += f"(第{paragraph_numbers(finding.location)}段)"
    if finding.suggestion and finding.suggestion.get("text"):
        lines.append(text("annotate.suggestion", text=finding.suggestion["text"]))
    return "\n".join(lines)


def checklist_line(finding: Finding) -> str:
    """One line of the summary's checklist for a finding that has no paragraph of its own in the file."""
    line = f"{CHECKBOX} " + text("annotate.finding", severity=label("severity", finding.severity),
                                 kind=label("kind", finding.kind), message=finding.message)
    if finding.location != WHOLE_REPORT:
        line += text("annotate.elsewhere", numbers=paragraph_numbers(finding.location))
    return line


def summary_text(analysis: Analysis, *, checklist: list[str] | None = None) -> str:
    """The summary comment: headline figures, then the checklist of report-level findings."""
    from analyzer.frameworks import FrameworkError, load_framework

    stats = analysis.stats
    try:
        framework = load_framework(analysis.framework).name
    except (FrameworkError, OSError, ValueError):
        framework = analysis.framework
    ratio = stats.get("boilerplate_ratio")
    lines = [
        text("annotate.summary_title", framework=framework),
        text("annotate.summary_stats", covered=stats.get("sections_covered", "—"),
             total=stats.get("sections_total", "—"), found=stats.get("elements_found", "—"),
             elements=stats.get("elements_total", "—"), boilerplate="—" if ratio is None else f"{ratio:.0%}",
             figures=stats.get("figures_per_1000", "—")),
    ]
    if checklist:
        lines += [text("annotate.checklist") + f"({len(checklist)})", *checklist]
    return "\n".join(lines)
