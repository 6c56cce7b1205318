"""Suggestions: what to add, why (the rule), which figures a reviewer expects, and exemplar
passages from the corpus. Suggestions name kinds of figures; they never invent numbers."""

from __future__ import annotations

from analyzer.checks.exemplars import ExemplarIndex, default_index
from analyzer.frameworks import Element, Framework, Section


def _exemplars(key: str, index: ExemplarIndex | None, exclude: frozenset[str]) -> list[dict]:
    return [e.as_dict() for e in (index or default_index()).best(key, exclude_texts=exclude)]


def for_section(section: Section, framework: Framework, *, status: str, exclude=frozenset(), index=None) -> dict:
    figures = list(dict.fromkeys(f for e in section.elements for f in e.evidence))[:5]
    measures = "、".join(e.name for e in section.elements[:3])
    if status == "missing":
        text = f"补充“{section.name}”部分,写明本年度在该领域的具体措施和成效" + (f",如{measures}等" if measures else "") + "。"
    elif status == "boilerplate":
        text = f"将“{section.name}”中的原则性表述替换为具体事实:做了什么、数量多少、依据哪份文件、何时完成。"
    else:
        text = f"充实“{section.name}”部分:目前内容单薄,补充具体做法、数据、文件名称和时间节点。"
    return {
        "text": text,
        "why": f"{framework.name}要求报告“{section.name}”({section.id});{_status_note(section.status)}",
        "figures": figures,
        "exemplars": _exemplars(section.id, index, exclude),
    }


def for_element(element: Element, section: Section, framework: Framework, *, exclude=frozenset(), index=None) -> dict:
    return {
        "text": f"如本年度开展了“{element.name}”方面的工作,补充具体做法和数据。",
        "why": f"“{element.name}”是“{section.name}”({section.id})的主要措施之一;{_status_note(element.status)}",
        "figures": list(element.evidence),
        "exemplars": _exemplars(element.id, index, exclude),
    }


def for_check(check: Element, part_name: str, *, present: bool, exclude=frozenset(), index=None) -> dict:
    text = f"补充“{check.name}”。" if present else f"增加“{part_name}”部分,并写明“{check.name}”。"
    return {
        "text": text,
        "why": f"年度报告应包含“{part_name}”({check.id});{_status_note(check.status)}",
        "figures": list(check.evidence),
        "exemplars": _exemplars(check.id, index, exclude),
    }


def for_part(part_id: str, part_name: str, framework: Framework, *, exclude=frozenset(), index=None) -> dict:
    return {
        "text": f"增加“{part_name}”部分。",
        "why": f"{framework.name}的年度报告须包含“{part_name}”。",
        "figures": [],
        "exemplars": _exemplars(part_id, index, exclude),
    }


def _status_note(status: str) -> str:
    return {
        "verified": "该要求已与公开文本核对。",
        "partly": "该要求部分经公开文本核对。",
        "unverified": "该措施名称来自对纲要的归纳,尚未与官方全文核对。",
    }[status]
