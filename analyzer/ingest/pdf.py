"""PDF with a text layer: lines rejoined into paragraphs, page numbers and running headers dropped.

Dropped are a page's first or last line when it is only a page number (see ``_is_page_number``), and
lines repeated at the top or bottom of at least half the pages (three or more): running headers.

A PDF that needs a password is refused (``EncryptedDocument``); one whose pages carry no text
is a scan (``NoTextLayer``): the message says to run OCR first, as it does for text drawn in fonts
that do not map their glyphs to characters. pdfminer runs under ``pdfguard``'s budgets.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from analyzer.errors import CorruptFile, EncryptedDocument, InputError, NoTextLayer, TooLarge
from analyzer.limits import Limits
from analyzer.text.headings import starts_with_heading

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*(?:共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
_DECORATED = re.compile(r"[-—–页/]")
_SENTENCE_END = tuple("。:;!?」』”)")
# pdfminer writes "(cid:123)" for a glyph its font cannot map to a character.
_UNMAPPED = re.compile(r"\(cid:\d+\)")


def read_pdf(data: bytes, limits: Limits) -> list[str]:
    """Paragraph texts of a text PDF, in reading order."""
    pages = _page_lines(data, limits)
    lines = [line for page in pages for line, _, _ in page]
    if not any(lines):
        raise NoTextLayer("the PDF has no text layer (a scanned image?); run OCR on it first or upload the source file")
    text = "".join(lines)
    unmapped = len(_UNMAPPED.findall(text))
    if unmapped and unmapped >= len(_UNMAPPED.sub("", text)):  # most glyphs have no character
        raise NoTextLayer(
            "the PDF's fonts do not say which characters they draw, so its text cannot be read; "
            "run OCR on it or upload the source file"
        )
    chrome = _running_lines(pages)
    return _join_lines(pages, chrome)


def _page_lines(data: bytes, limits: Limits) -> list[list[tuple[str, float, float]]]:
    """For each page, its lines as (text, left x, right x)."""
    import pdfplumber  # lazy: pdfminer is slow to import
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from analyzer.ingest.pdfguard import bounded

    # pdfminer's debug and warning messages quote the document's bytes: keep them out of the logs.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with bounded(limits), pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise CorruptFile("the PDF is damaged or empty: it has no readable pages")
            if len(pdf.pages) > limits.max_pages:
                raise TooLarge(f"the PDF has {len(pdf.pages)} pages, over the limit of {limits.max_pages}")
            pages = []
            for page in pdf.pages:
                pages.append([(line["text"], line["x0"], line["x1"]) for line in page.extract_text_lines(strip=True)])
                page.close()  # drop the page's character objects now: they are large
            return pages
    except InputError:
        raise
    except Exception as exc:  # pdfplumber wraps pdfminer's errors, and pdfminer raises many kinds
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, InputError):
            raise inner from None
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(inner).lower():
            raise EncryptedDocument("the PDF is encrypted with a password; upload an unprotected copy") from exc
        if isinstance(inner, MemoryError):
            raise TooLarge("the PDF needs more memory to read than this machine allows") from exc
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
        left = min((x0 for _, x0, _ in page), default=0.0)
        width = _char_width(page)
        body = [(t, x0, x1) for i, (t, x0, x1) in enumerate(page)
                if t not in chrome and not _is_page_number(i, page, left, width)]
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


def _is_page_number(index: int, page: list[tuple[str, float, float]], left: float, char_width: float) -> bool:
    """A page's first or last line that is only a page number: decorated (— 4 —, 第4页, 4/10), or bare
    digits set off from the text's left edge (centred, or right). Bare digits flush left are the
    end of a wrapped paragraph."""
    text, x0, _ = page[index]
    if index not in (0, len(page) - 1) or not _PAGE_NUMBER.match(text):
        return False
    return bool(_DECORATED.search(text)) or x0 - left > 0.5 * char_width


def _char_width(lines: list[tuple[str, float, float]]) -> float:
    widths = sorted((x1 - x0) / len(t) for t, x0, x1 in lines if len(t) >= 4)
    return widths[len(widths) // 2] if widths else 10.0
