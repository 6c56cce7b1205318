"""Plain text shown through Streamlit's Markdown (labels, captions) must not be read as Markdown."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=])")


def md_escape(text: object) -> str:
    """Backslash-escape every character Markdown (and Streamlit's extensions) give a meaning to."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ")


def download_stem(name: str | None) -> str:
    """A file-name stem for downloads, from the analysed file's name."""
    stem = (name or "报告").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", stem).strip(" ._") or "报告"
