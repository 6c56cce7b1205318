"""The findings each check builds: missing and thin sections, missing elements, missing or
in-passing parts and their checks, 套话 paragraphs, missing metadata and copying. The registered
checks (``registered/``) call these, with their thresholds; ``findings.add_findings`` runs the checks.
Each finding's ``rule`` is the sub-id its check declares (``findings.add_findings`` prefixes the
check's id); what it is about is in ``section`` and ``element``."""

from __future__ import annotations

from analyzer.checks import suggest
from analyzer.checks.elements import MODEL_TERM, Evidence
from analyzer.doc import Doc, PartStatus
from analyzer.frameworks import Framework
from analyzer.result import Copying, Finding

_METADATA_FIELDS = {"title": "标题", "issuer": "发文单位", "date": "成文日期", "year": "报告年度"}
GENERAL_ONLY = "只有原则性表述,未写明具体的次数、时间或文件"  # for elements that need a fact


def section_findings(doc: Doc, framework: Framework, exclude, *, boilerplate_heavy: float,
                     evidence: dict[str, list[Evidence]] | None = None) -> list[Finding]:
    """Missing and thin sections, and covered ones with at least ``boilerplate_heavy`` of 套话. A
    missing section's finding also names the paragraphs of other sections where its elements' terms
    occur (``evidence``): the reviewer sees at once whether the task is only mentioned in passing or
    has a paragraph of its own that was read as another task's."""
    out = []
    for result, section in zip(doc.sections, framework.sections):
        if result.status == "missing":
            out.append(Finding(
                kind="missing_section", severity="high", location="whole report", section=section.id,
                message=f"未见“{section.name}”部分的内容",
                evidence=[_where_looked(doc, framework), *_mentioned_elsewhere(doc, framework, section, evidence or {})],
                rule="missing",
                suggestion=suggest.for_section(section, framework, status="missing", exclude=exclude),
            ))
        elif result.status == "thin":
            out.append(Finding(
                kind="thin_section", severity="medium", location=result.paragraphs, section=section.id,
                message=f"“{section.name}”仅有{result.chars}字,内容单薄",
                evidence=[p.text for p in doc.paragraphs if p.index in result.paragraphs and not p.is_heading][:2],
                rule="thin",
                suggestion=suggest.for_section(section, framework, status="thin", exclude=exclude),
            ))
        elif (result.boilerplate_ratio or 0) >= boilerplate_heavy:
            out.append(Finding(
                kind="boilerplate", severity="medium", location=result.paragraphs, section=section.id,
                message=f"“{section.name}”中{result.boilerplate_ratio:.0%}的文字为套话,缺少具体事实",
                rule="boilerplate",
                suggestion=suggest.for_section(section, framework, status="boilerplate", exclude=exclude),
            ))
    return out


MENTIONS_SHOWN = 2  # paragraphs of other sections quoted under a missing section, at most


def _mentioned_elsewhere(doc: Doc, framework: Framework, section, evidence: dict[str, list[Evidence]]) -> list[str]:
    """Where the section's element terms occur in paragraphs mapped elsewhere, one line per paragraph
    (the classifier's own judgements are left out: a term is what the reviewer can find in the text)."""
    names = {s.id: s.name for s in framework.sections} | {p.id: p.name for p in framework.parts}
    seen: dict[int, Evidence] = {}
    for element in section.elements:
        for found in evidence.get(element.id, []):
            if found.term != MODEL_TERM and found.paragraph not in seen:
                seen[found.paragraph] = found
    lines = []
    for index in sorted(seen)[:MENTIONS_SHOWN]:
        label = doc.paragraphs[index].section
        lines.append(f"第{index + 1}段提到“{seen[index].term}”,该段按内容归入“{names.get(label, label)}”;"
                     "如该段主要写的就是这一方面,可忽略此提示")
    return lines


def _where_looked(doc: Doc, framework: Framework) -> str:
    """Where the outline's tasks were looked for: the part that holds them, or the whole body."""
    holder = next((p for p in framework.parts if p.sections), None)
    numbers = [p.index for p in doc.body() if holder is None or p.part == holder.id]
    where = f"“{holder.name}”部分" if holder is not None else "正文"
    if not numbers:
        return f"报告中没有{where}的正文段落"
    return f"已逐段检查{where}(第{numbers[0] + 1}—{numbers[-1] + 1}段,共{len(numbers)}段),没有一段主要写这一方面"


def element_findings(doc: Doc, framework: Framework, evidence, exclude, *, mentions=None) -> list[Finding]:
    """A missing element is reported only for sections the report covers: a missing section is one
    finding, not one per measure. ``mentions``: sentences that name an element needing a fact without one."""
    out = []
    for result, section in zip(doc.sections, framework.sections):
        if result.status == "missing":
            continue
        for element in section.elements:
            if evidence.get(element.id):
                continue
            out.append(Finding(
                kind="missing_element", severity="low", section=section.id, element=element.id,
                **_not_seen(
                    f"“{section.name}”中未见“{element.name}”的相关内容",
                    f"“{section.name}”中“{element.name}”{GENERAL_ONLY}",
                    (mentions or {}).get(element.id),
                ),
                suggestion=suggest.for_element(element, section, framework, exclude=exclude),
            ))
    return out


def _not_seen(absent: str, general: str, mention: Evidence | None, *, prefix: str = "") -> dict:
    """Sub-id, message, location and evidence of a finding on an element without evidence: ``absent``
    (sub-id ``missing``), or, when the report names it only in general terms, ``general`` with that
    sentence (sub-id ``general``); ``prefix`` goes before the sub-id."""
    if mention is None:
        return {"rule": f"{prefix}missing", "message": absent, "location": "whole report"}
    return {"rule": f"{prefix}general", "message": general, "location": [mention.paragraph],
            "evidence": [mention.sentence]}


def part_findings(doc: Doc, framework: Framework, evidence, exclude, *, mentions=None,
                  statuses: list[PartStatus] | None = None) -> list[Finding]:
    """Required parts that are missing (high) or told only in passing inside another part (low), and
    the parts' report-level checks. An optional part is never a finding."""
    out = []
    status_of = {s.part.id: s for s in statuses or []}
    for part in framework.parts:
        status = status_of.get(part.id)
        state = status.status if status else ("present" if any(p.part == part.id for p in doc.paragraphs) else "missing")
        required = status.required if status else part.required
        passing = status.passing if status else None
        if required and state == "missing" and part.id != "META":
            out.append(Finding(
                kind="missing_part", severity="high", location="whole report", section=part.id,
                message=f"缺少必备部分“{part.name}”", rule="missing",
                suggestion=suggest.for_part(part.id, part.name, framework, exclude=exclude),
            ))
        elif required and state == "in_passing":
            out.append(Finding(
                kind="missing_part", severity="low", location=[passing], section=part.id,
                message=f"“{part.name}”只在其他部分中顺带提及,未单独报告",
                evidence=[doc.paragraphs[passing].text[:120]],
                rule="in-passing",
                suggestion=suggest.for_part(part.id, part.name, framework, exclude=exclude),
            ))
        present = state == "present"
        for check in part.checks:
            if evidence.get(check.id):
                continue
            if check.scope == "part" and not present and required:
                continue  # the missing part is already reported
            out.append(Finding(
                kind="missing_part", severity="medium", section=part.id, element=check.id,
                **_not_seen(f"未见“{check.name}”", f"“{check.name}”{GENERAL_ONLY}", (mentions or {}).get(check.id),
                            prefix="check-"),
                suggestion=suggest.for_check(check, part.name, present=present, exclude=exclude),
            ))
    return out


def boilerplate_findings(doc: Doc, flags: dict[int, list[tuple]]) -> list[Finding]:
    """One finding per paragraph with formulaic sentences, quoting them and naming the formula."""
    from analyzer.checks.boilerplate import default_detector

    names = default_detector().categories
    out = []
    for index, items in sorted(flags.items()):
        paragraph = doc.paragraphs[index]
        kinds = "、".join(dict.fromkeys(names.get(flag.category, flag.category) for *_, flag in items))
        out.append(Finding(
            kind="boilerplate", severity="low", location=[index], section=paragraph.section,
            message=f"第{index + 1}段有{len(items)}句套话({kinds}):" + "、".join(f"“{flag.matched}”" for *_, flag in items[:3]),
            evidence=[sentence for _, _, sentence, _ in items],
            rule="paragraph",
        ))
    return out


def metadata_findings(doc: Doc) -> list[Finding]:
    meta = doc.metadata
    return [
        Finding(kind="missing_metadata", severity="low", location="whole report",
                message=f"未能识别{label}", rule=field)
        for field, label in _METADATA_FIELDS.items()
        if getattr(meta, field) in (None, "")
    ]


_KIND_NAMES = {"verbatim": "原样照抄", "figures_changed": "仅改动数字、年份或日期", "near": "稍作改写"}


def copy_findings(doc: Doc, copy: Copying, *, high: float, medium: float) -> list[Finding]:
    """Mark copied sentences on their paragraphs and report the sentence share (from ``medium``, and
    severe from ``high``), per kind, with the first passages side by side (later ⇐ earlier)."""
    for passage in copy.passages:
        doc.paragraphs[passage.later_paragraph].copied.append(list(passage.later_span))
    if copy.share < medium:
        return []
    severity = "high" if copy.share >= high else "medium"
    kinds = "、".join(f"{_KIND_NAMES[kind]}{n}句" for kind, n in copy.counts.items() if n)
    return [Finding(
        kind="copied", severity=severity,
        location=sorted({p.later_paragraph for p in copy.passages}),
        message=f"正文{copy.sentences}句中有{copy.copied_sentences}句(约{copy.share:.0%})与对照报告相同或近似:{kinds}",
        evidence=[f"{p.later} ⇐ {p.earlier}" for p in copy.passages[:5]],
        rule="copied",
    )]
