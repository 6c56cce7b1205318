"""Findings a reviewer can act on. Each has a kind, a severity, a location, evidence and the rule
it comes from; most carry a suggestion (``suggest``) with exemplar passages.

Kinds: missing_section, thin_section, missing_element, missing_part, missing_metadata,
boilerplate, copied.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from analyzer.checks import suggest
from analyzer.checks.elements import Evidence, find_elements, unmeasured_mentions
from analyzer.checks.quality import mark_paragraphs, report_stats, section_quality
from analyzer.checks.rules import REGISTRY, register
from analyzer.frameworks import Framework
from analyzer.mapping.parts import PartStatus
from analyzer.result import Analysis, Copying, ElementResult, Finding
from analyzer.text.structure import Structure

_METADATA_FIELDS = {"title": "标题", "issuer": "发文单位", "date": "成文日期", "year": "报告年度"}
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
BOILERPLATE_HEAVY = 0.5  # a section with at least this share of formulaic text gets a finding of its own
COPIED_HIGH, COPIED_MEDIUM = 0.3, 0.1
MAX_EVIDENCE = 5  # sentences kept per element
GENERAL_ONLY = "只有原则性表述,未写明具体的次数、时间或文件"  # for elements that need a fact


@dataclass(frozen=True)
class CheckContext:
    """What every check reads: the analysis so far, the parsed structure, the framework (the outline's
    sections and the parts the report must have), and what the shared searches found."""

    analysis: Analysis
    structure: Structure
    framework: Framework
    evidence: dict[str, list[Evidence]]
    mentions: dict[str, Evidence]
    flags: dict[int, list[tuple]]
    exclude: frozenset[str]
    copy: Copying | None
    parts: list[PartStatus] | None
    rule_id: str


def add_findings(
    analysis: Analysis,
    structure: Structure,
    framework: Framework,
    *,
    copy: Copying | None = None,
    element_model=None,
    parts: list[PartStatus] | None = None,
    rule_id: str | None = None,
    disable: frozenset[str] = frozenset(),
) -> None:
    """Run every registered check not in ``disable``, fill the quality fields and statistics, and append
    the findings, most severe first. ``framework`` holds the outline's sections and the parts the
    report must have (``parts``: their statuses; ``rule_id``: the file those parts come from)."""
    flags = mark_paragraphs(analysis)
    section_quality(analysis)
    evidence = find_elements(analysis, framework, structure=structure, model=element_model)
    _fill_elements(analysis, framework, evidence)
    context = CheckContext(
        analysis=analysis, structure=structure, framework=framework, evidence=evidence,
        mentions=unmeasured_mentions(analysis, framework, evidence), flags=flags,
        exclude=frozenset(p.text for p in analysis.paragraphs), copy=copy, parts=parts,
        rule_id=rule_id or framework.id,
    )
    findings = []
    for rule in REGISTRY.values():
        if rule.id not in disable:
            findings += [msgspec.structs.replace(f, check=rule.id) for f in rule.run(context)]
    analysis.findings.extend(sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity]))
    elements = [e for s in analysis.sections for e in s.elements]
    analysis.stats.update(
        report_stats(analysis),
        sections_covered=sum(s.status == "covered" for s in analysis.sections),
        sections_total=len(analysis.sections),
        elements_found=sum(e.found for e in elements),
        elements_total=len(elements),
        copied_share=round(copy.share, 3) if copy is not None else None,
        copied_chars_share=round(copy.chars_share, 3) if copy is not None else None,
    )


def _fill_elements(analysis: Analysis, framework: Framework, evidence: dict[str, list[Evidence]]) -> None:
    for result, section in zip(analysis.sections, framework.sections):
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


def section_findings(analysis: Analysis, framework: Framework, exclude) -> list[Finding]:
    out = []
    for result, section in zip(analysis.sections, framework.sections):
        if result.status == "missing":
            out.append(Finding(
                kind="missing_section", severity="high", location="whole report", section=section.id,
                message=f"未见“{section.name}”部分的内容",
                evidence=[_where_looked(analysis, framework)],
                rule=f"{framework.id}:{section.id}",
                suggestion=suggest.for_section(section, framework, status="missing", exclude=exclude),
            ))
        elif result.status == "thin":
            out.append(Finding(
                kind="thin_section", severity="medium", location=result.paragraphs, section=section.id,
                message=f"“{section.name}”仅有{result.chars}字,内容单薄",
                evidence=[p.text for p in analysis.paragraphs if p.index in result.paragraphs and not p.is_heading][:2],
                rule=f"{framework.id}:{section.id}:thin",
                suggestion=suggest.for_section(section, framework, status="thin", exclude=exclude),
            ))
        elif (result.boilerplate_ratio or 0) >= BOILERPLATE_HEAVY:
            out.append(Finding(
                kind="boilerplate", severity="medium", location=result.paragraphs, section=section.id,
                message=f"“{section.name}”中{result.boilerplate_ratio:.0%}的文字为套话,缺少具体事实",
                rule=f"boilerplate:section:{section.id}",
                suggestion=suggest.for_section(section, framework, status="boilerplate", exclude=exclude),
            ))
    return out


def _where_looked(analysis: Analysis, framework: Framework) -> str:
    """Where the outline's tasks were looked for: the part that holds them, or the whole body."""
    holder = next((p for p in framework.parts if p.sections), None)
    numbers = [p.index for p in analysis.body() if holder is None or p.part == holder.id]
    where = f"“{holder.name}”部分" if holder is not None else "正文"
    if not numbers:
        return f"报告中没有{where}的正文段落"
    return f"已逐段检查{where}(第{numbers[0] + 1}—{numbers[-1] + 1}段,共{len(numbers)}段),均未涉及这一方面"


def element_findings(analysis: Analysis, framework: Framework, evidence, exclude, *, mentions=None) -> list[Finding]:
    """A missing element is reported only for sections the report covers: a missing section is one
    finding, not one per measure. ``mentions``: sentences that name an element needing a fact without one."""
    out = []
    for result, section in zip(analysis.sections, framework.sections):
        if result.status == "missing":
            continue
        for element in section.elements:
            if evidence.get(element.id):
                continue
            out.append(Finding(
                kind="missing_element", severity="low", section=section.id,
                **_not_seen(
                    f"“{section.name}”中未见“{element.name}”的相关内容",
                    f"“{section.name}”中“{element.name}”{GENERAL_ONLY}",
                    (mentions or {}).get(element.id),
                ),
                rule=f"{framework.id}:{element.id}",
                suggestion=suggest.for_element(element, section, framework, exclude=exclude),
            ))
    return out


def _not_seen(absent: str, general: str, mention: Evidence | None) -> dict:
    """Message, location and evidence of a finding on an element without evidence: ``absent``, or,
    when the report names it only in general terms, ``general`` with that sentence."""
    if mention is None:
        return {"message": absent, "location": "whole report"}
    return {"message": general, "location": [mention.paragraph], "evidence": [mention.sentence]}


def part_findings(analysis: Analysis, framework: Framework, evidence, exclude, *, mentions=None,
                  statuses: list[PartStatus] | None = None, rule_id: str = "") -> list[Finding]:
    """Required parts that are missing (high) or told only in passing inside another part (low), and
    the parts' report-level checks. An optional part is never a finding."""
    out = []
    status_of = {s.part.id: s for s in statuses or []}
    for part in framework.parts:
        status = status_of.get(part.id)
        state = status.status if status else ("present" if any(p.part == part.id for p in analysis.paragraphs) else "missing")
        required = status.required if status else part.required
        passing = status.passing if status else None
        if state == "missing":  # the part's own checks may have found its subject told elsewhere
            seen = next((ev.paragraph for check in part.checks for ev in evidence.get(check.id, [])), None)
            if seen is not None:
                state, passing = "in_passing", seen
                _mark_in_passing(analysis, part.id, seen)
        if required and state == "missing" and part.id != "META":
            out.append(Finding(
                kind="missing_part", severity="high", location="whole report", section=part.id,
                message=f"缺少必备部分“{part.name}”", rule=f"{rule_id}:{part.id}",
                suggestion=suggest.for_part(part.id, part.name, framework, exclude=exclude),
            ))
        elif required and state == "in_passing":
            out.append(Finding(
                kind="missing_part", severity="low", location=[passing], section=part.id,
                message=f"“{part.name}”只在其他部分中顺带提及,未单独报告",
                evidence=[analysis.paragraphs[passing].text[:120]],
                rule=f"{rule_id}:{part.id}:in-passing",
                suggestion=suggest.for_part(part.id, part.name, framework, exclude=exclude),
            ))
        present = state == "present"
        for check in part.checks:
            if evidence.get(check.id):
                continue
            if check.scope == "part" and not present and required:
                continue  # the missing part is already reported
            out.append(Finding(
                kind="missing_part", severity="medium", section=part.id,
                **_not_seen(f"未见“{check.name}”", f"“{check.name}”{GENERAL_ONLY}", (mentions or {}).get(check.id)),
                rule=f"{rule_id}:{check.id}",
                suggestion=suggest.for_check(check, part.name, present=present, exclude=exclude),
            ))
    return out


def _mark_in_passing(analysis: Analysis, part_id: str, paragraph: int) -> None:
    for result in analysis.parts:
        if result.id == part_id:
            result.status, result.passing = "in_passing", paragraph


def boilerplate_findings(analysis: Analysis, flags: dict[int, list[tuple]]) -> list[Finding]:
    """One finding per paragraph with formulaic sentences, quoting them and naming the formula."""
    from analyzer.checks.boilerplate import default_detector

    names = default_detector().categories
    out = []
    for index, items in sorted(flags.items()):
        paragraph = analysis.paragraphs[index]
        kinds = "、".join(dict.fromkeys(names.get(flag.category, flag.category) for *_, flag in items))
        out.append(Finding(
            kind="boilerplate", severity="low", location=[index], section=paragraph.section,
            message=f"第{index + 1}段有{len(items)}句套话({kinds}):" + "、".join(f"“{flag.matched}”" for *_, flag in items[:3]),
            evidence=[sentence for _, _, sentence, _ in items],
            rule="boilerplate:" + ",".join(dict.fromkeys(flag.entry for *_, flag in items)),
        ))
    return out


def metadata_findings(analysis: Analysis) -> list[Finding]:
    meta = analysis.metadata
    return [
        Finding(kind="missing_metadata", severity="low", location="whole report",
                message=f"未能识别{label}", rule=f"metadata:{field}")
        for field, label in _METADATA_FIELDS.items()
        if getattr(meta, field) in (None, "")
    ]


_KIND_NAMES = {"verbatim": "原样照抄", "figures_changed": "仅改动数字、年份或日期", "near": "稍作改写"}


def copy_findings(analysis: Analysis, copy: Copying) -> list[Finding]:
    """Mark copied sentences on their paragraphs and report the sentence share, per kind, with the
    first passages side by side (later ⇐ earlier)."""
    for passage in copy.passages:
        analysis.paragraphs[passage.later_paragraph].copied.append(list(passage.later_span))
    if copy.share < COPIED_MEDIUM:
        return []
    severity = "high" if copy.share >= COPIED_HIGH else "medium"
    kinds = "、".join(f"{_KIND_NAMES[kind]}{n}句" for kind, n in copy.counts.items() if n)
    return [Finding(
        kind="copied", severity=severity,
        location=sorted({p.later_paragraph for p in copy.passages}),
        message=f"正文{copy.sentences}句中有{copy.copied_sentences}句(约{copy.share:.0%})与对照报告相同或近似:{kinds}",
        evidence=[f"{p.later} ⇐ {p.earlier}" for p in copy.passages[:5]],
        rule="copied:previous-report",
    )]


# ----------------------------------------------------------------------------- the registered checks
# Run in this order; each carries a report on which it must fire and one on which it must stay quiet
# (tests/test_rules.py runs them). Example reports are written for these rules, not quotations.
@register("outline.sections", kinds=("missing_section", "thin_section", "boilerplate"),
          description="纲要各方面是否写到:缺失、单薄,或几乎全是套话",
          fires="现将2023年法治政府建设情况报告如下:\n一、健全政府机构职能体系\n全年调整权责清单事项36项。",
          quiet="corpus:au101")
def check_sections(context: CheckContext) -> list[Finding]:
    return section_findings(context.analysis, context.framework, context.exclude)


@register("outline.elements", kinds=("missing_element",),
          description="已写到的方面中,纲要列出的主要措施(要素)是否有具体内容",
          fires="现将2018年法治政府建设情况报告如下:\n一、依法全面履行政府职能\n全年办理行政许可事项1260件,全部按期办结。",
          quiet="阳山县司法局2023年法治政府建设情况报告\n现将本局2023年度法治政府建设有关情况报告如下:")  # no task: nothing to check
def check_elements(context: CheckContext) -> list[Finding]:
    return element_findings(context.analysis, context.framework, context.evidence, context.exclude,
                            mentions=context.mentions)


@register("report.parts", kinds=("missing_part",),
          description="报告必备部分(问题和原因、第一责任人履职、下一年度安排等)及其要求",
          fires="现将2023年法治政府建设情况报告如下:\n一、主要举措和成效\n全年办理行政许可事项86件。",
          quiet="corpus:au101")
def check_parts(context: CheckContext) -> list[Finding]:
    return part_findings(context.analysis, context.framework, context.evidence, context.exclude,
                         mentions=context.mentions, statuses=context.parts, rule_id=context.rule_id)


@register("text.boilerplate", kinds=("boilerplate",),
          description="套话:逐段标出空泛的原则性表述",
          fires="现将2023年法治政府建设情况报告如下:\n法治政府建设取得明显成效,群众满意度不断提升。",
          quiet="现将2023年法治政府建设情况报告如下:\n全年办理行政复议案件15件,纠错3件。")
def check_boilerplate(context: CheckContext) -> list[Finding]:
    return boilerplate_findings(context.analysis, context.flags)


@register("metadata.fields", kinds=("missing_metadata",),
          description="标题、发文单位、成文日期、报告年度是否齐全",
          fires="全年办理行政复议案件15件,纠错3件,组织执法人员培训4期,覆盖全部在岗执法人员。",
          quiet="corpus:au101")
def check_metadata(context: CheckContext) -> list[Finding]:
    return metadata_findings(context.analysis)


@register("copying.previous", kinds=("copied",),
          description="与上一年度报告雷同(数字、年份、日期改动后仍算照抄)",
          fires="corpus:au110", quiet="corpus:au101", previous="corpus:au109")
def check_copying(context: CheckContext) -> list[Finding]:
    return copy_findings(context.analysis, context.copy) if context.copy is not None else []
