"""Document structure: headings with levels, paragraphs, sentences, and report metadata.

Works on the clean paragraphs from ``ingest``. Headings are recognised by their numbering marker
(``headings``) and length, or by a Word heading style; metadata (title, recipient, issuer, date,
文号, covered year) by the genre's conventions (shared/domain §7).
"""

from __future__ import annotations

import re
from datetime import date

from analyzer.doc import Doc
from analyzer.result import Metadata, Paragraph
from analyzer.text.headings import INLINE_ENUM, heading_marker, strip_marker

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
_NOT_RECIPIENT = re.compile(r"如下|现将|根据|按照|\d")
_ISSUER_HINT = re.compile(r"(?:局|委|厅|部|办|政府|委员会|中心|院|署|街道|镇|乡|处|公司|党组|办公室|区委|县委|市委|分局)$")
# Header and title: the lines before the first heading or sentence, and how long a title can be.
_HEADER_MAX = 6
_TITLE_MAX = 80
_COMMA = re.compile(r"[,,]")
# An issuing body or place: how its name ends, how it may not start (我局, 全市, 各单位 …), its length.
_ISSUER_END = re.compile(r"(?:局|厅|委|部|办|办事处|政府|委员会|管委会|中心|院|署|街道|镇|乡|处|公司|办公室|区|县|市|省|州|旗|盟)$")
_NOT_ISSUER_START = re.compile(r"^(?:我|本|全|各|该|是|从|对|为|在|根据|按照|关于|现将|今年|上半年|下半年)")
_ISSUER_MAX = 30
_TITLE_BEFORE_YEAR = re.compile(r"(.+?)(?:(?:19|20)\d{2})\s*年")
_TITLE_AFTER_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?(?:关于)?(.+?)(?:全[省市县区])?(?:推进)?(?:法治|依法行政)")
# A speaker line under a title read to a people's congress: 江城区人民政府副区长 王某某.
_SPEAKER = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:长|主任|书记)\s+[\u4e00-\u9fff]{2,4}$")
_DATE_LINE = re.compile(
    r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$|^[〇零○O一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}日)?$"
)
# A 文号 line of the header holds little else (签发人:王某某); a longer line is text citing a 文号.
_DOC_NUMBER_LINE_EXTRA = 12
# Words before a 文号 that make it a citation of another document, not the report's own number.
_CITATION = re.compile(r"根据|按照|依据|依照|参照|对照|执行|落实|贯彻|转发|印发|关于|通知|要求|文件|《|》")
# The subject of the opening sentence, up to the verb or phrase that follows a subject in this genre.
_OPENING_SUBJECT = re.compile(
    r"^\s*(?:19|20)\d{2}\s*年度?(?:以来|来)?\s*[,,、]?\s*(?:在[^。;]{2,80}?下\s*[,,]\s*)?"
    r"(?P<who>(?:(?!的)[\u4e00-\u9fff]){2,30}?)"
    r"(?=坚持|深入|认真|全面|紧紧|始终|紧扣|紧密|紧跟|围绕|持续|扎实|积极|着力|聚焦|以|在|按照|根据|高度|法治|党委|党工委|"
    r"党组|深化|切实|不断|严格|牢固|进一步|立足|贯彻|落实|把|将|结合|锚定|统筹|全力|大力|主动|努力|强化|加强|推进|推动|"
    r"狠抓|注重|继续|践行|秉持|坚定|对标|着眼|健全|完善)"
)
# "现将江城区司法局2023年法治政府建设情况报告如下": the report announces itself with its issuer.
_REPORTS_AS = re.compile(r"现将(?P<who>(?:(?!的)[\u4e00-\u9fff]){2,30}?)(?:关于)?(?:19|20)\d{2}\s*年")
# Years that are not the covered year: a cited plan's span and anything inside a cited title.
_YEAR_SPAN = re.compile(r"(?:19|20)\d{2}\s*年?\s*[—–\-~至到－]*\s*(?:19|20)\d{2}\s*年?")
_CITED_TITLE = re.compile(r"《[^》]*》")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_OPENING_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年(?:度)?(?![\d—–\-~至])")
_DATE_AT_END = re.compile(r"(?:日|号)\s*[)\]]?\s*$")
_OPENING_MAX = 8  # paragraphs where a year phrase counts as the opening's


def parse_structure(texts: list[str], *, heading_hints: list[int | None] | None = None) -> Doc:
    """The working document of clean paragraphs: headings, sentences and metadata (the first stage
    after ingestion; the later ones add to it)."""
    hints = heading_hints or [None] * len(texts)
    paragraphs = [_paragraph(i, text, hints[i]) for i, text in enumerate(texts)]
    _link_headings(paragraphs)
    return Doc(paragraphs, extract_metadata(paragraphs))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: ends at 。!?; (and closing quotes after them)."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        if text[start:end].strip():
            spans.append((start, end))
    return spans


def _paragraph(index: int, text: str, hint: int | None) -> Paragraph:
    """A parsed paragraph, with its working attributes (never encoded): ``lead``, a run-in heading
    ("1.深化改革。正文…" → "深化改革"); ``enumerations``, the offsets of its 一是/二是 … items; ``tokens``,
    set once by the segmenter (``pipeline.attach_tokens``)."""
    paragraph = Paragraph(index=index, text=text, section="", is_heading=False, heading=None,
                          sentences=[[s, e] for s, e in split_sentences(text)])
    paragraph.lead = None
    paragraph.enumerations = [m.end() for m in INLINE_ENUM.finditer(text)]
    paragraph.tokens = []
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
    """Title, recipient, issuer, signature date, the report's own and the cited 文号, and the covered year.

    The header (the lines before the first heading or body paragraph) is read first: the title, even
    over two lines; an issuer line; the recipient; the report's own 文号; date lines. The issuer comes
    from the title, else an issuer line, else the signature, else the subject of the opening sentence
    ("2023年,江城区司法局坚持…")."""
    meta = Metadata()
    meta.meta_paragraphs = []  # working attribute: the header and signature lines (never encoded)
    texts = [p.text for p in paragraphs]
    header = _header(paragraphs)
    issuer_line = _read_header(header, meta)
    title_issuer = issuer_from_title(meta.title) if meta.title else None
    _signature(paragraphs, meta)
    signed = meta.issuer
    meta.issuer = _fullest(title_issuer or issuer_line or signed or _opening_subject(paragraphs, set(meta.meta_paragraphs)),
                           [issuer_line, signed])
    own = set(meta.doc_numbers)
    meta.doc_numbers_cited = [n for n in _doc_numbers(texts) if n not in own]
    meta.meta_paragraphs = list(dict.fromkeys(meta.meta_paragraphs))
    skipped = set(meta.meta_paragraphs)
    meta.year = covered_year(meta, ["" if i in skipped else t for i, t in enumerate(texts)])
    return meta


def _fullest(issuer: str | None, others: list[str | None]) -> str | None:
    """The issuer, or a longer name of the same body found elsewhere in the report (a title says
    白沙镇, the signature 青山县白沙镇人民政府)."""
    if not issuer:
        return issuer
    longer = [o.strip() for o in others if o and issuer in o and len(o.strip()) > len(issuer) and _issuer_like(o.strip())]
    return max(longer, key=len) if longer else issuer


def _header(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The leading lines that can hold title, recipient, issuer, 文号 and dates: up to the first
    heading or sentence-long paragraph, at most ``_HEADER_MAX`` lines."""
    header = []
    for p in paragraphs[:_HEADER_MAX]:
        if p.is_heading or len(p.text) > _TITLE_MAX or "。" in p.text:
            break
        header.append(p)
    return header


def _read_header(header: list[Paragraph], meta: Metadata) -> str | None:
    """Fill title, recipient, own 文号 and date from the header; return an issuer named on a line of its own."""
    issuer_line = None
    previous: Paragraph | None = None  # the last header line not yet explained
    for p in header:
        text = p.text.strip()
        if _RECIPIENT.match(text) and (meta.recipient is not None or _NOT_RECIPIENT.search(text)):
            break  # "现将…报告如下:" or a second line ending in a colon: the body has begun
        if _RECIPIENT.match(text) and not _DATE.search(text):
            meta.recipient = clean_recipient(text)
            meta.meta_paragraphs.append(p.index)
        elif _is_own_doc_number_line(text):
            meta.doc_numbers.extend(n for n in _doc_numbers([text]) if n not in meta.doc_numbers)
            meta.meta_paragraphs.append(p.index)
        elif meta.title is None and _is_title(text):
            if previous is not None and _is_title_head(previous.text):
                text = previous.text.strip() + text  # a title set over two lines
                meta.meta_paragraphs.append(previous.index)
                if _issuer_like(previous.text.strip()):
                    issuer_line = issuer_line or previous.text.strip()
            meta.title = text
            meta.meta_paragraphs.append(p.index)
            meta.doc_numbers.extend(n for n in _own_numbers_in_title(text) if n not in meta.doc_numbers)
        elif _is_date_line(text):
            parsed = parse_date(text)
            if parsed and meta.date is None:
                meta.date = parsed.isoformat()
            meta.meta_paragraphs.append(p.index)
        elif _issuer_like(text) or _SPEAKER.match(text):
            issuer_line = issuer_line or (text if _issuer_like(text) else None)
            meta.meta_paragraphs.append(p.index)
            previous = p
            continue
        else:
            previous = p
            continue
        previous = None
    return issuer_line


def _is_title(text: str) -> bool:
    return len(text) <= _TITLE_MAX and "。" not in text and not _COMMA.search(text) and bool(_TITLE_HINT.search(text))


def _is_title_head(text: str) -> bool:
    """A line that can open a title continued on the next line: short, no sentence, no colon."""
    text = text.strip()
    return 2 <= len(text) <= _TITLE_MAX and not re.search(r"[。,,::;]", text) and not _is_date_line(text)


def _is_date_line(text: str) -> bool:
    """A line that is only a date or a dated subtitle: 2024年2月, 2024年2月5日, ——2021年4月29日在…会议上."""
    text = text.strip()
    return bool(_DATE_LINE.match(text) or (text.startswith(("——", "—", "-")) and _DATE.search(text)))


def _is_own_doc_number_line(text: str) -> bool:
    """A header line that is the report's own 文号 (alone, or with 签发人 and the like), not a citation."""
    compact = re.sub(r"\s+", "", text)
    numbers = _doc_numbers([compact])
    if not numbers:
        return False
    rest = compact
    for number in numbers:
        rest = rest.replace(number, "")
    return len(rest) <= _DOC_NUMBER_LINE_EXTRA and not _CITATION.search(rest)


def _own_numbers_in_title(title: str) -> list[str]:
    """A 文号 set in brackets right after the title is the report's own: …的报告(江司发〔2024〕3号)."""
    compact = re.sub(r"\s+", "", title)
    return [n for n in _doc_numbers([compact]) if "《" not in compact and not _CITATION.search(compact)]


def _doc_numbers(texts: list[str]) -> list[str]:
    """Every 文号 in ``texts``, once each, in order of first mention, without a citing verb in front."""
    seen: list[str] = []
    for text in texts:
        if "号" not in text:
            continue  # every 文号 ends in 号; the pattern itself would be tried at every character
        for match in _DOC_NUMBER.finditer(text):
            number = _DOC_NUMBER_LEAD.sub("", re.sub(r"\s+", "", match.group(0)))
            if number not in seen:
                seen.append(number)
    return seen


def clean_recipient(text: str) -> str:
    """The recipient line without its colon, pinyin annotations (区(qū)政府) and stray spaces between
    Chinese characters."""
    from analyzer.ingest.normalize import normalize_width, strip_pinyin

    cleaned = strip_pinyin(normalize_width(text)).strip().rstrip(":").strip()
    return re.sub(r"(?<=[\u4e00-\u9fff、])\s+(?=[\u4e00-\u9fff、])", "", cleaned)


def issuer_from_title(title: str) -> str | None:
    """The issuing body a title names: before the year (江城区司法局2023年…, 江城区司法局关于2023年…,
    关于江城区司法局2023年…), or between year and subject (2023年度江城区法治政府建设工作报告)."""
    compact = re.sub(r"\s+", "", title)
    compact = re.sub(r"^关于", "", compact)
    before = _TITLE_BEFORE_YEAR.match(compact)
    if before:
        candidate = re.sub(r"关于$", "", before.group(1))
        return candidate if _issuer_like(candidate) else None
    after = _TITLE_AFTER_YEAR.match(compact)
    if after and _issuer_like(after.group(1)):
        return after.group(1)
    return None


def _issuer_like(text: str) -> bool:
    """A name of a government body or a place: short, no digits or punctuation, ends like one."""
    text = text.strip()
    return (
        2 <= len(text) <= _ISSUER_MAX
        and not _NOT_ISSUER_START.match(text)
        and not re.search(r"[\d。,,::;;《》()“”]", text)
        and bool(_ISSUER_END.search(text))
    )


def _opening_subject(paragraphs: list[Paragraph], meta_paragraphs: set[int]) -> str | None:
    """The body named as subject of the opening sentence: "2023年,江城区司法局坚持…",
    "2023年,在区委、区政府的领导下,江城区司法局深入…", or in "现将江城区司法局2023年…情况报告如下";
    never 我局 or 全市."""
    body = [p for p in paragraphs[: _HEADER_MAX + 2] if not p.is_heading and p.index not in meta_paragraphs]
    for p in body[:2]:
        match = _OPENING_SUBJECT.match(p.text) or _REPORTS_AS.search(p.text)
        if match:
            subject = re.sub(r"^原(?=.{3})", "", match.group("who"))  # 原环境保护部: the body before it was renamed
            if _issuer_like(subject):
                return subject
    return None


def _signature(paragraphs: list[Paragraph], meta: Metadata) -> None:
    """Issuer and date from the closing lines (date last, issuer just above or on the same line). The
    date must end its line: "2023年5月10日,召开…" in a short body paragraph is not a signature."""
    header = set(meta.meta_paragraphs)
    tail = [p for p in paragraphs[-5:] if not p.is_heading and p.index not in header]
    for p in reversed(tail):
        parsed = parse_date(p.text)
        if parsed and len(p.text) <= 40 and _DATE_AT_END.search(p.text):
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
    """The year a report covers: the year its title reports on; else a year phrase of the opening
    ("2023年,我局…", "2023年度,…", "一、2023年工作情况", "现将2017年法治政府建设情况报告如下"); else the
    signature date (reports are signed late in the year or early the next). Years inside a cited plan's
    span ((2021—2025年)) or a cited document's title (《…》) never count, nor later body mentions."""
    if meta.title:
        found = _TITLE_YEAR.search(_without_citations(meta.title))
        if found:
            return int(found.group(1))
    for text in texts[:_OPENING_MAX]:
        plain = _without_citations(strip_marker(text))
        found = _OPENING_YEAR.match(plain) or _COVERED_YEAR.search(plain)
        if found:
            return int(found.group(1))
    if meta.date:
        signed = date.fromisoformat(meta.date)
        return signed.year if signed.month >= 9 else signed.year - 1
    return None


def _without_citations(text: str) -> str:
    """The text without cited titles (《…》) and year spans ((2021—2025年), 2016-2020)."""
    return _YEAR_SPAN.sub(" ", _CITED_TITLE.sub(" ", text))
