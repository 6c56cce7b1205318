"""Choose what a report is checked against, on two independent axes, and say why.

- The **outline** (what substance is required) follows the report's year: the outline file whose
  ``years`` cover it; a year outside every outline takes the nearest one, said so; without a year,
  the outline whose section names the headings match most often.
- The **report rule** (which parts the report must have) applies from its first year on.
- The **layout** (how the report is organised) is read from the top-level headings: the layout of
  a framework file whose headings they name, else topical headings, else none.

Everything comes from the framework files: a new outline is a new file, never a branch here.
Reasons are Chinese sentences: they are shown to the reports' authors.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.doc import Doc
from analyzer.frameworks import Framework, FrameworkError, frameworks_of_kind, load_framework, outlines
from analyzer.mapping.sections import heading_cores, heading_matcher

TOPICAL = ("topical", "专题式标题")  # headings that name no section or part of any framework
HEADINGLESS = ("headingless", "无标题")


@dataclass(frozen=True)
class Choice:
    """An id with its display name and the reason it was chosen."""

    id: str
    name: str
    reason: str


def choose_outline(structure: Doc, requested: str = "auto") -> Choice:
    """The outline the report's substance is checked against."""
    if requested != "auto":
        chosen = load_framework(requested)
        if chosen.kind == "outline":
            return Choice(chosen.id, chosen.label, "由用户指定")
    year = structure.metadata.year
    candidates = outlines()
    if not candidates:
        raise FrameworkError("no outline framework file is installed")
    if year is not None:
        covering = [o for o in candidates if o.covers(year)]
        if covering:
            outline = covering[-1]
            return Choice(outline.id, outline.label, f"报告年度为{year}年,属于该纲要适用的{_span(outline)}")
        outline = min(candidates, key=lambda o: (_distance(o, year), -o.years[0]))
        return Choice(outline.id, outline.label,
                      f"报告年度{year}年不在已有纲要的期间内,按最近的{outline.label}({_span(outline)})检查,请人工确认")
    hits = {o.id: _heading_hits(structure, o, [s.id for s in o.sections]) for o in candidates}
    best = max(candidates, key=lambda o: (len(hits[o.id]), o.years[0]))
    count = len(hits[best.id])
    why = f"标题与{best.label}最为吻合({count}个部分标题)" if count else f"按最新的{best.label}检查"
    return Choice(best.id, best.label, f"未识别出报告年度;{why}")


def choose_rule(structure: Doc, requested: str = "auto") -> Framework | None:
    """The report rule whose required parts apply to the report's year (a rule id requested by the
    user applies whatever the year); None before every rule."""
    if requested != "auto":
        chosen = load_framework(requested)
        if chosen.kind == "report-rule":
            return chosen
    year = structure.metadata.year
    rules = frameworks_of_kind("report-rule")
    if year is None:
        return rules[-1] if rules else None  # an undated draft is checked as a current report
    covering = [r for r in rules if r.covers(year)]
    return covering[-1] if covering else None


def rule_reason(rule: Framework | None, year: int | None, *, requested: bool = False) -> str:
    if rule is None:
        return f"报告年度{year}年早于报告内容规定施行,按纲要的报告惯例检查问题和下一步安排" if year else "无适用的报告内容规定"
    if requested:
        return f"由用户指定:{rule.label}"
    if year is None:
        return f"未识别出报告年度,按现行的{rule.label}检查必备部分"
    return f"报告年度为{year}年,{rule.label}自{rule.years[0]}年度报告起适用"


def detect_layout(structure: Doc, frameworks: list[Framework] | None = None) -> Choice:
    """The layout the report's headings follow. Two passes: top-level headings naming a layout's
    parts with one of its distinctive parts (``needs_any``: a 第一责任人 part marks the 2019
    contents) or an outline's sections; then headings at any level naming an outline's sections
    (seven areas under 一、总体情况). Generic parts alone (工作 / 问题 / 打算 over topical
    subheadings) are a topical layout: every report has those."""
    if not structure.headings:
        return Choice(*HEADINGLESS, "全文没有标题,按段落内容判断各部分")
    top = [p for p in structure.headings if p.level is not None and p.level <= 1]
    candidates = frameworks if frameworks is not None else [load_framework(f) for f in _layout_frameworks()]
    passes = (
        lambda layout, hits_top, hits_all: not layout.needs_any or bool(hits_top & set(layout.needs_any)),
        lambda layout, hits_top, hits_all: layout.any_level,
    )
    seen: dict[int, tuple[set[str], set[str]]] = {}  # both passes read the same hits: found once per framework
    for accepts in passes:
        for framework in candidates:
            layout = framework.layout
            if layout is None:
                continue
            if id(framework) not in seen:
                hits_top = _heading_hits(structure, framework, layout.headings, top)
                seen[id(framework)] = hits_top, (_heading_hits(structure, framework, layout.headings)
                                                 if layout.any_level else hits_top)
            hits_top, hits_all = seen[id(framework)]
            hits = hits_all if layout.any_level and accepts is passes[1] else hits_top
            if len(hits) >= layout.min_hits and accepts(layout, hits_top, hits_all):
                named = [_name_of(framework, i) for i in layout.headings if i in hits]
                names = "、".join(named[:3]) + ("等" if len(named) > 3 else "")
                where = "各级标题" if hits is hits_all and hits_all is not hits_top else "一级标题"
                return Choice(layout.id, layout.name, f"{where}对应{framework.label}的{len(hits)}个部分({names})")
    return Choice(*TOPICAL, "有标题,但未直接对应纲要或报告内容规定的部分")


def _layout_frameworks() -> list[str]:
    """Frameworks with a layout, report rules first: a report in the rule's parts also names some
    outline tasks in its subheadings, never the other way round."""
    found = [*frameworks_of_kind("report-rule"), *outlines()]
    return [f.id for f in found if f.layout is not None]


def _heading_hits(structure: Doc, framework: Framework, ids: list[str], headings=None) -> set[str]:
    matcher = heading_matcher(framework)
    cores = heading_cores(structure)
    wanted = set(ids)
    hits = set()
    for p in structure.headings if headings is None else headings:
        found = matcher.match_core(cores[p.index])
        if found and found[0] in wanted:  # clearly named
            hits.add(found[0])
    return hits


def _name_of(framework: Framework, item_id: str) -> str:
    section = next((s for s in framework.sections if s.id == item_id), None)
    if section is not None:
        return section.name
    part = framework.part(item_id)
    return part.name if part else item_id


def _span(framework: Framework) -> str:
    first, last = framework.years
    return f"{first}年度起的报告" if last is None else f"{first}—{last}年度报告"


def _distance(framework: Framework, year: int) -> int:
    first, last = framework.years
    return first - year if year < first else (0 if last is None else year - last)
