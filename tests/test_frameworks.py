"""Frameworks are data: every shipped file validates, and every element's examples behave."""

from __future__ import annotations

import pytest
import yaml

from analyzer.checks.elements import ElementMatcher
from analyzer.frameworks import (
    FrameworkError,
    available_frameworks,
    frameworks_of_kind,
    load_framework,
    load_framework_file,
    outlines,
    scale_outline,
)

FRAMEWORKS = ["fzzf-2015", "fzzf-2021", "duc-2019"]


def _cases():
    for framework_id in FRAMEWORKS:
        fw = load_framework(framework_id)
        elements = [e for s in fw.sections for e in s.elements] + [c for p in fw.parts for c in p.checks]
        for element in elements:
            for sentence in element.examples.pass_:
                yield pytest.param(framework_id, element.id, sentence, True, id=f"{framework_id}-{element.id}-pass")
            for sentence in element.examples.fail:
                yield pytest.param(framework_id, element.id, sentence, False, id=f"{framework_id}-{element.id}-fail")


def test_the_three_frameworks_ship():
    assert set(FRAMEWORKS) <= set(available_frameworks())


@pytest.mark.parametrize(("framework_id", "element_id", "sentence", "evidences"), list(_cases()))
def test_element_examples(framework_id, element_id, sentence, evidences):
    matcher = ElementMatcher(load_framework(framework_id))
    assert (matcher.match(element_id, sentence) is not None) is evidences


def test_fzzf_2015_has_the_seven_sections_and_shared_parts():
    fw = load_framework("fzzf-2015")
    assert fw.section_ids == [f"S{i}" for i in range(1, 8)]
    assert {p.id for p in fw.parts} == {"INTRO", "PROBLEMS", "NEXT", "META", "OTHER"}
    assert {e.id for s in fw.sections for e in s.elements} == {
        *DOMAIN_MEASURES
    }


def test_fzzf_2021_parts_fold_onto_the_2015_scale():
    fw = load_framework("fzzf-2021")
    assert fw.section_ids == [f"P{i}" for i in range(1, 11)]
    scale = {s.id: s.scale for s in fw.sections}
    assert scale["P2"] == "S1" and scale["P4"] == "S3" and scale["P6"] is None and scale["P9"] is None


def test_duc_2019_is_a_report_rule_with_four_required_parts_and_an_optional_one():
    fw = load_framework("duc-2019")
    assert fw.kind == "report-rule" and fw.sections == [] and fw.years == (2019, None)
    required = {p.id for p in fw.parts if p.required}
    assert {"R1", "R3", "PROBLEMS", "NEXT"} <= required and not fw.part("R5").required
    assert [p.id for p in fw.parts if p.sections] == ["R1"]  # the part that holds the outline's tasks


def test_outlines_and_rules_by_kind():
    assert [f.id for f in outlines()] == ["fzzf-2015", "fzzf-2021"]
    assert [f.id for f in frameworks_of_kind("report-rule")] == ["duc-2019"]
    assert scale_outline().id == "fzzf-2015"


@pytest.mark.parametrize("element_id, level, asked", [
    ("A2.2", "department", False),  # a 科技局 makes no laws
    ("A1.4", "department", False),  # nor macro-economic policy
    ("A2.2", "city", True),
    ("A2.5", "township", False),  # a township makes no 规章 to clean up
    ("A2.4", "township", True),
    ("A2.2", None, True),  # an issuer of unknown level is asked everything
])
def test_elements_say_which_issuers_they_apply_to(element_id, level, asked):
    element = next(e for s in load_framework("fzzf-2015").sections for e in s.elements if e.id == element_id)
    assert element.applies(level) is asked
    assert asked or element.not_applicable  # a skipped element says why


# The measure ids of the 2015–2020 outline in report-domain.md §1.1 (A1.1–A7.4, ORG.1–ORG.3).
_MEASURES_PER_AREA = {1: 8, 2: 5, 3: 6, 4: 6, 5: 6, 6: 5, 7: 4}
DOMAIN_MEASURES = [f"A{a}.{m}" for a, n in _MEASURES_PER_AREA.items() for m in range(1, n + 1)]
DOMAIN_MEASURES += ["ORG.1", "ORG.2", "ORG.3"]

MINIMAL = {"id": "broken", "name": "x", "description": "x", "years": [2016, 2020], "basis": "x", "status_note": "x",
           "parts": [{"id": "INTRO", "name": "x", "required": True}]}
CHECK = {"id": "C1", "name": "x", "status": "verified", "terms": ["原因"], "evidence": ["x"],
         "examples": {"pass": ["原因是人员不足。"], "fail": ["其他。"]}}


@pytest.mark.parametrize("change, field, reason", [
    ({"parts": [{"id": "INTRO", "name": "x"}]}, "parts.0.required", "missing"),
    ({"colour": "red"}, "colour", "unknown"),
    ({"years": [2016]}, "years", "length 2"),
    ({"years": "2016-2020"}, "years", "Expected `array`"),
    ({"parts": [{"id": "P", "name": "x", "required": True, "checks": [dict(CHECK, terms=[])]}]},
     "parts.0.checks.0.terms", ">= 1"),
    ({"parts": [{"id": "P", "name": "x", "required": True, "checks": [dict(CHECK, status="maybe")]}]},
     "parts.0.checks.0.status", "maybe"),
    ({"parts": [{"id": "P", "name": "x", "required": True, "checks": [dict(CHECK, examples={"pass": ["a"]})]}]},
     "parts.0.checks.0.examples.fail", "missing"),
    ({"parts": [{"id": "INTRO", "name": "x", "required": True}, {"id": "INTRO", "name": "y", "required": False}]},
     "(top level)", "duplicate ids ['INTRO']"),
])
def test_malformed_framework_names_file_and_field(tmp_path, change, field, reason):
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(dict(MINIMAL, **change), allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    message = str(info.value)
    assert "broken.yaml" in message and f"field '{field}'" in message and reason in message


def test_minimal_framework_loads_with_defaults(tmp_path):
    path = tmp_path / "minimal.yaml"
    path.write_text(yaml.safe_dump(MINIMAL, allow_unicode=True), encoding="utf-8")
    framework = load_framework_file(path)
    assert framework.years == (2016, 2020) and framework.sections == [] and framework.kind == "outline" and framework.layout is None
    assert framework.part("INTRO").checks == []
    with pytest.raises(AttributeError):  # frameworks are shared by every analysis: they cannot be changed
        framework.name = "y"


def test_framework_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("sections: [unclosed", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    assert "bad.yaml" in str(info.value)


def test_unknown_framework_lists_the_known_ones():
    with pytest.raises(FrameworkError) as info:
        load_framework("fzzf-1999")
    assert "fzzf-2015" in str(info.value)


def test_a_file_added_to_a_folder_already_listed_is_seen(tmp_path, monkeypatch):
    """The folders' listing is kept between calls (an analysis asks a dozen times), but a file
    added or removed afterwards is seen at the next call."""
    from analyzer.frameworks import EXTRA_DIRS_ENV, available_frameworks

    monkeypatch.setenv(EXTRA_DIRS_ENV, str(tmp_path))
    assert "extra-outline" not in available_frameworks()
    path = tmp_path / "extra-outline.yaml"
    path.write_text("id: extra-outline\n", encoding="utf-8")
    assert "extra-outline" in available_frameworks()
    path.unlink()
    assert "extra-outline" not in available_frameworks()


def test_one_analysis_lists_the_folders_once_and_the_next_sees_a_new_file(tmp_path, monkeypatch):
    """Inside ``one_listing`` (an analysis) the listing is fixed; the next one lists the folders again."""
    from analyzer.frameworks import EXTRA_DIRS_ENV, available_frameworks, one_listing

    monkeypatch.setenv(EXTRA_DIRS_ENV, str(tmp_path))
    with one_listing():
        (tmp_path / "extra-outline.yaml").write_text("id: extra-outline\n", encoding="utf-8")
        assert "extra-outline" not in available_frameworks()
        with one_listing():  # nested: still the outer listing
            assert "extra-outline" not in available_frameworks()
    with one_listing():
        assert "extra-outline" in available_frameworks()
