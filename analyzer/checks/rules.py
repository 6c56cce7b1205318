"""The checks as registered rules (in the manner of ruff and proselint): each has a stable id, the
finding kinds it produces, the sub-ids of its findings, its thresholds, a Chinese description, and
its own example reports that must make it fire and stay quiet (the tests run them). Each check is one
file in ``checks/registered/`` that registers itself; ``findings.add_findings`` loads them all and
runs every rule that is not switched off.

Finding ids: every finding's ``rule`` is ``<check id>.<sub-id>`` (``outline.sections.thin``,
``report.parts.in-passing``): the check's id, then one of the sub-ids it declares (``findings=``).
What a finding is about stays in its own fields (``section``, ``element``), never in the id, so no
code parses an id.

House rules (a legal office's): rules are switched off by id — a whole check (``outline.sections``) or
one kind of its findings (``outline.sections.thin``) — for one run (``govreport analyze --disable ID``), for a shell (``GOVREPORT_DISABLE``, ids separated by commas) or in a
``govreport.yaml`` file in the working folder (``disable: [ID, …]``); the same file overrides a
rule's thresholds (``params: {ID: {name: value}}``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import GovreportError

DISABLE_ENV = "GOVREPORT_DISABLE"
CONFIG_FILE = "govreport.yaml"
CONFIG_KEYS = ("disable", "params")

Params = Mapping[str, Mapping[str, float]]  # rule id → threshold name → value


class RuleError(GovreportError, ValueError):
    """A rule id that no rule has, a threshold a rule does not have, or a malformed house-rules file.
    ``advice`` names what is wrong when the caller knows it."""

    code = "rule"
    advice = "规则编号不存在或规则配置文件格式有误。请用 govreport rules 查看全部规则编号。"

    def __init__(self, detail: str, *, advice: str | None = None):
        super().__init__(detail)
        if advice is not None:
            self.advice = advice


@dataclass(frozen=True)
class Param:
    """One threshold of a rule: its default, what it means (Chinese, shown by ``govreport rules``)
    and the range a house rule may set it in."""

    default: float
    description: str
    minimum: float = 0.0
    maximum: float = 1.0


@dataclass(frozen=True)
class Rule:
    """One check. ``run`` takes the check context (see ``context.CheckContext``) and returns findings
    whose ``rule`` is one of the sub-ids in ``findings``; ``params`` are its thresholds; ``fires`` and
    ``quiet`` are example reports on which it must and must not report anything (a report's text, or
    ``corpus:ID`` for an authored corpus report), analysed with ``previous`` as the previous year's
    report when given."""

    id: str
    kinds: tuple[str, ...]
    description: str
    run: Callable = field(repr=False, compare=False)
    order: int = 100  # run order (findings of one severity keep it)
    fires: str = ""
    quiet: str = ""
    previous: str = ""
    findings: Mapping[str, str] = field(default_factory=dict)  # sub-id → what such a finding says (Chinese)
    params: Mapping[str, Param] = field(default_factory=dict)

    def finding_id(self, sub_id: str) -> str:
        """The stable id of one kind of finding of this rule (``outline.sections`` + ``thin``)."""
        return f"{self.id}.{sub_id}"

    def defaults(self) -> dict[str, float]:
        return {name: param.default for name, param in self.params.items()}


REGISTRY: dict[str, Rule] = {}


def register(rule_id: str, *, kinds: tuple[str, ...], description: str, findings: Mapping[str, str],
             fires: str, quiet: str, previous: str = "", order: int = 100,
             params: Mapping[str, Param] | None = None, kind_names: dict[str, str] | None = None):
    """Decorator: register ``run`` as rule ``rule_id`` (ids are unique; ``order`` is the run order).
    ``findings``: the sub-ids of the findings it makes, each with its Chinese meaning; ``params``: its
    thresholds; ``kind_names``: the Chinese names of finding kinds this rule introduces."""

    def wrap(run: Callable) -> Callable:
        if rule_id in REGISTRY:
            raise RuleError(f"rule {rule_id!r} registered twice")
        if kind_names:
            from analyzer.messages import add_labels

            add_labels("kind", kind_names)
        REGISTRY[rule_id] = Rule(rule_id, kinds, description, run, order, fires, quiet, previous,
                                 dict(findings), dict(params or {}))
        return run

    return wrap


# ----------------------------------------------------------------------------- house rules
@dataclass(frozen=True)
class HouseRules:
    """What a legal office changes: the rules switched off and the thresholds set (overrides only)."""

    disable: frozenset[str] = frozenset()
    params: Params = field(default_factory=dict)


def house_rules(extra: tuple[str, ...] | list[str] = (), *, folder: Path | None = None) -> HouseRules:
    """The rules switched off by ``extra``, ``GOVREPORT_DISABLE`` and ``govreport.yaml``, and the
    thresholds that file sets, validated. (The checks register themselves when
    ``findings.registered_rules`` loads them: call it first.)"""
    ids = set(extra) | {i.strip() for i in os.environ.get(DISABLE_ENV, "").split(",") if i.strip()}
    config = (folder or Path.cwd()) / CONFIG_FILE
    settings = _configured(config) if config.is_file() else {}
    ids |= set(settings.get("disable", []))
    unknown = sorted(ids - switchable_ids())
    if unknown:
        raise RuleError(f"unknown rule ids {unknown}; known: {sorted(switchable_ids())}",
                        advice=f"没有编号为 {'、'.join(unknown)} 的规则。请用 govreport rules 查看全部规则编号。")
    params = settings.get("params", {})
    effective_params(params)  # refused here, before any report is read
    return HouseRules(frozenset(ids), params)


def switchable_ids() -> set[str]:
    """What a house rule may switch off: a whole check (``outline.sections``) or one kind of its
    findings (``outline.sections.thin``)."""
    return set(REGISTRY) | {rule.finding_id(sub) for rule in REGISTRY.values() for sub in rule.findings}


def disabled_rules(extra: tuple[str, ...] | list[str] = (), *, folder: Path | None = None) -> frozenset[str]:
    """Ids switched off by ``extra``, ``GOVREPORT_DISABLE`` and ``govreport.yaml``; unknown ids are an error."""
    return house_rules(extra, folder=folder).disable


def effective_params(overrides: Params | None = None) -> dict[str, dict[str, float]]:
    """Every registered rule's thresholds: its defaults with ``overrides`` applied. An unknown rule,
    an unknown threshold or a value that is not a number in the threshold's range is a ``RuleError``."""
    overrides = overrides or {}
    for rule_id, values in overrides.items():
        _check_overrides(rule_id, values)
    return {rule.id: rule.defaults() | dict(overrides.get(rule.id, {})) for rule in REGISTRY.values()}


def _check_overrides(rule_id: str, values) -> None:
    rule = REGISTRY.get(rule_id)
    if rule is None:
        raise RuleError(f"params: unknown rule id {rule_id!r}",
                        advice=f"参数设置中的规则编号 {rule_id} 不存在。请用 govreport rules 查看全部规则编号。")
    if not isinstance(values, Mapping):
        raise RuleError(f"params: {rule_id} must map threshold names to values",
                        advice=f"规则 {rule_id} 的参数须写成“参数名: 数值”的形式。")
    for name, value in values.items():
        param = rule.params.get(name)
        if param is None:
            known = "、".join(rule.params) or "无"
            raise RuleError(f"params: rule {rule_id} has no threshold {name!r}; it has {sorted(rule.params)}",
                            advice=f"规则 {rule_id} 没有参数“{name}”(可设置的参数:{known})。"
                                   "请用 govreport rules 查看各规则的参数及其默认值。")
        if isinstance(value, bool) or not isinstance(value, int | float) or not param.minimum <= value <= param.maximum:
            raise RuleError(f"params: {rule_id}.{name} = {value!r} is not a number in [{param.minimum}, {param.maximum}]",
                            advice=f"规则 {rule_id} 的参数“{name}”须是 {param.minimum:g} 到 {param.maximum:g} 之间的数。")


def _configured(path: Path) -> dict:
    """The house-rules file's settings, their shape checked (values are checked by the caller)."""
    from analyzer.frameworks import YamlError, load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise RuleError(f"{path}: cannot read house rules: {exc}",
                        advice=f"无法读取规则配置文件 {path.name}。请检查文件编码(UTF-8)和 YAML 格式。") from exc
    if not isinstance(data, dict) or set(data) - set(CONFIG_KEYS):
        raise RuleError(f"{path}: the house rules take only {list(CONFIG_KEYS)}",
                        advice=f"规则配置文件 {path.name} 只能包含 disable(关闭的规则)和 params(规则参数)两项。")
    disable = data.get("disable") or []
    if not isinstance(disable, list) or not all(isinstance(i, str) for i in disable):
        raise RuleError(f"{path}: 'disable' must be a list of rule ids",
                        advice=f"规则配置文件 {path.name} 中的 disable 须是规则编号的列表,如 disable: [text.boilerplate]。")
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise RuleError(f"{path}: 'params' must map rule ids to thresholds",
                        advice=f"规则配置文件 {path.name} 中的 params 须写成“规则编号: {{参数名: 数值}}”的形式。")
    return {"disable": disable, "params": params}
