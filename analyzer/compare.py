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
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

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
STOPWORDS = Path(__file__).parent / "data" / "stopwords.txt"
CHART_FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, sans-serif"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9０-９]")  # "2017年", "3项": figures, not terms (十四五 stays)


# ----------------------------------------------------------------------------- issuer level
_MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市"}  # cities at provincial level


def issuer_level(issuer: str | None) -> str | None:
    """Administrative level guessed from the issuer's name: province, city, county, township,
    department or ministry. A heuristic on name endings, not a register: a county-level 市 reads as a
    city, and unusual names give None."""
    if not issuer:
        return None
    name = re.sub(r"\s+", "", issuer)
    if "街道" in name or re.search(r"[镇乡](人民政府|政府)?$", name):
        return "township"
    if re.match(r"^(中华人民共和国)?国家", name) and not re.search(r"[省市县区]", name):
        return "ministry"
    if re.search(r"(总局|总署|部)$", name) and not re.search(r"[省市县区]", name):
        return "ministry"
    if re.search(r"(局|委|厅|办|委员会|办公室|办公厅|中心|署|院|部)$", name):
        return "department"
    place = re.sub(r"(人民政府|政府)$", "", name)
    if place in _MUNICIPALITIES:
        return "province"
    if re.search(r"(省|自治区)$", place):
        return "province"
    if re.search(r"[县区旗]$", place):
        return "county"
    if re.search(r"(市|州|盟)$", place):
        return "city"
    return None


# ----------------------------------------------------------------------------- per-report table
def report_rows(analyses_or_store_rows) -> pd.DataFrame:
    """One row per report: metadata, metrics and ``share_<section>`` columns.

    Accepts ``Analysis`` objects, store row dicts (``Store.report_rows()``), a ``Store`` (adds the
    section shares), or a DataFrame (returned as a copy).
    """
    import pandas as pd

    from .store import Store

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
    frame["section_coverage"] = frame["sections_covered"] / frame["sections_total"].where(frame["sections_total"] > 0)
    frame["element_coverage"] = frame["elements_found"] / frame["elements_total"].where(frame["elements_total"] > 0)
    return frame


_EMPTY_ROW = dict.fromkeys((
    "sha256", "path", "name", "issuer", "year", "level", "framework", "chars", "sections_covered", "sections_total",
    "elements_found", "elements_total", "boilerplate_ratio", "specificity", "figures_per_1000", "copied_share",
    "yoy_copied_share", "findings_high", "findings_medium", "findings_low",
))


def _row(item) -> dict:
    if hasattr(item, "metadata"):  # an Analysis: the same record the store keeps
        from .store import report_record

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
    """Section id (any shipped framework) → its place on the common S1..S7 scale, or itself if none.

    Reports of the 2015 and 2021 outlines (and of the 2019 rules' layout, through each paragraph's
    era-outline topic) then compare on one scale."""
    from .frameworks import FrameworkError, available_frameworks, load_framework

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
    )
    return summary.round(4).reset_index()


def _group_key(column):
    return column.astype("string").fillna("unknown")


def _check_by(by: str) -> None:
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(GROUPINGS)}")


# ----------------------------------------------------------------------------- year-over-year copying
def yoy_pairs(reports: Iterable) -> Iterator[dict]:
    """For each issuer, each report against the same issuer's nearest earlier-year report.

    ``reports``: ``Analysis`` objects or mappings with sha256, issuer, year and paragraphs (body
    texts). Streams when the input is ordered by issuer (``Store.report_texts`` is).
    """
    from .copying import compare_paragraphs

    items = (_text_record(r) for r in reports)
    if isinstance(reports, list):
        items = iter(sorted(items, key=lambda r: (r["issuer"] or "", r["year"] or 0)))
    for issuer, group in groupby(items, key=lambda r: r["issuer"]):
        if not issuer:
            continue
        by_year: dict[int, dict] = {}
        for record in group:
            if record["year"] is not None:
                by_year.setdefault(record["year"], record)  # one report per issuer-year: the first
        years = sorted(by_year)
        for earlier, later in zip(years, years[1:]):
            old, new = by_year[earlier], by_year[later]
            result = compare_paragraphs(new["paragraphs"], old["paragraphs"])
            yield {
                "issuer": issuer, "year": later, "previous_year": earlier, "sha256": new["sha256"],
                "previous_sha256": old["sha256"], "copied_share": round(result.share, 4),
                "copied_sentences": len(result.pairs),
            }


def yoy_copying(reports):
    """``yoy_pairs`` as a DataFrame (one row per issuer and year that has an earlier report)."""
    import pandas as pd

    columns = ["issuer", "year", "previous_year", "sha256", "previous_sha256", "copied_share", "copied_sentences"]
    return pd.DataFrame(list(yoy_pairs(reports)), columns=columns)


def _text_record(item) -> dict:
    if hasattr(item, "metadata"):
        return {
            "sha256": item.source.sha256, "issuer": item.metadata.issuer, "year": item.metadata.year,
            "level": issuer_level(item.metadata.issuer),
            "paragraphs": [p.text for p in item.body()],
        }
    return item


# ----------------------------------------------------------------------------- terms
def load_stopwords(path: Path = STOPWORDS) -> frozenset[str]:
    """The stop-list: one word per line, '#' comments."""
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w)


def term_counts(texts: Iterable[str], *, stopwords: frozenset[str] | None = None) -> Counter:
    """Counts of content words (jieba tokens of two or more characters, Chinese, no figures, not stop words)."""
    from .segment import get_segmenter

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
        record = _text_record(report)
        key = "unknown" if record.get(by) is None else str(record[by])
        if keep is None or key in keep:
            counts.setdefault(key, Counter()).update(term_counts(record["paragraphs"], stopwords=stop))
    return counts


# ----------------------------------------------------------------------------- charts
def _alt():
    import altair as alt

    alt.data_transformers.disable_max_rows()
    return alt


def _configure(chart, title: str):
    return (chart.properties(title=title)
            .configure(font=CHART_FONT)
            .configure_axis(labelFont=CHART_FONT, titleFont=CHART_FONT)
            .configure_legend(labelFont=CHART_FONT, titleFont=CHART_FONT)
            .configure_header(labelFont=CHART_FONT, titleFont=CHART_FONT)
            .configure_title(font=CHART_FONT))


def metrics_chart(groups, *, by: str = "year"):
    """Small multiples: each metric's group mean, one panel per metric."""
    alt = _alt()
    metrics = [m for m in METRICS if m in groups]
    long = groups.melt(id_vars=[by, "reports"], value_vars=metrics, var_name="metric", value_name="value")
    long["metric"] = long["metric"].map(METRICS)
    base = alt.Chart(long).mark_bar().encode(
        x=alt.X(f"{by}:N", title=by, sort=groups[by].tolist()),
        y=alt.Y("value:Q", title=None),
        tooltip=[f"{by}:N", "metric:N", alt.Tooltip("value:Q", format=".3f"), "reports:Q"],
    ).properties(width=220, height=150)
    chart = base.facet(facet=alt.Facet("metric:N", title=None), columns=3).resolve_scale(y="independent")
    return _configure(chart, f"Report metrics by {by}")


def sections_chart(groups, *, by: str = "year"):
    """Heat map: mean share of section text per section and group, on the common S1..S7 scale (so
    reports of both outlines compare); the frameworks' own section ids when no scale columns exist."""
    alt = _alt()
    prefix = "scale_" if any(c.startswith("scale_") for c in groups) else "share_"
    shares = sorted(c for c in groups if c.startswith(prefix))
    long = groups.melt(id_vars=[by], value_vars=shares, var_name="section", value_name="share").dropna()
    long["section"] = long["section"].str.removeprefix(prefix)
    sections = sorted(long["section"].unique(), key=lambda s: (not s.startswith("S"), len(s), s))  # S1..S7 first
    chart = alt.Chart(long).mark_rect().encode(
        x=alt.X("section:N", sort=sections), y=alt.Y(f"{by}:N", sort=groups[by].tolist()),
        color=alt.Color("share:Q", scale=alt.Scale(scheme="blues"), title="share"),
        tooltip=[f"{by}:N", "section:N", alt.Tooltip("share:Q", format=".1%")],
    )
    scale_note = " (common S1–S7 scale)" if prefix == "scale_" else ""
    return _configure(chart, f"Section shares by {by}{scale_note}")


def yoy_chart(yoy):
    """Copied share of each report from the issuer's previous report, by year."""
    alt = _alt()
    chart = alt.Chart(yoy).mark_circle(size=60, opacity=0.7).encode(
        x=alt.X("year:O"), y=alt.Y("copied_share:Q", title="copied from the previous report", axis=alt.Axis(format="%")),
        tooltip=["issuer:N", "year:O", "previous_year:O", alt.Tooltip("copied_share:Q", format=".1%")],
    ).properties(width=420, height=260)
    return _configure(chart, "Year-over-year copying per issuer")


def terms_chart(trends):
    """Rising and falling terms per comparison, by log-odds z-score."""
    alt = _alt()
    data = trends.assign(comparison=trends["group"].astype(str) + " vs " + trends["reference"].astype(str))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("z:Q", title="weighted log-odds (z)"),
        y=alt.Y("term:N", sort="-x", title=None),
        color=alt.Color("direction:N", scale=alt.Scale(domain=["rises", "falls"], range=["#c0392b", "#2c7fb8"])),
        tooltip=["term:N", alt.Tooltip("z:Q", format=".2f"), "count:Q", "reference_count:Q"],
    ).properties(width=260, height=alt.Step(12)).facet(facet=alt.Facet("comparison:N", title=None), columns=3)
    return _configure(chart.resolve_scale(y="independent"), "Terms that rise and fall")


def save_chart(chart, stem: Path) -> list[Path]:
    """Write ``stem``.html and ``stem``.png (rendered by vl-convert; no browser, no network)."""
    from .atomic import write_atomic

    stem = Path(stem)
    paths = [stem.with_suffix(".html"), stem.with_suffix(".png")]
    write_atomic(paths[0], chart.to_html())  # written whole or not at all (atomic.py)
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
    for name, table in (("reports", reports), (f"groups_by_{by}", groups), ("yoy_copying", yoy),
                        (f"terms_by_{by}", trends)):
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
    from .atomic import write_atomic
    from .export import csv_safe

    csv, parquet = stem.with_suffix(".csv"), stem.with_suffix(".parquet")
    text = table.apply(lambda column: column.map(csv_safe) if column.dtype == object else column)
    write_atomic(csv, text.to_csv(index=False).encode("utf-8-sig"))  # the BOM lets Excel read the Chinese text
    write_atomic(parquet, lambda fh: table.to_parquet(fh, index=False))
    return [csv, parquet]
