"""PDF with a text layer: lines rejoined into paragraphs, page numbers and running headers dropped.

A PDF that needs a password is refused (``EncryptedDocument``); one whose pages carry no text
is a scan (``NoTextLayer``): the message says to run OCR first.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from ..errors import CorruptFile, EncryptedDocument, NoTextLayer, TooLarge
from ..headings import starts_with_heading
from ..limits import Limits

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
_SENTENCE_END = tuple("。:;!?」』”)")


def read_pdf(data: bytes, limits: Limits) -> list[str]:
    """Paragraph texts of a text PDF, in reading order."""
    pages = _page_lines(data, limits)
    if not any(line for page in pages for line, _, _ in page):
        raise NoTextLayer("the PDF has no text layer (a scanned image?); run OCR on it first or upload the source file")
    chrome = _running_lines(pages)
    return _join_lines(pages, chrome)


def _page_lines(data: bytes, limits: Limits) -> list[list[tuple[str, float, float]]]:
    """For each page, its lines as (text, left x, right x)."""
    import pdfplumber  # lazy: pdfminer is slow to import
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > limits.max_pages:
                raise TooLarge(f"the PDF has {len(pdf.pages)} pages, over the limit of {limits.max_pages}")
            return [
                [(line["text"], line["x0"], line["x1"]) for line in page.extract_text_lines(strip=True)]
                for page in pdf.pages
            ]
    except TooLarge:
        raise
    except Exception as exc:  # pdfplumber wraps pdfminer's errors, and pdfminer raises many kinds
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(inner).lower():
            raise EncryptedDocument("the PDF is encrypted with a password; upload an unprotected copy") from exc
        raise CorruptFile(f"the PDF is damaged and cannot be read ({type(inner).__name__})") from exc


def _running_lines(pages: list[list[tuple[str, float, float]]]) -> set[str]:
    """Lines repeated at the top or bottom of at least half the pages (3 or more): headers, footers."""
    if len(pages) < 3:
        return set()
    edges = Counter()
    for page in pages:
        edge = {line for line, _, _ in page[:2] + page[-2:]}
        edges.update(edge)
    return {line for line, count in edges.items() if count >= max(3, len(pages) / 2)}


def _join_lines(pages: list[list[tuple[str, float, float]]], chrome: set[str]) -> list[str]:
    """Rejoin wrapped lines: a line continues the paragraph unless the previous one ended short
    or on a sentence end at less than full width, or the line is indented or opens a heading."""
    paragraphs: list[str] = []
    previous_full = False  # carried across pages: a paragraph may continue on the next page
    for page in pages:
        body = [(t, x0, x1) for t, x0, x1 in page if t not in chrome and not _PAGE_NUMBER.match(t)]
        if not body:
            continue
        left = min(x0 for _, x0, _ in body)
        right = max(x1 for _, _, x1 in body)
        char_width = _char_width(body)
        for text, x0, x1 in body:
            indented = x0 - left > 1.2 * char_width
            continues = previous_full and paragraphs and not indented and not starts_with_heading(text)
            if continues:
                paragraphs[-1] += text
            else:
                paragraphs.append(text)
            previous_full = (right - x1) < 1.5 * char_width and not (
                text.endswith(_SENTENCE_END) and right - x1 > 0.5 * char_width
            )
    return paragraphs


def _char_width(lines: list[tuple[str, float, float]]) -> float:
    widths = sorted((x1 - x0) / len(t) for t, x0, x1 in lines if len(t) >= 4)
    return widths[len(widths) // 2] if widths else 10.0
