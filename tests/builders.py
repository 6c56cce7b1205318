"""Build test documents in every supported format from a list of paragraphs; read the corpus."""

from __future__ import annotations

import html as html_lib
import io
import json
from pathlib import Path

from analyzer.text.headings import heading_marker


def make_docx(paragraphs: list[str], *, heading_styles: bool = True, table_rows: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        marker = heading_marker(text)
        if heading_styles and marker and len(text) <= 40 and marker[0] in (1, 2):
            document.add_heading(text, level=marker[0])
        else:
            document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(paragraphs: list[str], *, encrypt_password: str | None = None, page_numbers: bool = True) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, firstLineIndent=24,
                          wordWrap="CJK", spaceAfter=4)
    heading = ParagraphStyle("heading", parent=body, firstLineIndent=0)
    buffer = io.BytesIO()
    kwargs = {"encrypt": encrypt_password} if encrypt_password else {}
    document = SimpleDocTemplate(buffer, pagesize=A4, **kwargs)
    flow = [
        Paragraph(html_lib.escape(t), heading if heading_marker(t) and len(t) <= 40 else body) for t in paragraphs
    ]

    def number(canvas, doc):
        if page_numbers:
            canvas.setFont("STSong-Light", 10)
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    document.build(flow, onFirstPage=number, onLaterPages=number)
    return buffer.getvalue()


def make_blank_pdf(pages: int = 1) -> bytes:
    """A PDF whose pages carry no text at all: what a scan without OCR looks like to us."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    return buffer.getvalue()


def make_html(paragraphs: list[str], *, title: str | None = None) -> bytes:
    """A government-site page: navigation, breadcrumbs, date banner, the article, a footer."""
    body = "\n".join(f"<p>{html_lib.escape(t)}</p>" for t in paragraphs)
    heading = f"<h1>{html_lib.escape(title)}</h1>" if title else ""
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>江城市人民政府门户网站</title>
<script>var x = "<p>脚本里的文字不应出现</p>";</script><style>p {{color: red}}</style></head>
<body><div class="top">今天是2018年3月1日 星期四</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bs">办事服务</a></li></ul></nav>
<div class="crumb">您所在的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>
<div class="main"><div class="article">{heading}
<div class="info">发布时间：2018-03-01 【字体：大 中 小】 【打印本页】</div>
<div class="TRS_Editor">{body}</div></div>
<div class="side"><h3>相关链接</h3><ul><li><a href="/a">国务院</a></li><li><a href="/b">省政府</a></li></ul></div></div>
<footer><p>主办单位：江城市人民政府办公室 版权所有 网站标识码 4417000001 粤ICP备12345678号</p></footer>
</body></html>"""
    return page.encode("utf-8")


LABELS = Path(__file__).resolve().parent.parent / "corpora" / "labels.jsonl"


def corpus_reports() -> dict[str, list[dict]]:
    """The labelled corpus (corpora/labels.jsonl): report id → its paragraph rows, in order."""
    reports: dict[str, list[dict]] = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        reports.setdefault(row["id"], []).append(row)
    return {rid: sorted(rows, key=lambda r: r["para"]) for rid, rows in reports.items()}


def corpus_texts() -> list[list[str]]:
    """Each corpus report as its paragraph texts."""
    return [[row["text"] for row in rows] for rows in corpus_reports().values()]
