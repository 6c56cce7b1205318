"""Check: placeholders of a template left in the draft (XX件, ××局, 〇〇年, 某某同志, 【待补充】).

A drafting office copies last year's report or a template and fills it in; a placeholder left behind is
a plain error a reviewer must catch before the report is filed. One finding per paragraph, quoting
the placeholders.
"""

from __future__ import annotations

import re

from analyzer.checks.context import CheckContext
from analyzer.checks.rules import register
from analyzer.result import Finding

# X or × runs (two or more, or one before a measure word), 〇〇 / ○○ runs that are not part of a year
# (二〇二三年 is a year), 某某, and bracketed notes to the drafter.
# Every placeholder opens with one of the characters of the look-ahead: the engine passes other
# characters at once instead of trying each alternative there (same matches, tested over the corpus).
PLACEHOLDER_START = r"[XxＸｘ×〇○某【\[(（]"
PLACEHOLDER = re.compile(
    rf"(?={PLACEHOLDER_START})(?:"
    r"[XxＸｘ×]{2,}|[XxＸｘ×](?=[件项次个人名家条份万亿%])|(?<![一二三四五六七八九〇零○])[〇○]{2,}(?![〇○]*[一二三四五六七八九])"
    r"|某某|[【\[(（](?:待补充|待定|待核实|此处填写|填写)[^】\]）)]{0,10}[】\]）)])"
)


@register("text.placeholders", order=45, kinds=("placeholder",), kind_names={"placeholder": "未替换的占位符"},
          description="模板占位符未替换(XX件、××局、〇〇年、某某、【待补充】)",
          findings={"paragraph": "这一段有未替换的占位符"},
          fires="现将2023年法治政府建设情况报告如下:\n全年办理行政复议案件XX件,纠错××件,【待补充】。",
          quiet="现将2023年法治政府建设情况报告如下:\n二〇二三年全年办理行政复议案件15件,纠错3件。")
def check_placeholders(context: CheckContext) -> list[Finding]:
    out = []
    for paragraph in context.doc.paragraphs:
        found = [m.group(0) for m in PLACEHOLDER.finditer(paragraph.text)]
        if found:
            quoted = "、".join(f"“{f}”" for f in dict.fromkeys(found))
            out.append(Finding(
                kind="placeholder", severity="medium", location=[paragraph.index], section=paragraph.section,
                message=f"第{paragraph.index + 1}段有未替换的占位符:{quoted}", evidence=[paragraph.text[:120]],
                rule="paragraph",
                suggestion={"text": "用本年度的实际数字、名称和日期替换占位符;确无数据的,删去该句。",
                            "why": "占位符说明草稿尚未填写完整,报送前必须替换。", "figures": [], "exemplars": []},
            ))
    return out
