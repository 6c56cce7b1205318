"""Check: how much of the report repeats the issuer's previous report (figures, years and dates
normalised)."""

from __future__ import annotations

from analyzer.checks.builders import copy_findings
from analyzer.checks.context import CheckContext
from analyzer.checks.rules import register
from analyzer.result import Finding


@register("copying.previous", order=60, kinds=("copied",),
          description="与上一年度报告雷同(数字、年份、日期改动后仍算照抄)",
          fires="corpus:au110", quiet="corpus:au101", previous="corpus:au109")
def check_copying(context: CheckContext) -> list[Finding]:
    return copy_findings(context.analysis, context.copy) if context.copy is not None else []
