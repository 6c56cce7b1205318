"""Altair charts of one analysis: per-section share, specificity and boilerplate ratio.

Section names are shown whole (wrapped over lines, never cut with "…"), and every bar carries its
value as text, so a 0 reads as "0%" rather than as a missing bar.
"""

from __future__ import annotations

from analyzer.messages import text
from analyzer.result import Analysis

from .labels import STATUS_COLOUR, STATUS_ZH

LINE_CHARS = 12  # characters per line of a section name on the axis
LINE_BREAK = "|"  # the axis splits labels here (no section name contains it)
PANEL_WIDTH = 120


def wrap(name: str, *, width: int = LINE_CHARS) -> str:
    """A long name cut into lines of ``width`` characters, joined by ``LINE_BREAK`` (nothing dropped)."""
    return LINE_BREAK.join(name[i : i + width] for i in range(0, len(name), width)) or name


def coverage_rows(analysis: Analysis) -> list[dict]:
    """One row per outline section, in outline order, with the figures the chart shows."""
    rows = []
    for number, s in enumerate(analysis.sections, start=1):
        name = f"{number}. {s.name}"
        rows.append({
            "section": wrap(name),
            "name": s.name,
            "status": STATUS_ZH.get(s.status, s.status),
            "share": s.share,
            "share_label": f"{s.share:.0%} {STATUS_ZH.get(s.status, s.status)}",
            "specificity": s.specificity,
            "boilerplate_ratio": s.boilerplate_ratio,
            "chars": s.chars,
        })
    return rows


def coverage_chart(analysis: Analysis):
    """Three aligned bar charts with values; bars coloured by status so thin and missing sections stand out."""
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(coverage_rows(analysis))
    order = list(data["section"])  # outline order; an explicit list keeps the three panels aligned
    y = alt.Y("section:N", sort=order, title=None,
              axis=alt.Axis(labelExpr=f"split(datum.label, '{LINE_BREAK}')", labelLimit=400, labelFontSize=12))
    hidden_y = alt.Y("section:N", sort=order, axis=None)
    tooltip = [alt.Tooltip("name:N", title=text("chart.section")), alt.Tooltip("status:N", title=text("chart.status")),
               alt.Tooltip("chars:Q", title=text("chart.chars")),
               alt.Tooltip("share:Q", title=text("chart.coverage_share"), format=".1%"),
               alt.Tooltip("specificity:Q", title=text("chart.specificity"), format=".0%"),
               alt.Tooltip("boilerplate_ratio:Q", title=text("chart.boilerplate_ratio"), format=".0%")]
    status_scale = alt.Scale(domain=list(STATUS_ZH.values()), range=[STATUS_COLOUR[k] for k in STATUS_ZH])
    lines = max(row.count(LINE_BREAK) + 1 for row in order) if order else 1
    base = alt.Chart(data).encode(tooltip=tooltip).properties(width=PANEL_WIDTH, height=alt.Step(14 * lines + 8))

    def panel(field: str, title: str, *, colour=None, share_scale: bool = False, axis_y=hidden_y, label=None):
        # the share axis leaves room after the longest bar for its "21% 已覆盖" label
        top = max([float(v) for v in data[field].fillna(0)] + [0.01]) * 1.6
        scale = alt.Scale(domain=[0, 1]) if not share_scale else alt.Scale(domain=[0, min(top, 1)], nice=False)
        x = alt.X(f"{field}:Q", title=title, scale=scale, axis=alt.Axis(format="%", tickCount=3))
        bars = base.mark_bar(**({"color": colour} if colour else {})).encode(y=axis_y, x=x)
        if colour is None:
            bars = bars.encode(color=alt.Color("status:N", scale=status_scale, title=text("chart.status"),
                                               legend=alt.Legend(orient="bottom")))
        values = base.mark_text(align="left", dx=3, fontSize=11, color="#222").encode(
            y=axis_y, x=alt.X(f"{field}:Q"),
            text=alt.Text(f"{label}:N") if label else alt.Text(f"{field}:Q", format=".0%"))
        return bars + values

    # the share panel's value says the status in words too ("5% 单薄"): colour alone is not enough
    share = panel("share", text("chart.coverage_share"), share_scale=True, axis_y=y, label="share_label")
    return alt.hconcat(
        share,
        panel("specificity", text("chart.specificity"), colour="#0072B2"),
        panel("boilerplate_ratio", text("chart.boilerplate_ratio"), colour="#E69F00"),
        spacing=10,
    ).configure_view(stroke=None).configure_axis(labelFontSize=11, titleFontSize=12)
