"""Document structure: headings with levels, paragraphs, sentences, and report metadata.

Works on the clean paragraphs from ``ingest``. Headings are recognised by their numbering marker
(``headings``) and length, or by a Word heading style; metadata (title, recipient, issuer, date,
文号, covered year) by the genre's conventions (shared/domain §7).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .headings import INLINE_ENUM, heading_marker, strip_marker

_SENTENCE = re.compile(r"[^。!?;]*(?:[。!?;]+[”’」』)]*|$)")
_HEADING_MAX = 40  # a numbered line longer than this, or with a full stop inside, is a body paragraph
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[\[〔【(]\s*((?:19|20)\d{2})\s*[\]〕】)]\s*(?:第\s*)?\d{1,4}\s*号"
)
# Words that precede a 文号 in running text but are not part of the issuing organ's code.
_DOC_NUMBER_LEAD = re.compile(r"^(?:根据|按照|依据|依照|参照|对照|执行|落实|贯彻|印发了?|下发了?|转发|制定了?|出台了?|经|以|和|及|与|的|于|为|是|在)+")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "O": 0, "○": 0, "Ｏ": 0}
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(r"([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_COVERED_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?[^,。;:]{0,12}?法治(?:政府)?建设")
_TITLE_HINT = re.compile(r"(?:报告|总结|情况)$|关于.{2,60}的报告")
_RECIPIENT = re.compile(r"^[^。,;]{2,40}[::]$")
_ISSUER_HINT = re.compile(r"(?:局|委|厅|部|办|政府|委员会|中心|院|署|街道|镇|乡|处|公司|党组|办公室|区委|县委|市委|分局)$")


@dataclass
class Paragraph:
    index: int
    text: str
    is_heading: bool = False
    level: int | None = None  # heading level (0 第一部分 … 5 ①)
    heading: int | None = None  # index of the governing heading paragraph
    lead: str | None = None  # a run-in heading: "1.深化改革。正文…" → "深化改革"
    sentences: list[tuple[int, int]] = field(default_factory=list)
    enumerations: list[int] = field(default_factory=list)  # offsets of 一是/二是 … items
    tokens: list[tuple[str, int, int]] = field(default_factory=list)  # set once by the segmenter

    def sentence_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.sentences]


@dataclass
class Metadata:
    title: str | None = None
    recipient: str | None = None
    issuer: str | None = None
    date: str | None = None  # ISO date of signature
    doc_numbers: list[str] = field(default_factory=list)
    year: int | None = None  # the year the report covers
    meta_paragraphs: list[int] = field(default_factory=list)


@dataclass
class Structure:
    paragraphs: list[Paragraph]
    metadata: Metadata
    # Values derived from the paragraphs and their tokens, computed once per document by the stage
    # that needs them (e.g. classifier features, read by two models); emptied when tokens change.
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def headings(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.is_heading]


def parse_structure(texts: list[str], *, heading_hints: list[int | None] | None = None) -> Structure:
    """Headings, sentences and metadata of a document given as clean paragraphs."""
    hints = heading_hints or [None] * len(texts)
    paragraphs = [_paragraph(i, text, hints[i]) for i, text in enumerate(texts)]
    _link_headings(paragraphs)
    return Structure(paragraphs, extract_metadata(paragraphs))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: ends at 。!?; (and closing quotes after them)."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        if text[start:end].strip():
            spans.append((start, end))
    return spans


def _paragraph(index: int, text: str, hint: int | None) -> Paragraph:
    paragraph = Paragraph(index, text, sentences=split_sentences(text))
    paragraph.enumerations = [m.end() for m in INLINE_ENUM.finditer(text)]
    marker = heading_marker(text)
    body = strip_marker(text)
    short = len(text) <= _HEADING_MAX and "。" not in body.rstrip("。")
    if hint is not None and len(text) <= 2 * _HEADING_MAX:
        paragraph.is_heading, paragraph.level = True, hint
    elif marker and short:
        paragraph.is_heading, paragraph.level = True, marker[0]
    elif marker:
        lead = re.split(r"[。:;]", body, maxsplit=1)[0]
        if 2 <= len(lead) <= _HEADING_MAX:
            paragraph.lead = lead
    return paragraph


def _link_headings(paragraphs: list[Paragraph]) -> None:
    """Point every paragraph at its governing heading: the nearest heading above it at a
    shallower level (for headings) or the nearest heading (for body paragraphs)."""
    stack: list[Paragraph] = []
    for p in paragraphs:
        if p.is_heading:
            while stack and stack[-1].level >= p.level:
                stack.pop()
            p.heading = stack[-1].index if stack else None
            stack.append(p)
        else:
            p.heading = stack[-1].index if stack else None


def extract_metadata(paragraphs: list[Paragraph]) -> Metadata:
    """Title, recipient, issuer, signature date, cited 文号 and the covered year."""
    meta = Metadata()
    texts = [p.text for p in paragraphs]
    head = [p for p in paragraphs[:4] if not p.is_heading]
    for p in head:
        if meta.recipient is None and _RECIPIENT.match(p.text) and not _DATE.search(p.text):
            meta.recipient = p.text.rstrip(":").strip()
            meta.meta_paragraphs.append(p.index)
            break
        if meta.title is None and len(p.text) <= 80 and _TITLE_HINT.search(p.text) and "。" not in p.text:
            meta.title = p.text
            meta.meta_paragraphs.append(p.index)
    _signature(paragraphs, meta)
    seen = []
    for text in texts:
        if "号" not in text:
            continue  # every 文号 ends in 号; the pattern itself would be tried at every character
        for match in _DOC_NUMBER.finditer(text):
            number = _DOC_NUMBER_LEAD.sub("", re.sub(r"\s+", "", match.group(0)))
            if number not in seen:
                seen.append(number)
    meta.doc_numbers = seen
    meta.year = covered_year(meta, texts)
    if meta.issuer is None and meta.title:
        found = re.match(r"(.+?)(?:关于)?(?:(?:19|20)\d{2}年度?)", meta.title)
        if found and _ISSUER_HINT.search(found.group(1)):
            meta.issuer = found.group(1)
    return meta


def _signature(paragraphs: list[Paragraph], meta: Metadata) -> None:
    """Issuer and date from the closing lines (date last, issuer just above or on the same line)."""
    tail = [p for p in paragraphs[-5:] if not p.is_heading]
    for p in reversed(tail):
        parsed = parse_date(p.text)
        if parsed and len(p.text) <= 40:
            meta.date = parsed.isoformat()
            meta.meta_paragraphs.append(p.index)
            before = p.text[: _date_start(p.text)].strip()
            if before and _ISSUER_HINT.search(before):
                meta.issuer = before
            elif p.index > 0:
                previous = paragraphs[p.index - 1]
                if len(previous.text) <= 40 and "。" not in previous.text and not previous.is_heading:
                    meta.issuer = previous.text.strip()
                    meta.meta_paragraphs.append(previous.index)
            return


def parse_date(text: str) -> date | None:
    """The first date in ``text`` (Arabic or Chinese numerals), or None."""
    match = _DATE.search(text)
    try:
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _CN_DATE.search(text)
        if match:
            year = int("".join(str(_CN_DIGITS.get(c, 0)) for c in match.group(1)))
            return date(year, _cn_number(match.group(2)), _cn_number(match.group(3)))
    except ValueError:
        return None
    return None


def _date_start(text: str) -> int:
    match = _DATE.search(text) or _CN_DATE.search(text)
    return match.start() if match else len(text)


def _cn_number(text: str) -> int:
    """一..三十一 as an integer."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return 10 * _CN_DIGITS[tens] + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def covered_year(meta: Metadata, texts: list[str]) -> int | None:
    """The year a report covers: from the title or the intro ("现将2017年法治政府建设情况报告如下"),
    else from the signature date (reports are signed late in the year or early the next)."""
    for text in ([meta.title] if meta.title else []) + texts[:6]:
        match = _COVERED_YEAR.search(text)
        if match:
            return int(match.group(1))
    if meta.date:
        signed = date.fromisoformat(meta.date)
        return signed.year if signed.month >= 9 else signed.year - 1
    years = Counter(int(y) for text in texts for y in re.findall(r"((?:19|20)\d{2})年", text))
    return years.most_common(1)[0][0] if years else None
