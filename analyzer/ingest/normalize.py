"""Text normalisation applied to every ingested paragraph (documented in the README).

1. Full-width ASCII variants (U+FF01–FF5E) and small-form brackets become their ASCII forms, the
   ideographic space a plain space: ``（一）``, ``(一)`` and ``﹙一﹚`` read alike, ``２０１７`` is ``2017``.
   Chinese-only punctuation (。、《》“” …) is kept.
2. Traditional characters become simplified (OpenCC ``t2s``), only when the text holds traditional
   characters, so that simplified text is never touched.
3. Runs of white space inside a paragraph become one space; ends are stripped.
4. Invisible characters go: zero-width space (U+200B) and byte-order marks (U+FEFF). Lone
   surrogates, which no encoded file can hold but pasted text can, become U+FFFD.
5. Pinyin annotations that web pages set after a character go: ``区(qū)政府`` → ``区政府`` (a
   bracketed Latin syllable with a tone mark, right after a Chinese character; ``(GDP)`` stays).
6. Garbled heading markers get their standard form (``headings.clean_marker``): ``一,、`` / ``一、、`` /
   ``一.`` → ``一、``, ``(一),`` → ``(一)``.

``is_page_chrome`` recognises the field lines of a government web page (索引号, 发布时间, 来源, 浏览次数,
字号 大 中 小, 打印本页, 关闭窗口, 分享到 …) that people copy along with a report; the text and web
readers drop them (documented in docs/LIMITS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from analyzer.text.headings import clean_marker

_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xFE59: ord("("), 0xFE5A: ord(")"), 0xFE55: ord(":"), 0xFE50: ord(",")})
_WIDTH.update({0xFE54: ord(";"), 0xFE56: ord("?"), 0xFE57: ord("!"), 0x00A0: 0x20, 0x200B: None, 0xFEFF: None})
_WIDTH.update({c: 0xFFFD for c in range(0xD800, 0xE000)})


def _runs_of(codes: Iterable[int]) -> re.Pattern[str]:
    """A pattern for runs of the characters ``codes``, written as ranges."""
    ranges, codes = [], sorted(codes)
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]+")


# Most of a paragraph needs no change: translating only the runs of characters ``_WIDTH`` maps
# is three times faster than ``str.translate`` over the whole text (a dict look-up per character).
_WIDE_RUNS = _runs_of(_WIDTH)
_SPACES = re.compile(r"\s+")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])\(\s*[a-zü]*[{_TONED}][a-zü]*\s*\)")
# Field lines of a web page: a label and its value ("发布时间:2024-01-05"), or a bare page control.
_CHROME_FIELD = re.compile(
    r"^(?:索引号|发布时间|发布日期|发文日期|成文日期|发布机构|信息来源|来源|浏览次数|点击数|访问量|阅读次数|作者|"
    r"主题分类|有效性|字号|字体|分享到|【?打印】?|【?关闭】?)\s*[::]"
)
_CHROME_CONTROL = re.compile(
    r"^(?:【?(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|保存本页)】?\s*)+$|^【?字[体号][::]?\s*【?大】?\s*【?中】?\s*【?小】?$|"
    r"^分享到\s*[::]?|^\[?\s*(?:打印|关闭)\s*\]?$"
)
# A chrome line is short and never a sentence: report text that mentions 来源 or 浏览次数 is kept.
_CHROME_MAX_CHARS = 60
_SENTENCE_END = re.compile(r"[。!?;]")
# Convert only when at least this many characters change: guards against rare one-off t2s variants.
_MIN_TRADITIONAL = 2


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: only documents that need it pay for it

    return opencc.OpenCC("t2s")


def normalize_width(text: str) -> str:
    """Map full-width and small-form variants to their ASCII forms."""
    return _WIDE_RUNS.sub(_translate_run, text)


def _translate_run(run: re.Match[str]) -> str:
    return run.group().translate(_WIDTH)


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert traditional characters to simplified; say whether anything changed."""
    converted = _t2s().convert(text)
    if converted == text:  # the common case, decided in C
        return text, False
    changed = sum(a != b for a, b in zip(text, converted)) if len(converted) == len(text) else _MIN_TRADITIONAL
    if changed < _MIN_TRADITIONAL:
        return text, False
    return converted, True


def clean_paragraph(text: str) -> str:
    """Width-normalise one paragraph, fold its white space, drop pinyin annotations and clean a
    garbled heading marker."""
    text = _SPACES.sub(" ", normalize_width(text)).strip()
    if "(" in text:
        text = _PINYIN.sub("", text)
    return clean_marker(text)


def strip_pinyin(text: str) -> str:
    """``区(qū)政府`` → ``区政府``: remove pinyin annotations after Chinese characters."""
    return _PINYIN.sub("", text)


def is_page_chrome(line: str) -> bool:
    """A web page's field line or control (索引号:…, 发布时间:…, 字号 大 中 小, 打印本页 …), not report text."""
    text = normalize_width(line).strip()
    if not text or len(text) > _CHROME_MAX_CHARS or _SENTENCE_END.search(text):
        return False
    return bool(_CHROME_FIELD.match(text) or _CHROME_CONTROL.match(text))


def normalize_paragraphs(paragraphs: list[str]) -> tuple[list[str], bool]:
    """Normalise every paragraph; drop empty ones; convert the whole document to simplified at once."""
    cleaned = [p for p in (clean_paragraph(p) for p in paragraphs) if p]
    joined, converted = to_simplified("\n".join(cleaned))
    return (joined.split("\n") if converted else cleaned), converted
