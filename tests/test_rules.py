"""Checks as registered rules: each rule's own example reports make it fire and stay quiet, and rules
can be switched off by id (a legal office's house rules)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer import analyze
from analyzer.checks.findings import registered_rules
from analyzer.checks.rules import CONFIG_FILE, DISABLE_ENV, RuleError, disabled_rules
from analyzer.cli.main import app
from analyzer.training.corpus import parse_source

SRC = Path(__file__).resolve().parent.parent / "corpora" / "src"
RULES = {rule.id: rule for rule in registered_rules()}


def _text(example: str) -> str:
    if example.startswith("corpus:"):
        return parse_source(SRC / f"{example.removeprefix('corpus:')}.txt").text
    return example


def _checks(example: str, previous: str = "") -> set[str]:
    analysis = analyze(_text(example), previous=_text(previous) if previous else None)
    return {f.check for f in analysis.findings}


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
