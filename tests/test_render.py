"""Markdown and terminal output: Chinese, paragraphs counted from 1, every finding listed."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import msgspec

from analyzer.outputs.render import part_status, print_table, to_markdown


def test_markdown_lists_sections_with_paragraph_numbers_from_one(seed_analysis):
    md = to_markdown(seed_analysis)
    assert "| 序号 | 部分 | 状态 | 占比 | 段落 |" in md
    first = seed_analysis.sections[0]
    numbers = "、".join(str(i + 1) for i in first.paragraphs)
    assert f"| 1 | {first.name} | " in md and f"| {numbers} |" in md


def test_markdown_lists_every_finding_with_labels_and_location(seed_analysis):
    md = to_markdown(seed_analysis)
    lines = [line for line in md.splitlines() if line.startswith("- **【")]
    assert len(lines) == len(seed_analysis.findings)
    located = next(f for f in seed_analysis.findings if f.location != "whole report")
    where = "第" + "、".join(str(i + 1) for i in located.location) + "段"
    assert any(where in line and located.message in line for line in lines)
    assert all(re.match(r"- \*\*【[高中低]·[\u4e00-\u9fff]+】\*\*", line) for line in lines)


def test_markdown_names_the_framework_not_its_id(seed_analysis):
    md = to_markdown(seed_analysis)
    assert "对照纲要:2015—2020年纲要" in md and "报告结构:" in md
    assert seed_analysis.framework not in md


def test_parts_show_their_status_in_words(seed_analysis):
    md = to_markdown(seed_analysis)
    for part in seed_analysis.parts:
        assert f"- {part.name}:" in md
    in_passing = msgspec.structs.replace(seed_analysis.parts[0], found=False, required=True, status="in_passing")
    assert part_status(in_passing) == "in_passing"
    older = SimpleNamespace(found=False, required=True)  # a result written before parts had a status
    assert part_status(older) == "missing"
    assert part_status(SimpleNamespace(found=False, required=False)) == "optional_absent"


def test_terminal_table_is_chinese_and_counts_from_one(seed_analysis):
    from rich.console import Console

    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_table(seed_analysis, console)
    out = console.file.getvalue()
    assert "序号" in out and "状态" in out and "部分" in out
    boilerplate = next(f for f in seed_analysis.findings if f.kind == "boilerplate" and len(f.location) == 1)
    assert f"套话(第{boilerplate.location[0] + 1}段)" in out
