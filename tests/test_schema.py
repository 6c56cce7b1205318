"""The JSON contract (docs/analysis.schema.json) holds for real outputs of every layout."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from analyzer import analyze
from analyzer.training.corpus import parse_source

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "analysis.schema.json").read_text(encoding="utf-8"))
SHARED = {"INTRO", "PROBLEMS", "NEXT", "META", "OTHER"}
# one corpus report per layout, both outlines, years before and after the 2019 rule
REPORTS = ["au105", "au406", "au201", "au203", "au107", "au307", "au308", "au208"]


@pytest.fixture(scope="module", params=REPORTS)
def output(request):
    report = parse_source(ROOT / "corpora" / "src" / f"{request.param}.txt")
    return report, json.loads(analyze(report.text).to_json())


def test_outputs_validate_against_the_schema(output):
    _, data = output
    jsonschema.validate(data, SCHEMA)


def test_seed_output_validates(seed_analysis):
    jsonschema.validate(json.loads(seed_analysis.to_json()), SCHEMA)


def test_sections_are_the_outline_of_the_report_year_in_every_layout(output):
    report, data = output
    assert data["outline"]["id"] == report.meta["framework"] == data["framework"]
    section_ids = [s["id"] for s in data["sections"]]
    assert all(p["section"] in set(section_ids) | SHARED for p in data["paragraphs"])
    assert (data["rule"] is not None) == (report.meta["year"] >= 2019)
    assert all(p["required"] is False for p in data["parts"] if p["status"] == "optional_absent")


def test_the_schema_rejects_a_wrong_shape(seed_analysis):
    data = json.loads(seed_analysis.to_json())
    data["parts"][0]["status"] = "absent"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
