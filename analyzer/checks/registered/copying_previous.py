"""Check: how much of the report repeats the issuer's previous report (figures, years and dates
normalised)."""

from __future__ import annotations

from analyzer.checks.builders import copy_findings
from analyzer.checks.context import CheckContext
from analyzer.checks.rules import Param, register
from analyzer.result import Finding


@register("copying.previous", order=60, kinds=("copied",),
          description="与上一年度报告雷同(数字、年份、日期改动后仍算照抄)",
          findings={"copied": "正文中与上一年度报告相同或近似的句子比例达到提示线"},
          params={"medium": Param(0.1, "雷同句子比例达到此值即提示(中)"),
                  "high": Param(0.3, "雷同句子比例达到此值为严重(高)")},
          fires="corpus:au110", quiet="corpus:au101", previous="corpus:au109")
def check_copying(context: CheckContext) -> list[Finding]:
    copy = context.doc.copying
    if copy is None:
        return []
    return copy_findings(context.doc, copy, high=context.params["high"], medium=context.params["medium"])
