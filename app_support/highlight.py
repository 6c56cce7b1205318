"""HTML for the report view: paragraphs marked by section, boilerplate and copied spans highlighted.

Report text is user input, so every piece of text and every attribute goes through ``html.escape``;
the only markup in the output is the markup built here.
"""

from __future__ import annotations

from html import escape

from analyzer.messages import label as catalogue_label
from analyzer.messages import where as location_text
from analyzer.result import Analysis, ElementResult, Finding, Paragraph

from .labels import (
    ELEMENT_COLOUR,
    ELEMENT_ZH,
    PART_STATUS_COLOUR,
    PART_STATUS_ZH,
    PART_ZH,
    SEVERITY_ZH,
    badge,
    section_colours,
)

CSS = """<style>
.gr-report{font-size:15px;line-height:1.75}
.gr-para{border-left:5px solid var(--c);padding:2px 10px;margin:6px 0;background:#fafafa;scroll-margin-top:4rem}
.gr-para:target{outline:2px solid #1565c0;background:#e3f2fd}
.gr-num{display:inline-block;min-width:3.2em;font-size:12px;color:#555;font-variant-numeric:tabular-nums;
  margin-right:4px}
.gr-para.gr-heading{font-weight:700;background:#f0f2f6}
.gr-tag{display:inline-block;font-size:11px;line-height:1.5;color:#fff;background:var(--c);border-radius:3px;
  padding:0 5px;margin-right:6px;vertical-align:1px;font-weight:400}
.gr-badge{display:inline-block;font-size:12px;line-height:1.5;border:1px solid;border-radius:3px;padding:0 4px;
  margin-right:6px;font-weight:600;background:#fff;white-space:nowrap}
.gr-checklist{list-style:none;padding-left:0;margin:4px 0}
.gr-checklist li{margin:3px 0}
table.gr-copy{border-collapse:collapse;width:100%;font-size:14px;table-layout:fixed}
table.gr-copy th,table.gr-copy td{border:1px solid #ddd;padding:4px 6px;vertical-align:top}
table.gr-copy th{background:#f0f2f6;text-align:left}
mark.gr-changed{background:#bbdefb;border-bottom:2px solid #1565c0}
.gr-finding{margin:-6px 0 6px 28px;font-size:14px;line-height:1.6}
.gr-finding details{margin-top:2px}
.gr-finding summary{cursor:pointer}
@media print{.gr-para{break-inside:avoid}}
mark.gr-bp{background:#ffe08a;padding:0 1px;border-bottom:2px solid #e0a800}
mark.gr-cp{background:#f8c4c4;padding:0 1px;border-bottom:2px dashed #c62828}
mark.gr-bp.gr-cp{background:linear-gradient(#ffe08a,#f8c4c4)}
.gr-legend{font-size:13px;margin:4px 0 8px}
.gr-legend span{margin-right:12px}
.gr-quote{border-left:3px solid #d0d0d0;padding:2px 8px;margin:4px 0;color:#333;font-size:14px}
.gr-muted{color:#666;font-size:13px}
table.gr-cov{border-collapse:collapse;font-size:14px;margin-bottom:8px}
table.gr-cov th,table.gr-cov td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
table.gr-cov th{background:#f0f2f6;white-space:nowrap}
table.gr-cov .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.gr-cov .bar{height:12px;background:var(--c);display:inline-block;vertical-align:middle;margin-right:6px;min-width:1px}
</style>"""

BOILERPLATE_TITLE = "套话:空泛的程式化表述"
COPIED_TITLE = "与其他报告雷同的文字"


def section_label(analysis: Analysis, label: str) -> str:
    """What a paragraph's section id is called: the outline's section name, or the shared part's name."""
    for section in analysis.sections:
        if section.id == label:
            return section.name
    for part in analysis.parts:
        if part.id == label:
            return part.name
    return PART_ZH.get(label, label)


def paragraph_anchor(index: int) -> str:
    """The HTML id of a paragraph in the report view (by its 1-based number), for links from findings."""
    return f"gr-p{int(index) + 1}"


def paragraph_links(indexes: list[int]) -> str:
    """"第3、5段" with each number linking to its paragraph in the report view."""
    links = "、".join(f'<a href="#{paragraph_anchor(i)}" target="_self">{int(i) + 1}</a>' for i in indexes)
    return f"第{links}段"


def report_html(analysis: Analysis) -> str:
    """The whole report as one HTML block, with a legend; safe to render as-is."""
    colours = section_colours([s.id for s in analysis.sections])
    paragraphs = "".join(
        paragraph_html(p, colour=colours.get(p.section, "#9e9e9e"), label=section_label(analysis, p.section))
        for p in analysis.paragraphs
    )
    legend = (
        '<div class="gr-legend">'
        f'<span><mark class="gr-bp">{escape(BOILERPLATE_TITLE)}</mark></span>'
        f'<span><mark class="gr-cp">{escape(COPIED_TITLE)}</mark></span>'
        '<span class="gr-muted">左侧色条和标签表示段落所属部分</span></div>'
    )
    return f'{CSS}{legend}<div class="gr-report">{paragraphs}</div>'


def paragraph_html(paragraph: Paragraph, *, colour: str, label: str) -> str:
    """One paragraph: its number (an anchor findings link to), a coloured bar and tag for its section,
    then its text with marked spans."""
    classes = "gr-para gr-heading" if paragraph.is_heading else "gr-para"
    number = paragraph.index + 1
    return (
        f'<div class="{classes}" id="{paragraph_anchor(paragraph.index)}" data-section="{escape(paragraph.section)}"'
        f' style="--c:{escape(colour)}"><span class="gr-num">第{number}段</span>'
        f'<span class="gr-tag" title="{escape(label)}">{escape(label)}</span>'
        f"{marked_text(paragraph.text, boilerplate=paragraph.boilerplate, copied=paragraph.copied)}</div>"
    )


def marked_text(text: str, *, boilerplate: list[list[int]], copied: list[list[int]]) -> str:
    """Escaped text with ``<mark>`` around boilerplate and copied spans (spans may overlap)."""
    kinds = {"gr-bp": _clip(boilerplate, len(text)), "gr-cp": _clip(copied, len(text))}
    cuts = sorted({0, len(text), *(b for spans in kinds.values() for span in spans for b in span)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [k for k, spans in kinds.items() if any(s <= start and end <= e for s, e in spans)]
        piece = escape(text[start:end])
        if covering:
            title = " / ".join(BOILERPLATE_TITLE if k == "gr-bp" else COPIED_TITLE for k in covering)
            piece = f'<mark class="{" ".join(covering)}" title="{escape(title)}">{piece}</mark>'
        out.append(piece)
    return "".join(out)


def _clip(spans: list[list[int]], length: int) -> list[tuple[int, int]]:
    """Spans inside the text and non-empty: a stale or malformed span must not break the page."""
    out = []
    for span in spans:
        if len(span) != 2:
            continue
        start, end = max(0, int(span[0])), min(length, int(span[1]))
        if start < end:
            out.append((start, end))
    return out


def elements_html(elements: list[ElementResult], *, max_evidence: int = 3) -> str:
    """A section's elements: found or not, and the sentences that evidence each."""
    if not elements:
        return '<p class="gr-muted">本部分没有可检查的要素。</p>'
    items = []
    for element in elements:
        state = "found" if element.found else "missing"
        quotes = "".join(_evidence_quote(e) for e in element.evidence[:max_evidence])
        items.append(f'<li data-status="{state}">{badge(ELEMENT_ZH[state], ELEMENT_COLOUR[state])}'
                     f"{escape(element.name)}{quotes}</li>")
    return f'<ul class="gr-checklist">{"".join(items)}</ul>'


def _evidence_quote(evidence: dict) -> str:
    sentence, term = str(evidence.get("sentence", "")), str(evidence.get("term", "") or "")
    where = evidence.get("paragraph")
    shown = escape(sentence)
    if term and term in sentence:
        start = sentence.index(term)
        shown = escape(sentence[:start]) + f"<b>{escape(term)}</b>" + escape(sentence[start + len(term):])
    where_text = f' <span class="gr-muted">({paragraph_links([int(where)])})</span>' if isinstance(where, int) else ""
    return f'<div class="gr-quote">{shown}{where_text}</div>'


def finding_html(finding: Finding) -> str:
    """A finding's detail: where, evidence quotes, and the suggestion with its figures and exemplars.

    Styles come from ``CSS``, which the page injects once.
    """
    where = (escape(location_text(finding.location)) if finding.location == "whole report" or not finding.location
             else paragraph_links(finding.location))
    parts = [f'<div class="gr-muted">严重程度:{escape(SEVERITY_ZH.get(finding.severity, finding.severity))}'
             f" · 类别:{escape(catalogue_label('kind', finding.kind))} · 位置:{where}</div>"]
    parts += [f'<div class="gr-quote">{escape(quote)}</div>' for quote in finding.evidence[:3]]
    suggestion = finding.suggestion or {}
    if suggestion.get("text"):
        parts.append(f"<p><b>建议:</b>{escape(str(suggestion['text']))}</p>")
    figures = [str(f) for f in suggestion.get("figures") or []]
    if figures:
        parts.append("<p><b>可补充的数据:</b>" + escape("、".join(figures)) + "</p>")
    exemplars = [e for e in suggestion.get("exemplars") or [] if isinstance(e, dict)]
    if exemplars:
        parts.append("<p><b>范例段落:</b></p>")
        parts += [
            f'<div class="gr-quote">{escape(str(e.get("text", "")))}'
            f' <span class="gr-muted">(范例 {escape(str(e.get("corpus_id", "")))})</span></div>'
            for e in exemplars[:3]
        ]
    why = f"<div>依据:{escape(str(suggestion['why']))}</div>" if suggestion.get("why") else ""
    parts.append(f'<details class="gr-muted"><summary>详情</summary>{why}<div>规则编号:{escape(finding.rule)}</div>'
                 "</details>")
    return "".join(parts)


def finding_card_html(finding: Finding) -> str:
    """A finding as the list shows it: the whole message (wrapping, never cut), where it is (linked to
    the paragraphs), and its evidence and suggestion folded in a native ``<details>``."""
    located = finding.location != "whole report" and finding.location
    where = f' <span class="gr-muted">({paragraph_links(finding.location)})</span>' if located else ""
    return (f'<div class="gr-finding"><div>{escape(finding.message)}{where}</div>'
            f'<details><summary class="gr-muted">证据与建议</summary>{finding_html(finding)}</details></div>')


def parts_html(parts: list) -> str:
    """The report-content parts as a checklist: name, coloured status word, paragraphs (linked)."""
    from analyzer.outputs.render import part_status

    items = []
    for part in parts:
        status = part_status(part)
        reason = getattr(part, "required_reason", "") or ""
        note = "必备" if part.required else "可选"
        where = f' <span class="gr-muted">({paragraph_links(part.paragraphs)})</span>' if part.paragraphs else ""
        title = f' title="{escape(reason)}"' if reason else ""
        items.append(f'<li data-status="{escape(status)}"{title}>'
                     f"{badge(PART_STATUS_ZH.get(status, status), PART_STATUS_COLOUR.get(status, '#757575'))}"
                     f'{escape(part.name)} <span class="gr-muted">{note}</span>{where}</li>')
    return f'<ul class="gr-checklist">{"".join(items)}</ul>'


def copying_html(copying: dict | None, *, limit: int = 30) -> str:
    """Copied passages side by side: this year's text | last year's, with changed figures marked."""
    if not copying:
        return ""
    passages = [p for p in copying.get("passages") or [] if isinstance(p, dict)]
    if not passages:
        return '<p class="gr-muted">未发现与上一年度报告雷同的段落。</p>'
    rows = []
    for passage in passages[:limit]:
        later, earlier = str(passage.get("later", "")), str(passage.get("earlier", ""))
        changed = _clip([list(span) for span in passage.get("changed") or []], len(later))
        kind = catalogue_label("copy_kind", passage.get("kind"))
        later_no, earlier_no = passage.get("later_paragraph"), passage.get("earlier_paragraph")
        rows.append(
            "<tr>"
            f"<td>{_changed_text(later, changed)}"
            f'<div class="gr-muted">{paragraph_links([later_no]) if isinstance(later_no, int) else ""}'
            f" · {escape(kind)}</div></td>"
            f"<td>{escape(earlier)}"
            f'<div class="gr-muted">{f"上一年度第{earlier_no + 1}段" if isinstance(earlier_no, int) else ""}</div></td>'
            "</tr>"
        )
    more = (f'<p class="gr-muted">另有 {len(passages) - limit} 处未列出,见 JSON 或 Excel 下载。</p>'
            if len(passages) > limit else "")
    return ('<table class="gr-copy"><thead><tr><th>本年度报告</th><th>上一年度报告</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{more}")


def _changed_text(text: str, changed: list[tuple[int, int]]) -> str:
    """Escaped text with the spans that differ from last year (changed figures) marked in blue."""
    out, cursor = [], 0
    for start, end in sorted(changed):
        if start < cursor:
            continue
        out.append(escape(text[cursor:start]))
        out.append(f'<mark class="gr-changed" title="与上一年度不同">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
