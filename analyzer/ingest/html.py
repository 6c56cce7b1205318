"""HTML as published on government sites: keep the article, drop navigation and page chrome."""

from __future__ import annotations

import re

_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "select",
              "button", "object", "embed", "svg", "template")
_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section", "article", "blockquote",
          "pre", "dd", "dt", "center", "table", "tbody", "ul", "ol", "body", "main"}
_LEAF_BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre", "dd", "dt"}
_CHROME = re.compile(
    r"您所在的位置|当前位置|您现在的位置|^首页\s*[>›»]|今天是.{0,20}星期|打印本页|关闭窗口|【?字[体号][::]?\s*【?大|"
    r"分享到|版权所有|ICP备|网站标识码|主办单位|承办单位|技术支持|网站地图|联系我们|浏览次数|访问量|扫一扫|"
    r"^【(?:打印|关闭)】|^上一篇|^下一篇|^相关(?:链接|文章|阅读)"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_html(data: bytes, encoding: str | None = None) -> list[str]:
    """Paragraph texts of the page's main article, in document order."""
    from selectolax.lexbor import LexborHTMLParser  # lazy

    from .txt import decode_text

    text = data.decode(encoding) if encoding else _decode_html(data, decode_text)
    tree = LexborHTMLParser(text)
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return []
    container = _main_container(root)
    title = _page_title(tree, container)
    blocks = [b for b in _blocks(container) if not _CHROME.search(b)]
    if title and (not blocks or title not in blocks[0]):
        blocks.insert(0, title)
    return blocks


def _decode_html(data: bytes, decode_text) -> str:
    head = data[:2048].decode("ascii", "ignore").lower()
    match = re.search(r"charset\s*=\s*[\"']?([a-z0-9_-]+)", head)
    if match:
        try:
            return data.decode(match.group(1))
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_text(data)[0]


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
    while best.parent is not None and sum(_cjk_outside_links(p) for p in best.css("p")) < 0.7 * total:
        best = best.parent
    return best


def _cjk_outside_links(node) -> int:
    links = sum(len(_CJK.findall(a.text(deep=True) or "")) for a in node.css("a"))
    return max(0, len(_CJK.findall(node.text(deep=True) or "")) - links)


def _page_title(tree, container) -> str | None:
    for selector in ("h1", "h2", ".title", "title"):
        node = tree.css_first(selector)
        if node is not None:
            text = (node.text(deep=True) or "").strip()
            if text and _CJK.search(text) and not _CHROME.search(text) and len(text) < 120:
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
