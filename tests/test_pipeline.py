"""The pipeline's own steps (the stages have their own test modules)."""

from __future__ import annotations

import pytest
from builders import corpus_texts

from analyzer.pipeline import attach_tokens
from analyzer.text.segment import BACKENDS, get_segmenter
from analyzer.text.structure import parse_structure


@pytest.mark.parametrize("backend", BACKENDS)
def test_paragraph_tokens_are_the_whole_documents_tokens(backend):
    """Cutting paragraph by paragraph gives exactly the tokens of the whole text joined by newlines,
    re-based to each paragraph: nothing is lost by not segmenting the document as one string."""
    segmenter = get_segmenter(backend)
    for texts in corpus_texts():
        structure = parse_structure(texts)
        attach_tokens(structure, backend=backend)
        whole = segmenter.tokenize("\n".join(texts))
        rebased, start = [], 0
        for p in structure.paragraphs:
            rebased += [(w, s + start, e + start) for w, s, e in p.tokens]
            assert "".join(w for w, _, _ in p.tokens) == p.text  # every character, in order
            start += len(p.text) + 1
        assert rebased == [t for t in whole if t[0] != "\n"]


def test_new_tokens_clear_what_was_derived_from_the_old():
    from analyzer.mapping.features import paragraph_items

    structure = parse_structure(["依法行政工作报告", "我们推进权责清单。"])
    attach_tokens(structure)
    assert paragraph_items(structure)[1]["words"]
    structure.paragraphs[1].text = "聘请法律顾问。"
    attach_tokens(structure)
    assert "法律顾问" in paragraph_items(structure)[1]["words"]
