"""The message catalogue: every word shown to people, read from ``data/messages.yaml``.

Codes (``covered``, ``high``, ``missing_element``…) stay in the JSON; people see the labels. Keeping
them in one data file means a wording changes in one place, and a test can check that no output
shows a bare code. An unknown code is returned unchanged, so a new code shows up rather than
vanishing (and the catalogue test then catches it).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).parent / "data" / "messages.yaml"
WHOLE_REPORT = "whole report"  # Finding.location for report-level findings


@cache
def catalogue() -> dict[str, Any]:
    """The parsed catalogue, read once per process; the parsed form is kept in the disk cache like the
    frameworks' YAML, so a command-line run does not pay for importing the YAML parser."""
    from analyzer.cache import cached

    raw = CATALOGUE.read_bytes()
    return cached("messages", [raw], lambda: _parse(raw.decode("utf-8")), code=(__file__,))


def _parse(text: str) -> dict[str, Any]:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def group(name: str) -> dict[str, Any]:
    """One table of the catalogue, e.g. ``group("status")`` → {"covered": "已覆盖", …}."""
    value: Any = catalogue()
    for part in name.split("."):
        value = value[part]
    return value


_ADDED: dict[str, dict[str, str]] = {}  # labels registered by code (a check's own finding kinds)


def add_labels(group_name: str, labels: dict[str, str]) -> None:
    """Labels that come with code rather than the catalogue: a registered check names the finding kinds
    it introduces (``checks.rules.register``), so adding a check needs no change here."""
    _ADDED.setdefault(group_name, {}).update(labels)


def label(group_name: str, code: str | None) -> str:
    """The label of ``code`` in a group (``label("severity", "high")`` → "高"); the code itself if unknown."""
    if code is None:
        return ""
    return str(group(group_name).get(code) or _ADDED.get(group_name, {}).get(code, code))


def text(key: str, **values: Any) -> str:
    """A dotted key's text with its placeholders filled: ``text("report.title", name=…)``."""
    *path, last = key.split(".")
    template = str(group(".".join(path))[last] if path else catalogue()[last])
    return template.format(**values) if values else template


def paragraph_numbers(indexes: Iterable[int]) -> str:
    """0-based paragraph indexes as the 1-based numbers people count by: "3、5、6"."""
    return "、".join(str(int(i) + 1) for i in indexes)


def where(location: list[int] | str) -> str:
    """A finding's location for people: "第3、5段", or "全文" for a report-level finding."""
    if location == WHOLE_REPORT or isinstance(location, str):
        return text("location.whole")
    if not location:
        return text("location.none")
    return text("location.paragraphs", numbers=paragraph_numbers(location))
