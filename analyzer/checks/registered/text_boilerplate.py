"""Check: paragraphs with 套话 (formulaic sentences of the lexicon), quoted."""

from __future__ import annotations

from analyzer.checks.builders import boilerplate_findings
from analyzer.checks.context import CheckContext
from analyzer.checks.rules import register
from analyzer.result import Finding


@register("text.boilerplate", order=40, kinds=("boilerplate",),
          description="套话:逐段标出空泛的原则性表述",
          findings={"paragraph": "这一段有套话"},
          fires="现将2023年法治政府建设情况报告如下:\n法治政府建设取得明显成效,群众满意度不断提升。",
          quiet="现将2023年法治政府建设情况报告如下:\n全年办理行政复议案件15件,纠错3件。")
def check_boilerplate(context: CheckContext) -> list[Finding]:
    return boilerplate_findings(context.doc, context.flags)
