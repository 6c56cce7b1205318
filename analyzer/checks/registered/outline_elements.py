"""Check: in the tasks a report covers, the outline's main measures (elements) are evidenced."""

from __future__ import annotations

from analyzer.checks.builders import element_findings
from analyzer.checks.context import CheckContext
from analyzer.checks.rules import register
from analyzer.result import Finding


@register("outline.elements", order=20, kinds=("missing_element",),
          description="已写到的方面中,纲要列出的主要措施(要素)是否有具体内容",
          findings={"missing": "未见这项主要措施", "general": "这项措施只有原则性表述,没有具体事实"},
          fires="现将2018年法治政府建设情况报告如下:\n一、依法全面履行政府职能\n全年办理行政许可事项1260件,全部按期办结。",
          quiet="阳山县司法局2023年法治政府建设情况报告\n现将本局2023年度法治政府建设有关情况报告如下:")  # no task: nothing to check
def check_elements(context: CheckContext) -> list[Finding]:
    return element_findings(context.doc, context.framework, context.evidence, context.exclude,
                            mentions=context.mentions)
