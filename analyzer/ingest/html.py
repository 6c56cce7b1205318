"""HTML as published on government sites: keep the article, drop navigation and page chrome.

Page chrome goes: breadcrumbs, print and share controls, copyright lines and the page's field lines
(索引号, 发布时间, 来源, 浏览次数, 字号 …, ``normalize.is_page_chrome``), when short and not a sentence.
Hostile pages are bounded before parsing: one that nests its tags deeper than the limit is refused
(HTML parsers spend time quadratic in the depth), binary data named .html is refused, and nothing a
page refers to (scripts, frames, images, styles) is ever fetched or run.
"""

from __future__ import annotations

import codecs
import re

from analyzer.errors import TooLarge
from analyzer.ingest.normalize import is_page_chrome
from analyzer.limits import DEFAULT_LIMITS, Limits

_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "select",
              "button", "object", "embed", "svg", "template")
_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article", "blockquote",
          "pre", "dd", "dt", "center", "table", "tbody", "ul", "ol", "body", "main"}
_LEAF_BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "dd", "dt"}
_CHROME = re.compile(
    r"您所在的位置|当前位置[::]|您现在的位置|^首页\s*[>›»]|今天是.{0,20}星期|打印本页|关闭窗口|【?字[体号][::]?\s*【?大|"
    r"分享到[::]|版权所有|ICP备|网站标识码|(?:主办|承办)单位[::]|技术支持[::]|^网站地图|^联系我们|"
    r"(?:浏览次数|访问量|点击数)[::]|^扫一扫|^【(?:打印|关闭)】|^上一篇|^下一篇|^相关(?:链接|文章|阅读)"
)
# Page chrome is short and never a sentence; a block that mentions 访问量 or 技术支持 and is longer,
# or ends a sentence, is report text.
_CHROME_MAX_CHARS = 100
_SENTENCE_END = re.compile(r"[。！？!?;；]")
# Elements whose end tag may be left out (they close themselves) and void elements: not nesting.
_NOT_NESTING = frozenset(
    "p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rb rt rp html head body "
    "area base br col embed hr img input link meta source track wbr param keygen".split()
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
# Widen the article container at most this many levels: an article is never split further apart.
_MAX_WIDEN = 8
_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_html(data: bytes, encoding: str | None = None, *, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Paragraph texts of the page's main article, in document order."""
    from selectolax.lexbor import LexborHTMLParser  # lazy

    from analyzer.ingest.txt import check_not_binary

    text = data.decode(encoding) if encoding else decode_html(data)
    check_not_binary(text)
    depth = nesting_depth(text, stop_at=limits.max_nesting)
    if depth > limits.max_nesting:
        raise TooLarge(f"the page nests its tags more than {limits.max_nesting:,} deep")
    tree = LexborHTMLParser(text)
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return []
    container = _main_container(root)
    title = _page_title(tree, container)
    blocks = [b for b in _blocks(container) if not _is_chrome(b)]
    if title and (not blocks or title not in blocks[0]):
        blocks.insert(0, title)
    return blocks


def decode_html(data: bytes) -> str:
    """Decode a page: valid UTF-8 wins over what the page declares (pages are often mislabelled), then
    the declared charset if it names a real single-direction text encoding, then detection."""
    from analyzer.ingest.txt import decode_text

    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        declared = _declared_charset(data)
        if declared:
            try:
                return data.decode(declared)
            except UnicodeError:
                pass
    return decode_text(data)[0]


def _declared_charset(data: bytes) -> str | None:
    head = data[:2048].decode("ascii", "ignore").lower()
    match = re.search(r"charset\s*=\s*[\"']?([a-z0-9_-]+)", head)
    if not match:
        return None
    try:
        info = codecs.lookup(match.group(1))
    except LookupError:
        return None
    # As browsers do: a charset declared in ASCII cannot be UTF-16/32, and codecs that are not
    # text encodings (base64, zlib, rot13) or that read escapes (unicode_escape, idna) are ignored.
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith(("utf-16", "utf-32")):
        return None
    if info.name in {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7", "hz"}:
        return None
    return info.name


def nesting_depth(text: str, *, stop_at: int) -> int:
    """How deep the page's tags nest (elements that close themselves do not count); counting
    stops once past ``stop_at``."""
    depth = deepest = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NOT_NESTING:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > stop_at:
                break
    return deepest


def _is_chrome(block: str) -> bool:
    if is_page_chrome(block):  # field lines: 索引号:…, 发布时间:…, 来源:…, 字号 大 中 小
        return True
    return len(block) <= _CHROME_MAX_CHARS and not _SENTENCE_END.search(block) and _CHROME.search(block) is not None


def _main_container(root):
    """The article body: the parent of the paragraphs holding most Chinese text, widened until it
    holds at least 70% of the page's paragraph text (articles are sometimes split across blocks)."""
    by_parent: dict[int, tuple[object, int]] = {}
    total = 0
    for p in root.css("p"):
        count = _cjk_outside_links(p)
        if not count or p.parent is None:
            continue
        total += count
        node, score = by_parent.get(p.parent.mem_id, (p.parent, 0))
        by_parent[p.parent.mem_id] = (node, score + count)
    if not by_parent:
        return root
    best = max(by_parent.values(), key=lambda item: item[1])[0]
    for _ in range(_MAX_WIDEN):
        if best.parent is None or sum(_cjk_outside_links(p) for p in best.css("p")) >= 0.7 * total:
            return best
        best = best.parent
    return root


def _cjk_outside_links(node) -> int:
    links = sum(len(_CJK.findall(a.text(deep=True) or "")) for a in node.css("a"))
    return max(0, len(_CJK.findall(node.text(deep=True) or "")) - links)


def _page_title(tree, container) -> str | None:
    for selector in ("h1", "h2", ".title", "title"):
        node = tree.css_first(selector)
        if node is not None:
            text = (node.text(deep=True) or "").strip()
            if text and _CJK.search(text) and not _is_chrome(text) and len(text) < 120:
                return text
    return None


def _blocks(container) -> list[str]:
    """Texts of the innermost block elements, iteratively (no recursion: pages nest very deep)."""
    out: list[str] = []
    stack = [(container, False)]
    while stack:
        node, done = stack.pop()
        if done or not _has_block_child(node):
            text = " ".join((node.text(deep=True, separator="") or "").split())
            if text:
                out.append(text)
            continue
        children = list(node.iter(include_text=True))
        for child in reversed(children):
            if child.tag == "-text":
                text = (child.text_content or "").strip()
                if text:
                    stack.append((_TextLeaf(text), True))
            elif child.tag == "br":
                continue
            else:
                stack.append((child, False))
    return out


def _has_block_child(node) -> bool:
    return any(child.tag in _BLOCK or child.tag == "br" for child in node.iter())


class _TextLeaf:
    """A bare text run between block elements, shaped like a node for ``_blocks``."""

    tag = "-text"

    def __init__(self, text: str):
        self._text = text

    def text(self, **_):
        return self._text

    def iter(self, **_):
        return iter(())
