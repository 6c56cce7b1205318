"""HTML for the report view: paragraphs marked by section, boilerplate and copied spans highlighted.

Report text is user input, so every piece of text and every attribute goes through ``html.escape``;
the only markup in the output is the markup built here.
"""

from __future__ import annotations

from html import escape

from analyzer.result import Analysis, ElementResult, Finding, ParagraphResult

from .labels import PART_ZH, SEVERITY_ZH, section_colours

CSS = """<style>
.gr-report{font-size:15px;line-height:1.75}
.gr-para{border-left:5px solid var(--c);padding:2px 10px;margin:6px 0;background:#fafafa}
.gr-para.gr-heading{font-weight:700;background:#f0f2f6}
.gr-tag{display:inline-block;font-size:11px;line-height:1.5;color:#fff;background:var(--c);border-radius:3px;
  padding:0 5px;margin-right:6px;vertical-align:1px;font-weight:400;max-width:16em;overflow:hidden;
  text-overflow:ellipsis;white-space:nowrap}
mark.gr-bp{background:#ffe08a;padding:0 1px;border-bottom:2px solid #e0a800}
mark.gr-cp{background:#f8c4c4;padding:0 1px;border-bottom:2px dashed #c62828}
mark.gr-bp.gr-cp{background:linear-gradient(#ffe08a,#f8c4c4)}
.gr-legend{font-size:13px;margin:4px 0 8px}
.gr-legend span{margin-right:12px}
.gr-quote{border-left:3px solid #d0d0d0;padding:2px 8px;margin:4px 0;color:#333;font-size:14px}
.gr-muted{color:#666;font-size:13px}
</style>"""

BOILERPLATE_TITLE = "套话:空泛的程式化表述"
COPIED_TITLE = "与其他报告雷同的文字"


def section_label(analysis: Analysis, label: str) -> str:
    """What a paragraph's section id is called: the framework's section name, or the shared part's name."""
    for section in analysis.sections:
        if section.id == label:
            return f"{section.id} {section.name}"
    return PART_ZH.get(label, label)


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


def paragraph_html(paragraph: ParagraphResult, *, colour: str, label: str) -> str:
    """One paragraph: a coloured bar and tag for its section, then its text with marked spans."""
    classes = "gr-para gr-heading" if paragraph.is_heading else "gr-para"
    return (
        f'<div class="{classes}" data-section="{escape(paragraph.section)}" style="--c:{escape(colour)}">'
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
        mark = "✅" if element.found else "❌"
        quotes = "".join(_evidence_quote(e) for e in element.evidence[:max_evidence])
        items.append(f"<li>{mark} <b>{escape(element.id)}</b> {escape(element.name)}{quotes}</li>")
    return f'<ul style="list-style:none;padding-left:0">{"".join(items)}</ul>'


def _evidence_quote(evidence: dict) -> str:
    sentence, term = str(evidence.get("sentence", "")), str(evidence.get("term", "") or "")
    where = evidence.get("paragraph")
    shown = escape(sentence)
    if term and term in sentence:
        start = sentence.index(term)
        shown = escape(sentence[:start]) + f"<b>{escape(term)}</b>" + escape(sentence[start + len(term):])
    where_text = f' <span class="gr-muted">(第{escape(str(where))}段)</span>' if where is not None else ""
    return f'<div class="gr-quote">{shown}{where_text}</div>'


def finding_html(finding: Finding) -> str:
    """A finding's detail: where, evidence quotes, and the suggestion with its figures and exemplars.

    Styles come from ``CSS``, which the page injects once.
    """
    where = "全文" if finding.location == "whole report" else "第 " + "、".join(map(str, finding.location)) + " 段"
    parts = [f'<div class="gr-muted">严重程度:{escape(SEVERITY_ZH.get(finding.severity, finding.severity))}'
             f" · 位置:{escape(where)} · 规则:{escape(finding.rule)}</div>"]
    parts += [f'<div class="gr-quote">{escape(quote)}</div>' for quote in finding.evidence[:3]]
    suggestion = finding.suggestion or {}
    if suggestion.get("text"):
        parts.append(f"<p><b>建议:</b>{escape(str(suggestion['text']))}</p>")
    if suggestion.get("why"):
        parts.append(f'<p class="gr-muted">依据:{escape(str(suggestion["why"]))}</p>')
    figures = [str(f) for f in suggestion.get("figures") or []]
    if figures:
        parts.append("<p><b>可补充的数据:</b>" + escape("、".join(figures)) + "</p>")
    exemplars = [e for e in suggestion.get("exemplars") or [] if isinstance(e, dict)]
    if exemplars:
        parts.append("<p><b>范例段落:</b></p>")
        parts += [
            f'<div class="gr-quote">{escape(str(e.get("text", "")))}'
            f' <span class="gr-muted">({escape(str(e.get("corpus_id", "")))})</span></div>'
            for e in exemplars[:3]
        ]
    return "".join(parts)
