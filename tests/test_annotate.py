"""Annotated Word output: comments on the paragraphs concerned, a summary on top, original untouched."""

from __future__ import annotations

import io

import docx
from builders import make_docx

from analyzer import analyze
from analyzer.annotate import annotated_docx, write_annotated


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
    located = [f for f in result.findings if f.location != "whole report"]
    assert len(comments) == 1 + len(located)
    assert any("套话" in c.text for c in comments)


def test_text_input_gets_a_fresh_annotated_docx(seed_path):
    result = analyze(seed_path)
    document = docx.Document(io.BytesIO(annotated_docx(result)))
    assert [p.text for p in document.paragraphs][: len(result.paragraphs)] == [p.text for p in result.paragraphs]
    assert len(list(document.comments)) > 1


def test_refuses_to_overwrite_the_source(tmp_path, seed_path):
    import pytest

    with pytest.raises(ValueError):
        write_annotated(analyze(seed_path), source=seed_path, target=seed_path)
