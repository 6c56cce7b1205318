"""The checks as registered rules (in the manner of ruff and proselint): each has a stable id, the
finding kinds it produces, a Chinese description, and its own example reports that must make it
fire and stay quiet (the tests run them). Each check is one file in ``checks/registered/`` that registers itself; ``findings.add_findings``
loads them all and runs every rule that is not switched off.

Rules are switched off by id, for one run (``govreport analyze --disable ID``) or for a legal office's
house rules: the environment variable ``GOVREPORT_DISABLE`` (ids separated by commas) or a
``govreport.yaml`` file in the working folder with ``disable: [ID, …]``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import GovreportError

DISABLE_ENV = "GOVREPORT_DISABLE"
CONFIG_FILE = "govreport.yaml"


class RuleError(GovreportError, ValueError):
    """A rule id that no rule has, or a malformed house-rules file."""

    code = "rule"
    advice = "规则编号不存在或规则配置文件格式有误。请用 govreport rules 查看全部规则编号。"


@dataclass(frozen=True)
class Rule:
    """One check. ``run`` takes the check context (see ``findings.CheckContext``) and returns findings;
    ``fires`` and ``quiet`` are example reports on which it must and must not report anything (a
    report's text, or ``corpus:ID`` for an authored corpus report), analysed with ``previous`` as the
    previous year's report when given."""

    id: str
    kinds: tuple[str, ...]
    description: str
    run: Callable = field(repr=False, compare=False)
    order: int = 100  # run order (findings of one severity keep it)
    fires: str = ""
    quiet: str = ""
    previous: str = ""


REGISTRY: dict[str, Rule] = {}


def register(rule_id: str, *, kinds: tuple[str, ...], description: str, fires: str, quiet: str,
             previous: str = "", order: int = 100, kind_names: dict[str, str] | None = None):
    """Decorator: register ``run`` as rule ``rule_id`` (ids are unique; ``order`` is the run order).
    ``kind_names``: the Chinese names of finding kinds this rule introduces."""

    def wrap(run: Callable) -> Callable:
        if rule_id in REGISTRY:
            raise RuleError(f"rule {rule_id!r} registered twice")
        if kind_names:
            from analyzer.messages import add_labels

            add_labels("kind", kind_names)
        REGISTRY[rule_id] = Rule(rule_id, kinds, description, run, order, fires, quiet, previous)
        return run

    return wrap


def disabled_rules(extra: tuple[str, ...] | list[str] = (), *, folder: Path | None = None) -> frozenset[str]:
    """Ids switched off by ``extra``, ``GOVREPORT_DISABLE`` and ``govreport.yaml``; unknown ids are an
    error. (The checks register themselves when ``findings.registered_rules`` loads them: call it first.)"""
    ids = set(extra) | {i.strip() for i in os.environ.get(DISABLE_ENV, "").split(",") if i.strip()}
    config = (folder or Path.cwd()) / CONFIG_FILE
    if config.is_file():
        ids |= set(_configured(config))
    known = set(REGISTRY)
    unknown = sorted(ids - known)
    if unknown:
        raise RuleError(f"unknown rule ids {unknown}; known: {sorted(known)}")
    return frozenset(ids)


def _configured(path: Path) -> list[str]:
    from analyzer.frameworks import YamlError, load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise RuleError(f"{path}: cannot read house rules: {exc}") from exc
    disable = data.get("disable", []) if isinstance(data, dict) else None
    if not isinstance(disable, list) or not all(isinstance(i, str) for i in disable):
        raise RuleError(f"{path}: 'disable' must be a list of rule ids")
    return disable
