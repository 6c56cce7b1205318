"""Check: every task of the outline is written about, not thin, not mostly 套话."""

from __future__ import annotations

from analyzer.checks.builders import section_findings
from analyzer.checks.context import CheckContext
from analyzer.checks.rules import Param, register
from analyzer.result import Finding


@register("outline.sections", order=10, kinds=("missing_section", "thin_section", "boilerplate"),
          description="纲要各方面是否写到:缺失、单薄,或几乎全是套话",
          findings={"missing": "未写到纲要的这一方面", "thin": "这一方面内容单薄", "boilerplate": "这一方面大半是套话"},
          params={"boilerplate_heavy": Param(0.5, "某一方面中套话文字所占比例达到此值即提示")},
          fires="现将2023年法治政府建设情况报告如下:\n一、健全政府机构职能体系\n全年调整权责清单事项36项。",
          quiet="corpus:au101")
def check_sections(context: CheckContext) -> list[Finding]:
    return section_findings(context.doc, context.framework, context.exclude,
                            boilerplate_heavy=context.params["boilerplate_heavy"], evidence=context.evidence)
