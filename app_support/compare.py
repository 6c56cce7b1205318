"""Compare page helpers: the analyzer's comparison tables (``analyzer.compare.tables``) with Chinese charts.

The numbers come from ``analyzer.compare.tables`` (``report_rows``, ``group_summary``, ``yoy_copying``),
the same functions behind ``govreport compare``; this module files each report under the year and
issuer the user chose, puts report names next to hashes, and draws the charts with Chinese labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from analyzer.compare.tables import scale_lookup
from analyzer.result import Analysis

# Columns of analyzer.compare.tables.report_rows shown on the page, with their Chinese headings.
REPORT_COLUMNS = {
    "report": "报告", "issuer": "发文单位", "year": "年度", "level": "层级", "framework": "框架",
    "sections_covered": "已覆盖", "sections_total": "部分数", "section_coverage": "覆盖率",
    "elements_found": "已见要素", "elements_total": "要素总数", "boilerplate_ratio": "套话比例",
    "specificity": "具体句子占比", "figures_per_1000": "每千字数据", "findings_high": "问题(高)",
    "findings_medium": "问题(中)", "findings_low": "问题(低)",
}
LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇/街道", "department": "部门",
            "ministry": "部委"}
LEGEND_ROW = 18  # pixels per legend entry under a chart
GROUP_COLUMNS = {"year": "年度", "issuer": "发文单位", "level": "层级", "reports": "报告数",
                 "section_coverage": "已覆盖部分比例", "element_coverage": "已见要素比例", "boilerplate_ratio": "套话比例",
                 "specificity": "具体句子占比", "figures_per_1000": "每千字数据", "chars": "篇幅(字)",
                 "yoy_copied_share": "与上一年度雷同比例"}


def group_table(groups):
    """``analyzer.compare.tables.group_summary`` with Chinese headers and section names (common-scale columns only)."""
    from analyzer.compare.tables import section_names

    names = section_names()
    shown = groups[[c for c in groups.columns if not c.startswith("share_")]]
    if "level" in shown:
        shown = shown.assign(level=shown["level"].map(lambda v: LEVEL_ZH.get(v, v)))
    return shown.rename(columns=lambda c: GROUP_COLUMNS.get(c) or (
        f"篇幅占比:{names.get(c.removeprefix('scale_'), c)}" if c.startswith("scale_") else c))


@dataclass(frozen=True)
class CompareItem:
    """One report on the compare page, with the year and issuer it is filed under."""

    name: str
    issuer: str
    year: int | None
    analysis: Analysis

    def filed(self) -> Analysis:
        """The analysis with the chosen issuer and year in its metadata (what the comparison groups by)."""
        meta = msgspec.structs.replace(self.analysis.metadata, issuer=self.issuer, year=self.year)
        return msgspec.structs.replace(self.analysis, metadata=meta)


def report_table(items: list[CompareItem]):
    """``analyzer.compare.tables.report_rows`` of the items, with a ``report`` name column first."""
    from analyzer.compare.tables import report_rows

    frame = report_rows([item.filed() for item in items])
    frame.insert(0, "report", [item.name for item in items])
    return frame


def copying_table(items: list[CompareItem]):
    """``analyzer.compare.tables.yoy_copying``: per issuer, each report against its nearest earlier one, with names."""
    from analyzer.compare.tables import yoy_copying

    frame = yoy_copying([item.filed() for item in items])
    names = {item.analysis.source.sha256: item.name for item in items}
    return frame.assign(
        pair=frame["previous_year"].astype(str) + "→" + frame["year"].astype(str),
        earlier=frame["previous_sha256"].map(names),
        later=frame["sha256"].map(names),
    )


def emphasis_frame(items: list[CompareItem]):
    """One row per report × scale section: the share of the report's section text it takes.

    A paragraph counts under its era-outline topic when the framework folds sections (duc-2019),
    else under its section; shared parts (前言, 问题, 下一步, 文头) are left out. This puts reports of
    both outlines and of the 2019 rules' layout on one scale.
    """
    import pandas as pd

    lookup, rows = scale_lookup(), []
    for item in items:
        chars: dict[str, int] = {}
        for p in item.analysis.paragraphs:
            label = p.topic or p.section
            if not p.is_heading and label in lookup:
                chars[lookup[label]] = chars.get(lookup[label], 0) + len(p.text)
        total = sum(chars.values()) or 1
        rows += [{"report": item.name, "issuer": item.issuer, "year": item.year, "scale": scale,
                  "chars": n, "share": n / total} for scale, n in chars.items()]
    return pd.DataFrame(rows, columns=["report", "issuer", "year", "scale", "chars", "share"])


def emphasis_chart(emphasis):
    """Each section's share of section text on the common scale, summed over the year's reports, to 100%."""
    import altair as alt

    from analyzer.compare.tables import section_names

    data = emphasis.dropna(subset=["year"]).groupby(["year", "scale"], as_index=False)["share"].sum()
    names = section_names()
    data = data.assign(section=data["scale"].map(lambda sid: names.get(sid, sid)))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title="年度"),
        y=alt.Y("share:Q", stack="normalize", title="各部分篇幅占比", axis=alt.Axis(format="%")),
        color=alt.Color("section:N", title="部分", legend=alt.Legend(labelLimit=520, orient="bottom", columns=1)),
        tooltip=[alt.Tooltip("year:O", title="年度"), alt.Tooltip("section:N", title="部分"),
                 alt.Tooltip("share:Q", title="篇幅占比", format=".1%")],
    ).properties(height=280 + LEGEND_ROW * data["section"].nunique())  # Streamlit fits the legend into the height


def yearly_chart(reports, *, field: str, title: str):
    """Each report as a point by year, with the yearly mean as a line."""
    import altair as alt

    from analyzer.compare.tables import framework_names

    data = reports[["issuer", "year", "framework", field]].dropna(subset=["year", field])
    names = framework_names()
    data = data.assign(year=data["year"].astype(int), **{field: data[field].astype(float)},
                       framework=data["framework"].map(lambda f: names.get(f, f)))
    points = alt.Chart(data).mark_circle(size=60, opacity=0.6).encode(
        x=alt.X("year:O", title="年度"),
        y=alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format="%")),
        color=alt.Color("framework:N", title="框架", legend=alt.Legend(orient="bottom", columns=1, labelLimit=400)),
        tooltip=[alt.Tooltip("issuer:N", title="发文单位"), alt.Tooltip("year:O", title="年度"),
                 alt.Tooltip(f"{field}:Q", title=title, format=".1%")],
    )
    mean = alt.Chart(data).mark_line(color="#444", strokeDash=[4, 3]).encode(
        x="year:O", y=alt.Y(f"mean({field}):Q")
    )
    return (points + mean).properties(height=240 + LEGEND_ROW * data["framework"].nunique())


def copying_chart(copying):
    """Year-over-year copied share, one bar per issuer and pair of years."""
    import altair as alt

    data = copying.assign(label=copying["issuer"] + " " + copying["pair"])
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("copied_share:Q", title="与上一份报告雷同的文字比例", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("issuer:N", title="发文单位"), alt.Tooltip("pair:N", title="年度"),
                 alt.Tooltip("copied_share:Q", title="雷同比例", format=".1%"),
                 alt.Tooltip("copied_sentences:Q", title="雷同句数")],
    )
    values = base.mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
        text=alt.Text("copied_share:Q", format=".0%"))
    return (base.mark_bar(color="#c62828") + values).properties(height=alt.Step(24))
