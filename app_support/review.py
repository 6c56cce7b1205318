"""The printable review report: one self-contained HTML page to attach to a 退回修改 notice.

Coverage (bars drawn with CSS, values written out), the parts checklist, report-level findings as a
checklist, then the findings paragraph by paragraph with the paragraph's text. No script, no web
font, no external file: it opens and prints the same on an office PC without network. Report text
is escaped like everywhere else.
"""

from __future__ import annotations

from html import escape

from analyzer.messages import label, text
from analyzer.outputs.render import framework_line
from analyzer.result import Analysis, Finding

from .highlight import marked_text, parts_html
from .labels import SEVERITY_COLOUR, STATUS_COLOUR, STATUS_ZH, badge, percent

PAGE_CSS = """
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","Microsoft YaHei","SimSun",sans-serif;margin:24px auto;
  max-width:980px;color:#222;line-height:1.6;font-size:15px;padding:0 16px}
h1{font-size:22px;margin:0 0 6px} h2{font-size:18px;border-bottom:2px solid #ddd;padding-bottom:3px;margin-top:26px}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f0f2f6} .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{height:12px;background:var(--c);display:inline-block;vertical-align:middle;margin-right:6px;min-width:1px}
.gr-badge{display:inline-block;font-size:12px;line-height:1.5;border:1px solid;border-radius:3px;padding:0 4px;
  margin-right:6px;font-weight:600;background:#fff;white-space:nowrap}
.gr-checklist{list-style:none;padding-left:0;margin:4px 0} .gr-checklist li{margin:3px 0}
.gr-muted{color:#666;font-size:13px} .para{background:#fafafa;border-left:4px solid #90a4ae;padding:4px 10px;margin:4px 0}
mark.gr-bp{background:#ffe08a} mark.gr-cp{background:#f8c4c4}
.finding{margin:3px 0 3px 10px} .box{display:inline-block;width:0.9em;height:0.9em;border:1px solid #555;
  margin-right:6px;vertical-align:-1px}
@media print{body{margin:0;max-width:none;font-size:12pt} h2{break-after:avoid} .block{break-inside:avoid}
  a{color:inherit;text-decoration:none}}
"""


def review_html(analysis: Analysis, *, name: str | None = None) -> str:
    """The whole review report as one HTML document (UTF-8 text)."""
    meta = analysis.metadata
    title = meta.title or meta.issuer or name or analysis.source.name or "报告"
    header = "".join(f"<div><b>{escape(k)}:</b>{escape(v)}</div>" for k, v in framework_line(analysis))
    header += (f"<div><b>{escape(text('report.issuer'))}:</b>{escape(meta.issuer or '未识别')} · "
               f"<b>{escape(text('report.year'))}:</b>{escape(str(meta.year or '未识别'))} · "
               f"<b>{escape(text('report.date'))}:</b>{escape(meta.date or '未识别')} · "
               f"<b>字数:</b>{analysis.source.chars:,}</div>")
    body = [
        f"<h1>{escape(text('report.title', name=title))}</h1>", f'<div class="gr-muted">{header}</div>',
        f"<h2>{escape(text('report.coverage'))}</h2>", coverage_table(analysis),
    ]
    if analysis.parts:
        body += [f"<h2>{escape(text('report.parts'))}</h2>", parts_html(analysis.parts)]
    body += [f"<h2>{escape(text('report.findings'))}({len(analysis.findings)})</h2>", findings_by_paragraph(analysis)]
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(text('report.title', name=title))}</title><style>{PAGE_CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>")


def coverage_table(analysis: Analysis) -> str:
    """Each outline section: status word, share with a bar, specificity, boilerplate ratio, paragraphs."""
    top = max([s.share for s in analysis.sections] + [0.01])
    rows = []
    for number, s in enumerate(analysis.sections, start=1):
        colour = STATUS_COLOUR.get(s.status, "#757575")
        width = round(160 * s.share / top)
        paragraphs = "、".join(str(i + 1) for i in s.paragraphs) or "—"
        rows.append(
            f"<tr><td class='num'>{number}</td><td>{escape(s.name)}</td>"
            f"<td>{badge(STATUS_ZH.get(s.status, s.status), colour)}</td>"
            f"<td style='white-space:nowrap'><span class='bar' style='--c:{colour};width:{width}px'></span>{percent(s.share)}</td>"
            f"<td class='num'>{percent(s.specificity, digits=0)}</td>"
            f"<td class='num'>{percent(s.boilerplate_ratio, digits=0)}</td><td>{escape(paragraphs)}</td></tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in ("序号", "部分", "状态", "占正文比例", "具体度", "套话比例", "段落"))
    return f"<table class='block gr-cov'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _finding_line(finding: Finding) -> str:
    colour = SEVERITY_COLOUR.get(finding.severity, "#757575")
    suggestion = (finding.suggestion or {}).get("text")
    tip = f'<div class="gr-muted">建议:{escape(str(suggestion))}</div>' if suggestion else ""
    return (f'<div class="finding"><span class="box"></span>{badge(label("severity", finding.severity), colour)}'
            f"<b>{escape(label('kind', finding.kind))}</b> {escape(finding.message)}{tip}</div>")


def findings_by_paragraph(analysis: Analysis) -> str:
    """Report-level findings first (a checklist), then each paragraph with findings, in text order."""
    whole = [f for f in analysis.findings if f.location == "whole report" or not f.location]
    by_paragraph: dict[int, list[Finding]] = {}
    for finding in analysis.findings:
        if finding not in whole:
            by_paragraph.setdefault(min(finding.location), []).append(finding)
    out = []
    if whole:
        out.append(f"<h3>全文({len(whole)})</h3>" + "".join(_finding_line(f) for f in whole))
    paragraphs = {p.index: p for p in analysis.paragraphs}
    for index in sorted(by_paragraph):
        paragraph = paragraphs.get(index)
        shown = (marked_text(paragraph.text, boilerplate=paragraph.boilerplate, copied=paragraph.copied)
                 if paragraph else "")
        out.append(f'<div class="block" id="gr-p{index + 1}"><h3>第{index + 1}段</h3><div class="para">{shown}</div>'
                   + "".join(_finding_line(f) for f in by_paragraph[index]) + "</div>")
    return "".join(out) or f"<p>{escape(text('report.no_findings'))}</p>"
