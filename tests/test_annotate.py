"""Annotated Word output: every finding as a comment or a checklist line, original untouched, re-annotation idempotent."""

from __future__ import annotations

import io

import docx
import pytest
from builders import make_docx

from analyzer import analyze
from analyzer.outputs.annotate import AUTHOR, CHECKBOX, annotated_docx, write_annotated


def _comments(data: bytes) -> list:
    return list(docx.Document(io.BytesIO(data)).comments)


def _checklist(summary: str) -> list[str]:
    return [line for line in summary.splitlines() if line.startswith(CHECKBOX)]


def test_docx_input_gets_comments_and_stays_untouched(tmp_path, seed_paragraphs):
    source = tmp_path / "draft.docx"
    source.write_bytes(make_docx(seed_paragraphs))
    original = source.read_bytes()
    result = analyze(source)
    target = tmp_path / "reviewed.docx"
    write_annotated(result, source=source, target=target)
    assert source.read_bytes() == original
    comments = list(docx.Document(str(target)).comments)
    assert comments[0].text.startswith("govreport 审阅摘要")
    assert any("套话" in c.text for c in comments)
    assert all(c.author == AUTHOR for c in comments)


def test_every_finding_is_a_comment_or_a_checklist_line(seed_paragraphs):
    source = make_docx(seed_paragraphs)
    result = analyze(source, filename="draft.docx")
    comments = _comments(annotated_docx(result, source=source, filename="draft.docx"))
    located = len(comments) - 1  # the first comment is the summary
    listed = _checklist(comments[0].text)
    assert located + len(listed) == len(result.findings)
    whole = [f for f in result.findings if f.location == "whole report"]
    assert whole and len(listed) >= len(whole)  # report-level findings are never dropped
    for finding in whole:
        assert any(finding.message in line for line in listed), finding.message


def test_paragraph_comments_count_from_one(seed_paragraphs):
    source = make_docx(seed_paragraphs)
    result = analyze(source, filename="draft.docx")
    spread = next(f for f in result.findings if f.location != "whole report" and len(f.location) > 1)
    numbers = "、".join(str(i + 1) for i in spread.location)
    comments = _comments(annotated_docx(result, source=source, filename="draft.docx"))
    assert any(f"第{numbers}段" in c.text and spread.message in c.text for c in comments)


def test_annotating_an_annotated_copy_replaces_its_comments(seed_paragraphs):
    source = make_docx(seed_paragraphs)
    first = annotated_docx(analyze(source, filename="d.docx"), source=source, filename="d.docx")
    second = annotated_docx(analyze(first, filename="d.docx"), source=first, filename="d.docx")
    assert len(_comments(second)) == len(_comments(first)) > 1
    body = docx.Document(io.BytesIO(second)).element.body.xml
    assert body.count("commentReference") == len(_comments(second))


def test_a_reviewers_own_comment_survives_re_annotation(seed_paragraphs):
    document = docx.Document(io.BytesIO(make_docx(seed_paragraphs)))
    paragraph = document.paragraphs[3]
    document.add_comment(paragraph.runs, text="请补充数据", author="张科长", initials="Z")
    buffer = io.BytesIO()
    document.save(buffer)
    source = buffer.getvalue()
    once = annotated_docx(analyze(source, filename="d.docx"), source=source, filename="d.docx")
    twice = annotated_docx(analyze(once, filename="d.docx"), source=once, filename="d.docx")
    assert [c.text for c in _comments(twice) if c.author == "张科长"] == ["请补充数据"]


def test_text_input_gets_a_fresh_annotated_docx(seed_path):
    result = analyze(seed_path)
    document = docx.Document(io.BytesIO(annotated_docx(result)))
    assert [p.text for p in document.paragraphs][: len(result.paragraphs)] == [p.text for p in result.paragraphs]
    comments = list(document.comments)
    assert len(comments) - 1 + len(_checklist(comments[0].text)) == len(result.findings)


def test_refuses_to_overwrite_the_source(seed_path):
    with pytest.raises(ValueError):
        write_annotated(analyze(seed_path), source=seed_path, target=seed_path)
