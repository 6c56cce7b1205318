"""Altair charts of one analysis: per-section share, specificity and boilerplate ratio."""

from __future__ import annotations

from analyzer.result import Analysis

from .labels import STATUS_COLOUR, STATUS_ZH

_AXIS_CHARS = 14  # long section names are cut on the axis; the tooltip has the full name


def coverage_rows(analysis: Analysis) -> list[dict]:
    """One row per framework section, in framework order, with the figures the chart shows."""
    rows = []
    for s in analysis.sections:
        name = f"{s.id} {s.name}"
        rows.append({
            "section": name if len(name) <= _AXIS_CHARS else name[: _AXIS_CHARS - 1] + "…",
            "name": name,
            "status": STATUS_ZH.get(s.status, s.status),
            "share": s.share,
            "specificity": s.specificity,
            "boilerplate_ratio": s.boilerplate_ratio,
            "chars": s.chars,
        })
    return rows


def coverage_chart(analysis: Analysis):
    """Three aligned bar charts; bars coloured by status so thin and missing sections stand out."""
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(coverage_rows(analysis))
    order = list(data["section"])  # framework order; an explicit list keeps the three panels aligned
    y = alt.Y("section:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    tooltip = [alt.Tooltip("name:N", title="部分"), alt.Tooltip("status:N", title="状态"),
               alt.Tooltip("chars:Q", title="字数"), alt.Tooltip("share:Q", title="占比", format=".1%"),
               alt.Tooltip("specificity:Q", title="具体度", format=".0%"),
               alt.Tooltip("boilerplate_ratio:Q", title="套话比例", format=".0%")]
    status_scale = alt.Scale(domain=list(STATUS_ZH.values()), range=[STATUS_COLOUR[k] for k in STATUS_ZH])
    base = alt.Chart(data).encode(y=y, tooltip=tooltip).properties(width=190, height=alt.Step(26))
    share = base.mark_bar().encode(
        x=alt.X("share:Q", title="占正文比例", axis=alt.Axis(format="%")),
        color=alt.Color("status:N", scale=status_scale, title="状态", legend=alt.Legend(orient="bottom")),
    )
    status_text = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x="share:Q", text="status:N", color=alt.Color("status:N", scale=status_scale, legend=None)
    )
    specificity = base.mark_bar(color="#0072B2").encode(
        x=alt.X("specificity:Q", title="具体度", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
    )
    boilerplate = base.mark_bar(color="#E69F00").encode(
        x=alt.X("boilerplate_ratio:Q", title="套话比例", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
    )
    return alt.hconcat(
        share + status_text,
        specificity.encode(y=alt.Y("section:N", sort=order, axis=None)),
        boilerplate.encode(y=alt.Y("section:N", sort=order, axis=None)),
        spacing=8,
    ).configure_view(stroke=None)
