"""Checks as registered rules: each rule's own example reports make it fire and stay quiet, every
finding has a stable id its rule declares, and rules can be switched off and their thresholds set
(a legal office's house rules)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer import analyze
from analyzer.checks.findings import registered_rules
from analyzer.checks.rules import CONFIG_FILE, DISABLE_ENV, RuleError, disabled_rules, house_rules
from analyzer.cli.main import app
from analyzer.training.corpus import parse_source

SRC = Path(__file__).resolve().parent.parent / "corpora" / "src"
RULES = {rule.id: rule for rule in registered_rules()}


def _text(example: str) -> str:
    if example.startswith("corpus:"):
        return parse_source(SRC / f"{example.removeprefix('corpus:')}.txt").text
    return example


def _analyse(example: str, previous: str = "", **options):
    return analyze(_text(example), previous=_text(previous) if previous else None, **options)


def _checks(example: str, previous: str = "") -> set[str]:
    return {f.check for f in _analyse(example, previous).findings}


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_each_rule_fires_on_its_example(rule):
    assert rule.fires and rule.id in _checks(rule.fires, rule.previous)


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_each_rule_stays_quiet_on_its_example(rule):
    assert rule.quiet and rule.id not in _checks(rule.quiet, rule.previous)


def test_every_finding_names_its_rule_and_its_kind_is_the_rules(seed_analysis):
    for finding in seed_analysis.findings:
        assert finding.check in RULES and finding.kind in RULES[finding.check].kinds


def test_a_switched_off_rule_does_not_run(seed_path):
    full = analyze(seed_path)
    assert any(f.check == "text.boilerplate" for f in full.findings)
    quiet = analyze(seed_path, disable={"text.boilerplate"})
    assert not any(f.check == "text.boilerplate" for f in quiet.findings)
    assert len(quiet.findings) == len(full.findings) - sum(f.check == "text.boilerplate" for f in full.findings)


def test_one_kind_of_a_checks_findings_can_be_switched_off(seed_path):
    """A legal office that accepts short sections switches off ``outline.sections.thin`` only: the
    check's other findings stay."""
    full = analyze(seed_path)
    thin = [f for f in full.findings if f.rule == "outline.sections.thin"]
    others = [f for f in full.findings if f.check == "outline.sections" and f.rule != "outline.sections.thin"]
    assert thin and others
    quiet = analyze(seed_path, disable=disabled_rules(["outline.sections.thin"], folder=seed_path.parent))
    assert not any(f.rule == "outline.sections.thin" for f in quiet.findings)
    assert [f.rule for f in quiet.findings if f.check == "outline.sections"] == [f.rule for f in others]


def test_every_check_is_one_file_of_the_registered_package():
    folder = Path(__file__).resolve().parent.parent / "analyzer" / "checks" / "registered"
    files = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    assert {rule.run.__module__.rpartition(".")[2] for rule in RULES.values()} == files
    assert [rule.id for rule in registered_rules()] == sorted(RULES, key=lambda i: (RULES[i].order, i))


def test_house_rules_come_from_the_environment_and_a_project_file(tmp_path, monkeypatch):
    monkeypatch.setenv(DISABLE_ENV, "metadata.fields")
    (tmp_path / CONFIG_FILE).write_text("disable: [text.boilerplate]\n", encoding="utf-8")
    assert disabled_rules(["copying.previous"], folder=tmp_path) == {"metadata.fields", "text.boilerplate",
                                                                      "copying.previous"}
    with pytest.raises(RuleError):
        disabled_rules(["no.such.rule"], folder=tmp_path)
    (tmp_path / CONFIG_FILE).write_text("disable: text.boilerplate\n", encoding="utf-8")
    with pytest.raises(RuleError):
        disabled_rules([], folder=tmp_path)


def test_the_cli_lists_rules_and_refuses_an_unknown_one(seed_path):
    listed = CliRunner().invoke(app, ["rules"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0 and all(rule_id in listed.output for rule_id in RULES)
    refused = CliRunner().invoke(app, ["analyze", str(seed_path), "--disable", "no.such.rule"])
    assert refused.exit_code == 2 and "规则" in refused.output


def test_every_kind_a_check_produces_has_a_chinese_name():
    import re

    from analyzer.messages import label

    for rule in RULES.values():
        assert all(re.search(r"[\u4e00-\u9fff]", label("kind", kind)) for kind in rule.kinds), rule.id


# ----------------------------------------------------------------------------- finding ids
@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_each_finding_id_is_its_rules_id_and_a_sub_id_the_rule_declares(rule):
    findings = _analyse(rule.fires, rule.previous).findings
    mine = [f for f in findings if f.check == rule.id]
    assert mine and all(f.rule in {f"{rule.id}.{sub}" for sub in rule.findings} for f in mine)


def test_finding_ids_of_the_seed_say_what_kind_of_gap_without_naming_data(seed_analysis):
    ids = {f.rule for f in seed_analysis.findings}
    assert {"outline.sections.thin", "outline.sections.boilerplate", "outline.elements.missing",
            "report.parts.check-missing", "text.boilerplate.paragraph"} <= ids
    assert all(f.rule.startswith(f"{f.check}.") for f in seed_analysis.findings)


def test_element_and_part_check_findings_name_what_they_are_about(seed_analysis):
    elements_of = {s.id: {e.id for e in s.elements} for s in seed_analysis.sections}
    missing = [f for f in seed_analysis.findings if f.kind == "missing_element"]
    assert missing and all(f.element in elements_of[f.section] for f in missing)
    (lead,) = [f for f in seed_analysis.findings if f.element == "LEAD"]
    assert lead.rule == "report.parts.check-missing" and lead.kind == "missing_part"
    assert all(f.element is None for f in seed_analysis.findings if f.check in ("outline.sections", "text.boilerplate"))


# ----------------------------------------------------------------------------- thresholds
def test_rules_declare_their_thresholds():
    assert RULES["outline.sections"].defaults() == {"boilerplate_heavy": 0.5}
    assert RULES["copying.previous"].defaults() == {"medium": 0.1, "high": 0.3}


def _copied(**params):
    analysis = _analyse("corpus:au110", "corpus:au109", params=params)
    return [f.severity for f in analysis.findings if f.check == "copying.previous"]


def test_a_copying_threshold_set_by_house_rules_changes_the_finding():
    """au110 repeats about half of au109: severe by default, medium when severe starts above that
    share, nothing when even the prompt line is above it."""
    assert _copied() == ["high"]
    assert _copied(**{"copying.previous": {"high": 0.9}}) == ["medium"]
    assert _copied(**{"copying.previous": {"medium": 0.8, "high": 0.9}}) == []


def test_a_boilerplate_threshold_set_by_house_rules_changes_which_sections_are_named(seed_path):
    """In the seed, 依法行政制度体系 (S5) is mostly 套话 and S4 a little under half."""
    def heavy(value=None):
        params = {"outline.sections": {"boilerplate_heavy": value}} if value is not None else None
        return {f.section for f in analyze(seed_path, params=params).findings
                if f.rule == "outline.sections.boilerplate"}

    assert heavy() == {"S5"}
    assert heavy(0.4) == {"S4", "S5"}
    assert heavy(0.95) == set()


def test_house_rules_file_sets_thresholds(tmp_path):
    (tmp_path / CONFIG_FILE).write_text(
        "disable: [metadata.fields]\nparams:\n  copying.previous: {high: 0.9}\n", encoding="utf-8")
    house = house_rules(folder=tmp_path)
    assert house.disable == {"metadata.fields"}
    assert house.params == {"copying.previous": {"high": 0.9}}


@pytest.mark.parametrize(("config", "named"), [
    ("params: {copying.previous: {hgh: 0.9}}", "hgh"),  # a threshold the rule does not have
    ("params: {copying.previous: {high: 1.5}}", "high"),  # out of its range
    ("params: {copying.previous: {high: yes}}", "high"),  # not a number
    ("params: {no.such.rule: {high: 0.5}}", "no.such.rule"),
    ("params: {copying.previous: 0.5}", "copying.previous"),
    ("parms: {copying.previous: {high: 0.5}}", "params"),  # a misspelt key is not ignored
])
def test_a_bad_threshold_is_refused_with_chinese_advice_naming_it(tmp_path, config, named):
    import re

    (tmp_path / CONFIG_FILE).write_text(config + "\n", encoding="utf-8")
    with pytest.raises(RuleError) as refused:
        house_rules(folder=tmp_path)
    assert named in refused.value.advice and re.match(r"[\u4e00-\u9fff]", refused.value.advice)


def test_analyze_refuses_an_unknown_threshold():
    with pytest.raises(RuleError):
        analyze("现将2023年法治政府建设情况报告如下:\n全年办理行政复议案件15件。",
                params={"outline.sections": {"boilerplate_heavvy": 0.4}})


def test_the_cli_applies_house_thresholds_and_refuses_bad_ones(tmp_path, monkeypatch):
    import json

    for name in ("au110", "au109"):
        (tmp_path / f"{name}.txt").write_text(_text(f"corpus:{name}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    command = ["analyze", "au110.txt", "--previous", "au109.txt", "--format", "json"]
    (tmp_path / CONFIG_FILE).write_text("params: {copying.previous: {high: 0.9}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    copied = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "copying.previous"]
    assert [f["severity"] for f in copied] == ["medium"]
    (tmp_path / CONFIG_FILE).write_text("params: {copying.previous: {hihg: 0.9}}\n", encoding="utf-8")
    refused = CliRunner().invoke(app, command)
    assert refused.exit_code == 2 and "hihg" in refused.output and "参数" in refused.output


def test_the_rules_listing_shows_finding_ids_thresholds_and_escaped_examples(monkeypatch):
    from analyzer.checks.rules import REGISTRY, Rule

    hostile = Rule("zz.hostile", ("boilerplate",), "测试", lambda context: [], fires="[bold]XX件[/bold]",
                   findings={"paragraph": "测试"})
    monkeypatch.setitem(REGISTRY, "zz.hostile", hostile)
    monkeypatch.setattr("analyzer.checks.findings.registered_rules", lambda: (*RULES.values(), hostile))
    listed = CliRunner().invoke(app, ["rules"], env={"COLUMNS": "400"})
    assert listed.exit_code == 0
    assert "outline.sections.thin" in listed.output and "report.parts.in-passing" in listed.output
    assert "boilerplate_heavy = 0.5" in listed.output and "high = 0.3" in listed.output
    assert "[bold]XX件[/bold]" in listed.output  # report text is shown, never read as markup


def test_the_placeholder_screen_changes_no_match():
    """The placeholder pattern behind its first-character look-ahead finds what the plain pattern
    finds, over the corpus paragraphs and over strings made of its own characters."""
    import random
    import re

    from builders import corpus_texts

    from analyzer.checks.registered.text_placeholders import PLACEHOLDER, PLACEHOLDER_START

    plain = re.compile(PLACEHOLDER.pattern.removeprefix(f"(?={PLACEHOLDER_START})"))
    assert plain.pattern != PLACEHOLDER.pattern
    rng = random.Random(3)
    made = ["".join(rng.choice("XxＸｘ×〇○某【[(（待补充定】])一二三件年") for _ in range(12)) for _ in range(3000)]
    texts = [p for paragraphs in corpus_texts() for p in paragraphs] + made
    assert [[m.span() for m in PLACEHOLDER.finditer(t)] for t in texts] == [[m.span() for m in plain.finditer(t)] for t in texts]
    assert sum(bool(PLACEHOLDER.search(t)) for t in made) > 1000
