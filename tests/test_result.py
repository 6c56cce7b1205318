"""The result records: what the pipeline builds fits the declared types, and the JSON keeps its shape."""

from __future__ import annotations

import json

import msgspec
import pytest

from analyzer.result import Analysis, Finding, Metadata


def test_a_real_analysis_reads_back_as_the_same_record(seed_analysis):
    """Decoding validates every field against its type: a numpy number, a tuple where a list is
    declared or an unknown finding kind built by any stage would fail here."""
    text = seed_analysis.to_json()
    assert Analysis.from_json(text) == seed_analysis
    assert Analysis.from_json(text.encode("utf-8")) == seed_analysis


def test_json_keeps_field_order_and_chinese_characters(seed_analysis):
    data = json.loads(seed_analysis.to_json())
    assert list(data)[:3] == ["framework", "framework_reason", "metadata"]
    assert list(data["paragraphs"][0])[:4] == ["index", "text", "section", "is_heading"]
    assert seed_analysis.paragraphs[0].text in seed_analysis.to_json()  # characters, not \\u escapes


def test_compact_json_is_one_line_with_the_same_content(seed_analysis):
    compact = seed_analysis.to_json(indent=None)
    assert "\n" not in compact
    assert json.loads(compact) == json.loads(seed_analysis.to_json(indent=4))


def test_to_dict_is_plain_json_values(seed_analysis):
    data = seed_analysis.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["metadata"] == seed_analysis.metadata.to_dict()


def test_other_shapes_are_refused():
    good = Finding(kind="copied", severity="low", location="whole report", message="m", rule="r")
    raw = json.loads(msgspec.json.encode(good))
    assert msgspec.convert(raw, Finding) == good
    with pytest.raises(msgspec.ValidationError, match="kind"):
        msgspec.convert(dict(raw, kind="Opinion!"), Finding)
    with pytest.raises(msgspec.ValidationError, match="location"):
        msgspec.convert(dict(raw, location="page 3"), Finding)


def test_records_are_built_by_keyword_with_fresh_defaults():
    first, second = Metadata(), Metadata()
    first.doc_numbers.append("x号")
    assert second.doc_numbers == []
    with pytest.raises(TypeError):
        Metadata("title")  # positional: fields may be added anywhere, so order is not part of the API
