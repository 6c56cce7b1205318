"""Run the registered checks on one report: fill the quality fields, the element checklist and the
statistics, and add the findings, most severe first.

Every check is a file in ``analyzer/checks/registered/`` that registers one rule (``rules.register``):
adding a check is adding a file (and its example reports); nothing here names a check. A check's
findings carry their sub-id in ``rule``; here they get their full id (``<check id>.<sub-id>``) and
``check``, so that no check can name another's findings.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from functools import cache

import msgspec

from analyzer.checks import registered
from analyzer.checks.context import CheckContext
from analyzer.checks.elements import Evidence, find_elements, unmeasured_mentions
from analyzer.checks.quality import mark_paragraphs, report_stats, section_quality
from analyzer.checks.rules import REGISTRY, Params, Rule, effective_params
from analyzer.doc import Doc, PartStatus
from analyzer.frameworks import Framework
from analyzer.result import SEVERITIES, ElementResult

MAX_EVIDENCE = 5  # sentences kept per element


@cache
def registered_rules() -> tuple[Rule, ...]:
    """Every check in ``registered/``, imported once, in run order."""
    for module in sorted(pkgutil.iter_modules(registered.__path__), key=lambda m: m.name):
        importlib.import_module(f"{registered.__name__}.{module.name}")
    return tuple(sorted(REGISTRY.values(), key=lambda rule: (rule.order, rule.id)))


def add_findings(
    doc: Doc,
    *,
    element_model=None,
    disable: frozenset[str] = frozenset(),
    params: Params | None = None,
) -> None:
    """Run every registered check not in ``disable`` (check ids, or finding ids such as
    ``outline.sections.thin`` to drop one kind of a check's findings) on a mapped ``doc``, fill its
    quality fields and statistics, and add the findings, most severe first. The checks read the plan's
    ``checked`` framework (the outline's sections and the parts the report must have); ``params``:
    thresholds set by house rules (rule id → name → value; the others keep the defaults the rules declare)."""
    framework = doc.plan.checked
    flags = mark_paragraphs(doc)
    section_quality(doc)
    evidence = find_elements(doc, framework, model=element_model)
    _fill_elements(doc, framework, evidence)
    doc.part_statuses = _told_elsewhere(doc.part_statuses, evidence)
    context = CheckContext(
        doc=doc, framework=framework, evidence=evidence,
        mentions=unmeasured_mentions(doc, framework, evidence), flags=flags,
        exclude=frozenset(p.text for p in doc.paragraphs),
    )
    findings = []
    rules = [rule for rule in registered_rules() if rule.id not in disable]
    thresholds = effective_params(params)
    shared = {f.name: getattr(context, f.name) for f in dataclasses.fields(context) if f.name != "params"}
    for rule in rules:  # what ``dataclasses.replace(context, params=…)`` builds, without its field lookups per rule
        found = rule.run(CheckContext(**shared, params=thresholds[rule.id]))
        findings += [g for g in (msgspec.structs.replace(f, check=rule.id, rule=rule.finding_id(f.rule)) for f in found)
                     if g.rule not in disable]  # a house rule may switch off one kind of a check's findings
    doc.findings.extend(sorted(findings, key=lambda f: SEVERITIES.index(f.severity)))
    elements = [e for s in doc.sections for e in s.elements]
    copy = doc.copying
    doc.stats.update(
        report_stats(doc),
        sections_covered=sum(s.status == "covered" for s in doc.sections),
        sections_total=len(doc.sections),
        elements_found=sum(e.found for e in elements),
        elements_total=len(elements),
        copied_share=round(copy.share, 3) if copy is not None else None,
        copied_chars_share=round(copy.chars_share, 3) if copy is not None else None,
    )


def _told_elsewhere(statuses: list[PartStatus], evidence: dict[str, list[Evidence]]) -> list[PartStatus]:
    """A missing part whose own checks found its subject elsewhere (the leader's acts told under
    another part) is in passing, not missing: for the checks and in the result."""
    out = []
    for status in statuses:
        seen = next((ev.paragraph for check in status.part.checks for ev in evidence.get(check.id, [])), None)
        if status.status == "missing" and seen is not None:
            status = dataclasses.replace(status, status="in_passing", passing=seen)
        out.append(status)
    return out


def _fill_elements(doc: Doc, framework: Framework, evidence: dict[str, list[Evidence]]) -> None:
    for result, section in zip(doc.sections, framework.sections):
        result.elements = [
            ElementResult(
                id=e.id,
                name=e.name,
                found=e.id in evidence and bool(evidence[e.id]),
                evidence=[{"paragraph": ev.paragraph, "sentence": ev.sentence, "term": ev.term}
                          for ev in evidence.get(e.id, [])[:MAX_EVIDENCE]],
            )
            for e in section.elements
        ]
