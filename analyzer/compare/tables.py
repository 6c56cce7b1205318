"""Comparisons across many reports: by year, issuer or level; year-over-year copying; rising terms.

The CLI's ``govreport compare`` and the app's Compare page call the same functions: ``report_rows``
→ ``group_summary`` / ``yoy_copying`` / ``term_trends`` → the chart functions → ``save_chart``.
pandas and Altair are imported inside the functions that use them, so importing this module is
cheap (the batch workers import ``issuer_level`` from it).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer import assets

if TYPE_CHECKING:
    import pandas as pd

GROUPINGS = ("year", "issuer", "level")
METRICS = {
    "section_coverage": "sections covered (share)",
    "element_coverage": "elements found (share)",
    "boilerplate_ratio": "boilerplate ratio",
    "specificity": "specific sentences (share)",
    "figures_per_1000": "figures per 1,000 chars",
    "chars": "length (chars)",
}
STOPWORDS = assets.asset_path(assets.STOPWORDS)
CHART_FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, sans-serif"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9０-９]")  # "2017年", "3项": figures, not terms (十四五 stays)


# ----------------------------------------------------------------------------- issuer level
from analyzer.compare.templates import text_record  # noqa: E402
from analyzer.issuers import issuer_level  # noqa: E402,F401 - kept importable from here


# ----------------------------------------------------------------------------- per-report table
def report_rows(analyses_or_store_rows) -> pd.DataFrame:
    """One row per report: metadata, metrics and ``share_<section>`` columns.

    Accepts ``Analysis`` objects, store row dicts (``Store.report_rows()``), a ``Store`` (adds the
    section shares), or a DataFrame (returned as a copy).
    """
    import pandas as pd

    from analyzer.batch.store import Store

    source = analyses_or_store_rows
    if isinstance(source, pd.DataFrame):
        return source.copy()
    shares: dict[str, dict[str, float]] = {}
    if isinstance(source, Store):
        for row in source.section_shares():
            shares.setdefault(row["sha256"], {})[f"share_{row['section_id']}"] = row["share"]
        for sha, scaled in scale_shares(source.section_chars()).items():
            shares.setdefault(sha, {}).update(scaled)
        source = source.report_rows()
    rows = [_row(item) for item in source]
    for row in rows:
        row.update(shares.get(row["sha256"], {}))
    frame = pd.DataFrame(rows, columns=list(_EMPTY_ROW) if not rows else None)
    if frame.empty:
        return frame
    frame["year"] = frame["year"].astype("Int64")
    # On the common S1..S7 scale, so that 2016–2025 lines are continuous across the two outlines
    # (a 2021 report's ten parts count towards the seven scale sections they map onto).
    frame["section_coverage"] = frame["covered_scale_sections"] / frame["total_scale_sections"].where(frame["total_scale_sections"] > 0)
    frame["element_coverage"] = frame["elements_found"] / frame["elements_total"].where(frame["elements_total"] > 0)
    return frame


_EMPTY_ROW = dict.fromkeys((
    "sha256", "path", "name", "issuer", "year", "level", "framework", "chars", "sections_covered", "sections_total",
    "covered_scale_sections", "total_scale_sections",
    "elements_found", "elements_total", "boilerplate_ratio", "specificity", "figures_per_1000", "copied_share",
    "yoy_copied_share", "findings_high", "findings_medium", "findings_low",
))


def _row(item) -> dict:
    if hasattr(item, "metadata"):  # an Analysis: the same record the store keeps
        from analyzer.batch.store import report_record

        record = report_record(item, sha256=item.source.sha256, path=item.source.name, name=item.source.name)
        row = _row(record)
        row.update({f"share_{s.id}": s.share for s in item.sections})
        labelled = [(item.source.sha256, p.topic or p.section, len(p.text)) for p in item.paragraphs if not p.is_heading]
        row.update(scale_shares(labelled).get(item.source.sha256, {}))
        return row
    row = {key: item.get(key) for key in _EMPTY_ROW}
    row["specificity"] = item.get("specificity", item.get("specific_sentence_share"))
    if item.get("body_chars") is not None:
        row["chars"] = item["body_chars"]
    if row["level"] is None:
        row["level"] = issuer_level(row["issuer"])
    return row


def scale_lookup() -> dict[str, str]:
    """Section id (any outline) → its place on the common S1..S7 scale, or itself if none (the 2021
    additions P6, P9). Reports of every outline, in every layout, then compare on one scale."""
    from analyzer.frameworks import FrameworkError, available_frameworks, load_framework

    lookup: dict[str, str] = {}
    for framework_id in available_frameworks():
        try:
            lookup |= {s.id: s.scale or s.id for s in load_framework(framework_id).sections}
        except FrameworkError:
            continue
    return lookup


def scale_shares(labelled: Iterable) -> dict[str, dict[str, float]]:
    """Per report, each scale section's share of its section text (``scale_<id>`` keys), from
    (sha256, section or topic, chars) rows of body paragraphs; shared parts (前言, 问题…) are left out."""
    lookup = scale_lookup()
    chars: dict[str, Counter] = {}
    for row in labelled:
        sha, label, n = (row["sha256"], row["label"], row["chars"]) if isinstance(row, Mapping) else row
        if label in lookup:
            chars.setdefault(sha, Counter())[f"scale_{lookup[label]}"] += n
    return {sha: {k: round(v / (sum(c.values()) or 1), 4) for k, v in c.items()} for sha, c in chars.items()}


def group_summary(df, *, by: str = "year"):
    """Per group: reports, mean section shares, element coverage, boilerplate, specificity, length, copying."""
    import pandas as pd

    _check_by(by)
    if df.empty:
        return pd.DataFrame(columns=[by, "reports"])
    keyed = df.assign(**{by: _group_key(df[by])})
    metrics = [c for c in (*METRICS, "yoy_copied_share") if c in keyed]
    shares = sorted(c for c in keyed if c.startswith(("share_", "scale_")))
    summary = keyed.groupby(by, sort=True).agg(
        reports=("sha256", "size"), **{c: (c, "mean") for c in metrics + shares}
    ).round(4)
    if "framework" in keyed:  # which outline each group was checked against
        summary["outlines"] = keyed.groupby(by, sort=True)["framework"].agg(_outline_names)
    return summary.reset_index()


def _outline_names(ids) -> str:
    """The outlines a group's reports were checked against, by their short names."""
    from analyzer.frameworks import FrameworkError, load_framework

    names = []
    for outline_id in sorted({i for i in ids if isinstance(i, str)}):
        try:
            names.append(load_framework(outline_id).label)
        except FrameworkError:
            names.append(outline_id)
    return "、".join(names)


def _group_key(column):
    return column.astype("string").fillna("unknown")


def _check_by(by: str) -> None:
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")


# ----------------------------------------------------------------------------- year-over-year copying
def yoy_pairs(reports: Iterable, *, canonical: Mapping[str, str] | None = None) -> Iterator[dict]:
    """For each issuer, each report against the same issuer's nearest earlier-year report.

    ``reports``: ``Analysis`` objects or mappings with sha256, issuer, year and paragraphs (body
    texts). Issuer names are matched after normalisation (``copying.match_issuers``: 江城市市场监督管理局
    = 江城市场监管局; 市司法局 = the one 某市司法局 in the set). Each row carries the shares, the sentence
    counts and the ``copying`` record (passages side by side). ``canonical``: the issuer names'
    matching when it was made over more names than ``reports`` has (a store's; see ``yoy_heads``).
    """
    from analyzer.checks.copying import compare_paragraphs

    by_issuer = _first_per_issuer_year(reports, canonical=canonical)
    for key in sorted(by_issuer):
        by_year = by_issuer[key]
        years = sorted(by_year)
        for earlier, later in zip(years, years[1:]):
            old, new = by_year[earlier], by_year[later]
            result = compare_paragraphs(new["paragraphs"], old["paragraphs"])
            if new.get("indexes"):  # body paragraphs only: point the passages at the report's own numbering
                for passage in result.passages:
                    passage.later_paragraph = new["indexes"][passage.later_paragraph]
                    passage.earlier_paragraph = old["indexes"][passage.earlier_paragraph]
            yield {
                "issuer": new["issuer"], "year": later, "previous_year": earlier, "sha256": new["sha256"],
                "previous_sha256": old["sha256"], "copied_share": result.share,
                "copied_chars_share": result.chars_share, "copied_sentences": result.copied_sentences,
                "sentences": result.sentences, **{f"n_{kind}": n for kind, n in result.counts.items()},
                "copying": result,
            }


def yoy_heads(heads: Iterable[tuple[str, int, str]], canonical: Mapping[str, str]) -> list[str]:
    """The reports ``yoy_pairs`` needs, from (issuer, year, sha256) of every report with both: per
    name and year the report read first (the smallest sha256, as a store reads them), for issuers with
    reports of two years or more; the others pair with nothing, so their texts need not be read."""
    first: dict[tuple[str, int], str] = {}
    for name, year, sha256 in heads:
        if (name, year) not in first or sha256 < first[name, year]:
            first[name, year] = sha256
    years: dict[str, set[int]] = {}
    for name, year in first:
        if canonical.get(name) is not None:
            years.setdefault(canonical[name], set()).add(year)
    return sorted(sha for (name, _), sha in first.items() if len(years.get(canonical.get(name), ())) > 1)


def _first_per_issuer_year(reports: Iterable, *, canonical: Mapping[str, str] | None = None) -> dict[str, dict[int, dict]]:
    """Issuer key → year → the first report of that issuer and year, reading ``reports`` once: only
    the first report per name and year is kept (names are matched once all are known), so memory
    grows with issuer-years, not with reports."""
    from analyzer.checks.copying import match_issuers

    names: set[str | None] = set()
    first: dict[tuple[str, int], tuple[int, dict]] = {}  # (name, year) → (reading order, record)
    for order, report in enumerate(reports):
        record = text_record(report)
        names.add(record["issuer"])
        if record["issuer"] is not None and record["year"] is not None:
            first.setdefault((record["issuer"], record["year"]), (order, record))
    canonical = match_issuers(names) if canonical is None else canonical
    by_issuer: dict[str, dict[int, tuple[int, dict]]] = {}
    for (name, year), (order, record) in first.items():
        key = canonical.get(name)
        if key is not None:
            years = by_issuer.setdefault(key, {})
            if year not in years or order < years[year][0]:  # one report per issuer-year: the first read
                years[year] = (order, record)
    return {key: {year: record for year, (_, record) in years.items()} for key, years in by_issuer.items()}


YOY_COLUMNS = ["issuer", "year", "previous_year", "sha256", "previous_sha256", "copied_share", "copied_chars_share",
               "copied_sentences", "sentences", "n_verbatim", "n_figures_changed", "n_near"]


def yoy_copying(reports):
    """``yoy_pairs`` as a DataFrame (one row per issuer and year that has an earlier report)."""
    import pandas as pd

    return pd.DataFrame([{c: row[c] for c in YOY_COLUMNS} for row in yoy_pairs(reports)], columns=YOY_COLUMNS)


# ----------------------------------------------------------------------------- templates across issuers
def templates_table(source):
    """Templates (sentences in reports of >= 3 issuers) as a DataFrame for the compare page: template_id,
    text, issuers, reports, years, used_by. ``source``: a ``Store`` (its ``templates`` table) or
    reports as ``find_templates`` takes them (computed on the spot)."""
    import pandas as pd

    from analyzer.batch.store import Store
    from analyzer.compare.templates import find_templates, template_rows

    columns = ["template_id", "text", "issuers", "reports", "years", "used_by"]
    rows = list(source.template_rows()) if isinstance(source, Store) else template_rows(find_templates(source))
    return pd.DataFrame(rows, columns=columns)


# ----------------------------------------------------------------------------- terms
def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """The stop-list: one word per line, '#' comments (by default the shipped one, through ``assets``)."""
    if path is None:
        return assets.load(assets.STOPWORDS, load_stopwords)
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w)


def term_counts(texts: Iterable[str], *, stopwords: frozenset[str] | None = None) -> Counter:
    """Counts of content words (jieba tokens of two or more characters, Chinese, no figures, not stop words)."""
    from analyzer.text.segment import get_segmenter

    stop = load_stopwords() if stopwords is None else stopwords
    cut = get_segmenter().cut
    counts: Counter = Counter()
    for text in texts:
        counts.update(w for w in cut(text) if len(w) > 1 and w not in stop and _CJK.search(w) and not _DIGIT.search(w))
    return counts


def log_odds(counts_a: Mapping[str, int], counts_b: Mapping[str, int], *, prior: Mapping[str, float] | None = None):
    """Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    For each term w: δ = log((a_w+α_w)/(n_a+α0−a_w−α_w)) − log((b_w+α_w)/(n_b+α0−b_w−α_w)),
    σ² ≈ 1/(a_w+α_w) + 1/(b_w+α_w), z = δ/σ. The prior α (default: the pooled counts of a and b)
    shrinks rare terms toward zero, so a term is ranked by evidence, not by a ratio of small counts.
    Returns a DataFrame sorted by z, highest (most typical of a) first.
    """
    import pandas as pd

    vocabulary = sorted(set(counts_a) | set(counts_b))
    alpha = {w: (prior.get(w, 0.0) if prior is not None else counts_a.get(w, 0) + counts_b.get(w, 0)) for w in vocabulary}
    alpha = {w: max(a, 0.01) for w, a in alpha.items()}  # a term unseen by the prior still gets a pseudo-count
    alpha0 = sum(prior.values()) if prior is not None else sum(alpha.values())
    n_a, n_b = sum(counts_a.values()), sum(counts_b.values())
    rows = []
    for w in vocabulary:
        a, b, prior_w = counts_a.get(w, 0), counts_b.get(w, 0), alpha[w]
        delta = math.log((a + prior_w) / (n_a + alpha0 - a - prior_w)) - math.log((b + prior_w) / (n_b + alpha0 - b - prior_w))
        sigma = math.sqrt(1 / (a + prior_w) + 1 / (b + prior_w))
        rows.append((w, a, b, delta, delta / sigma))
    frame = pd.DataFrame(rows, columns=["term", "count", "reference_count", "delta", "z"])
    return frame.sort_values(["z", "term"], ascending=[False, True], ignore_index=True)


def term_trends(counts_by_group: Mapping[str, Counter], *, against: str = "previous", top: int = 15,
                min_count: int = 3):
    """Terms that rise and fall: each group against the previous one (``against="previous"``, for years)
    or against all other groups together (``"rest"``). The prior is the whole collection's term
    frequencies, scaled to the size of the two groups compared.

    Returns rows (group, reference, direction rises|falls, rank, term, z, delta, count, reference_count).
    """
    import pandas as pd

    groups = sorted(counts_by_group, key=_sort_key)
    collection: Counter = sum(counts_by_group.values(), Counter())
    total = sum(collection.values()) or 1
    frames = []
    for i, group in enumerate(groups):
        if against == "previous":
            if i == 0:
                continue
            reference, other = groups[i - 1], counts_by_group[groups[i - 1]]
        else:
            reference = "rest"
            other = sum((counts_by_group[g] for g in groups if g != group), Counter())
        mine = counts_by_group[group]
        size = sum(mine.values()) + sum(other.values())
        if not sum(mine.values()) or not sum(other.values()):
            continue
        prior = {w: c * size / total for w, c in collection.items() if w in mine or w in other}
        scores = log_odds(mine, other, prior=prior)
        scores = scores[scores["count"] + scores["reference_count"] >= min_count]
        rises = scores.head(top).assign(direction="rises")
        falls = scores.tail(top).iloc[::-1].assign(direction="falls")
        for part in (rises[rises["z"] > 0], falls[falls["z"] < 0]):
            frames.append(part.assign(group=group, reference=reference, rank=range(1, len(part) + 1)))
    columns = ["group", "reference", "direction", "rank", "term", "z", "delta", "count", "reference_count"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def _sort_key(group: str):
    return (group == "unknown", int(group) if str(group).isdigit() else 0, str(group))


def group_term_counts(reports: Iterable, *, by: str = "year", groups: Iterable[str] | None = None) -> dict[str, Counter]:
    """Term counts per group, one report at a time (``Store.report_texts()`` rows or ``Analysis`` objects)."""
    _check_by(by)
    keep = set(groups) if groups is not None else None
    stop = load_stopwords()
    counts: dict[str, Counter] = {}
    for report in reports:
        record = text_record(report)
        key = "unknown" if record.get(by) is None else str(record[by])
        if keep is None or key in keep:
            counts.setdefault(key, Counter()).update(term_counts(record["paragraphs"], stopwords=stop))
    return counts


# ----------------------------------------------------------------------------- charts
# Every title, axis and legend is Chinese (from the message catalogue) and names frameworks and sections,
# never their ids: these charts are handed to officials.
def _alt():
    import altair as alt

    alt.data_transformers.disable_max_rows()
    return alt


def _configure(chart, title: str):
    return (chart.properties(title=title)
            .configure(font=CHART_FONT)
            .configure_axis(labelFont=CHART_FONT, titleFont=CHART_FONT, labelLimit=300)
            .configure_legend(labelFont=CHART_FONT, titleFont=CHART_FONT, labelLimit=400)
            .configure_header(labelFont=CHART_FONT, titleFont=CHART_FONT, labelLimit=400)
            .configure_title(font=CHART_FONT))


def section_names() -> dict[str, str]:
    """Section id (any shipped framework, including the common-scale ids) → its name, for chart labels."""
    from analyzer.frameworks import FrameworkError, available_frameworks, load_framework

    names: dict[str, str] = {}
    for framework_id in available_frameworks():
        try:
            names |= {s.id: s.name for s in load_framework(framework_id).sections if s.id not in names}
        except FrameworkError:
            continue
    return names


def framework_names() -> dict[str, str]:
    """Framework id → its name, for legends."""
    from analyzer.frameworks import FrameworkError, available_frameworks, load_framework

    names = {}
    for framework_id in available_frameworks():
        try:
            names[framework_id] = load_framework(framework_id).name
        except FrameworkError:
            names[framework_id] = framework_id
    return names


def _group_title(by: str) -> str:
    from analyzer.messages import label

    return label("chart", by) if by in ("year", "issuer", "level") else by


def metrics_chart(groups, *, by: str = "year"):
    """Small multiples: each metric's group mean, one panel per metric, each bar labelled with its value."""
    from analyzer.messages import group, label, text

    alt = _alt()
    names = group("chart.metrics")
    metrics = [m for m in METRICS if m in groups]
    long = groups.melt(id_vars=[by, "reports"], value_vars=metrics, var_name="metric", value_name="value")
    long["metric"] = long["metric"].map(lambda m: names.get(m, m))
    long[by] = long[by].astype(str)
    x = alt.X(f"{by}:N", title=_group_title(by), sort=[str(g) for g in groups[by].tolist()])
    tooltip = [alt.Tooltip(f"{by}:N", title=_group_title(by)), alt.Tooltip("metric:N", title=text("chart.metric")),
               alt.Tooltip("value:Q", title=text("chart.value"), format=".3f"),
               alt.Tooltip("reports:Q", title=text("chart.reports"))]
    base = alt.Chart().encode(x=x, y=alt.Y("value:Q", title=None), tooltip=tooltip)
    layered = alt.layer(base.mark_bar(),
                        base.mark_text(dy=-5, fontSize=10).encode(text=alt.Text("value:Q", format=",.3~r")),
                        data=long).properties(width=220, height=150)
    chart = layered.facet(facet=alt.Facet("metric:N", title=None), columns=3).resolve_scale(y="independent")
    return _configure(chart, text("chart.titles.metrics", by=label("chart.by", by)))


def sections_chart(groups, *, by: str = "year"):
    """Heat map: mean share of section text per section and group, on the common S1..S7 scale (so
    reports of both outlines compare); the frameworks' own sections when no scale columns exist.
    Sections are named, and each cell carries its share."""
    from analyzer.messages import label, text

    alt = _alt()
    prefix = "scale_" if any(c.startswith("scale_") for c in groups) else "share_"
    shares = sorted(c for c in groups if c.startswith(prefix))
    long = groups.melt(id_vars=[by], value_vars=shares, var_name="section", value_name="share").dropna()
    long["section"] = long["section"].str.removeprefix(prefix)
    ids = sorted(long["section"].unique(), key=lambda s: (not s.startswith("S"), len(s), s))  # S1..S7 first
    names = section_names()
    long["section"] = long["section"].map(lambda sid: names.get(sid, sid))
    long[by] = long[by].astype(str)
    order = [names.get(sid, sid) for sid in ids]
    x = alt.X("section:N", sort=order, title=text("chart.section"), axis=alt.Axis(labelAngle=-40, labelLimit=600))
    y = alt.Y(f"{by}:N", sort=[str(g) for g in groups[by].tolist()], title=_group_title(by))
    base = alt.Chart(long).encode(x=x, y=y)
    cells = base.mark_rect().encode(
        color=alt.Color("share:Q", scale=alt.Scale(scheme="blues"), title=text("chart.share")),
        tooltip=[alt.Tooltip(f"{by}:N", title=_group_title(by)), alt.Tooltip("section:N", title=text("chart.section")),
                 alt.Tooltip("share:Q", title=text("chart.share"), format=".1%")],
    )
    values = base.mark_text(fontSize=10).encode(
        text=alt.Text("share:Q", format=".0%"),
        color=alt.condition("datum.share > 0.2", alt.value("white"), alt.value("#222")))
    key = "chart.titles.sections_scale" if prefix == "scale_" else "chart.titles.sections"
    return _configure(cells + values, text(key, by=label("chart.by", by)))


def yoy_chart(yoy):
    """Copied share of each report from the issuer's previous report, by year."""
    from analyzer.messages import text

    alt = _alt()
    chart = alt.Chart(yoy).mark_circle(size=60, opacity=0.7).encode(
        x=alt.X("year:O", title=text("chart.year")),
        y=alt.Y("copied_share:Q", title=text("chart.copied_share"), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("issuer:N", title=text("chart.issuer")), alt.Tooltip("year:O", title=text("chart.year")),
                 alt.Tooltip("previous_year:O", title="上一份报告年度"),
                 alt.Tooltip("copied_share:Q", title=text("chart.copied_share"), format=".1%")],
    ).properties(width=420, height=260)
    return _configure(chart, text("chart.titles.yoy"))


def terms_chart(trends):
    """Rising and falling terms per comparison, by log-odds z-score, each bar labelled with its value."""
    from analyzer.messages import text

    alt = _alt()
    direction = {"rises": text("chart.rises"), "falls": text("chart.falls")}
    data = trends.assign(comparison=trends["group"].astype(str) + " 对比 " + trends["reference"].astype(str),
                         direction=trends["direction"].map(lambda d: direction.get(d, d)))
    base = alt.Chart().encode(
        x=alt.X("z:Q", title=text("chart.z")),
        y=alt.Y("term:N", sort="-x", title=None),
        tooltip=[alt.Tooltip("term:N", title=text("chart.term")), alt.Tooltip("z:Q", format=".2f"),
                 alt.Tooltip("count:Q", title="次数"), alt.Tooltip("reference_count:Q", title="对照组次数")],
    )
    bars = base.mark_bar().encode(color=alt.Color("direction:N", title="变化", scale=alt.Scale(
        domain=[direction["rises"], direction["falls"]], range=["#c0392b", "#2c7fb8"])))
    values = base.mark_text(align="left", dx=3, fontSize=9).encode(text=alt.Text("z:Q", format=".1f"))
    chart = alt.layer(bars, values, data=data).properties(width=260, height=alt.Step(12)).facet(
        facet=alt.Facet("comparison:N", title=None), columns=3)
    return _configure(chart.resolve_scale(y="independent"), text("chart.titles.terms"))


def save_chart(chart, stem: Path) -> list[Path]:
    """Write ``stem``.html and ``stem``.png, both rendered offline, each written whole or not at all
    (``atomic``): the HTML embeds the vega, vega-lite and vega-embed scripts (``inline=True``), so it
    draws on a PC without network; the PNG is rendered by vl-convert (no browser)."""
    from analyzer.outputs.atomic import write_atomic

    stem = Path(stem)
    paths = [stem.with_suffix(".html"), stem.with_suffix(".png")]
    write_atomic(paths[0], chart.to_html(inline=True))
    write_atomic(paths[1], lambda fh: chart.save(fh, format="png", scale_factor=2))
    return paths


# ----------------------------------------------------------------------------- all at once
def write_comparison(store, *, by: str = "year", out: Path, top: int = 15, max_groups: int = 12) -> list[Path]:
    """Every table (CSV + Parquet) and chart (HTML + PNG) of a comparison of the stored reports."""
    _check_by(by)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    reports = report_rows(store)
    groups = group_summary(reports, by=by)
    yoy = yoy_copying(store.report_texts())
    largest = groups.sort_values("reports", ascending=False)[by].head(max_groups).tolist() if len(groups) else []
    counts = group_term_counts(store.report_texts(), by=by, groups=largest)
    trends = term_trends(counts, against="previous" if by == "year" else "rest", top=top)
    templates = templates_table(store)
    for name, table in (("reports", reports), (f"groups_by_{by}", groups), ("yoy_copying", yoy),
                        (f"terms_by_{by}", trends), ("templates", templates)):
        written += _write_table(table, out / name)
    if len(groups):
        written += save_chart(metrics_chart(groups, by=by), out / f"metrics_by_{by}")
        if any(c.startswith(("share_", "scale_")) for c in groups):
            written += save_chart(sections_chart(groups, by=by), out / f"sections_by_{by}")
    if len(yoy):
        written += save_chart(yoy_chart(yoy), out / "yoy_copying")
    if len(trends):
        written += save_chart(terms_chart(trends), out / f"terms_by_{by}")
    return written


def _write_table(table, stem: Path) -> list[Path]:
    from analyzer.outputs.atomic import write_atomic
    from analyzer.outputs.export import csv_safe

    csv, parquet = stem.with_suffix(".csv"), stem.with_suffix(".parquet")
    text = table.apply(lambda column: column.map(csv_safe) if column.dtype == object else column)
    write_atomic(csv, text.to_csv(index=False).encode("utf-8-sig"))  # the BOM lets Excel read the Chinese text
    write_atomic(parquet, lambda fh: table.to_parquet(fh, index=False))
    return [csv, parquet]
