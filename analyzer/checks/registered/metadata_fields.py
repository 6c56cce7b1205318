"""Check: title, issuer, date and report year can be read."""

from __future__ import annotations

from analyzer.checks.builders import metadata_findings
from analyzer.checks.context import CheckContext
from analyzer.checks.rules import register
from analyzer.result import Finding


@register("metadata.fields", order=50, kinds=("missing_metadata",),
          description="标题、发文单位、成文日期、报告年度是否齐全",
          findings={"title": "未能识别标题", "issuer": "未能识别发文单位", "date": "未能识别成文日期",
                    "year": "未能识别报告年度"},
          fires="全年办理行政复议案件15件,纠错3件,组织执法人员培训4期,覆盖全部在岗执法人员。",
          quiet="corpus:au101")
def check_metadata(context: CheckContext) -> list[Finding]:
    return metadata_findings(context.doc)
