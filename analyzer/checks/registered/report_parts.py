"""Check: the report parts its year's rule requires are there (problems with causes, the first
responsible person's duties, next year's plan with targets)."""

from __future__ import annotations

from analyzer.checks.builders import part_findings
from analyzer.checks.context import CheckContext
from analyzer.checks.rules import register
from analyzer.result import Finding


@register("report.parts", order=30, kinds=("missing_part",),
          description="报告必备部分(问题和原因、第一责任人履职、下一年度安排等)及其要求",
          findings={"missing": "缺少必备部分", "in-passing": "必备部分只在其他部分中顺带提及",
                    "check-missing": "未见必备部分的一项要求(如问题的原因)",
                    "check-general": "必备部分的一项要求只有原则性表述"},
          fires="现将2023年法治政府建设情况报告如下:\n一、主要举措和成效\n全年办理行政许可事项86件。",
          quiet="corpus:au101")
def check_parts(context: CheckContext) -> list[Finding]:
    return part_findings(context.doc, context.framework, context.evidence, context.exclude,
                         mentions=context.mentions, statuses=context.doc.part_statuses)
