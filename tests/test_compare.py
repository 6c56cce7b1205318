"""Comparisons: issuer levels, group summaries, year-over-year copying, weighted log-odds, outputs."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analyzer.batch.store import FileResult, Store, rows_from_analysis
from analyzer.cli.main import app
from analyzer.compare.tables import (
    group_summary,
    issuer_level,
    load_stopwords,
    log_odds,
    report_rows,
    scale_shares,
    term_counts,
    term_trends,
    yoy_copying,
)
from analyzer.training.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
COMPARE_IDS = ("au101", "au203", "au305", "au409", "au410", "au604")


# ----------------------------------------------------------------------------- issuer level
def test_issuer_level_agrees_with_every_labelled_corpus_report():
    rows = [json.loads(line) for line in (ROOT / "corpora" / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    wrong = [(r["issuer"], r["level"], issuer_level(r["issuer"])) for r in rows if issuer_level(r["issuer"]) != r["level"]]
    assert wrong == []


@pytest.mark.parametrize("issuer, level", [
    ("广西壮族自治区人民政府", "province"),
    ("北京市人民政府", "province"),
    ("湘西土家族苗族自治州人民政府", "city"),
    ("某某自治县人民政府", "county"),
    ("国家税务总局某市税务局", "department"),
    ("中华人民共和国司法部", "ministry"),
    ("某区某某街道办事处", "township"),
    (None, None),
    ("某某有限公司", None),
])
def test_issuer_level_on_names_outside_the_corpus(issuer, level):
    assert issuer_level(issuer) == level


# ----------------------------------------------------------------------------- weighted log-odds
def test_log_odds_on_a_hand_computed_example():
    a = {"执法": 20, "改革": 5, "服务": 10}
    b = {"执法": 5, "改革": 20, "服务": 10}
    scores = log_odds(a, b).set_index("term")
    # Prior = pooled counts: α(执法) = 25, α0 = 70; n_a = n_b = 35.
    delta = math.log(45 / (35 + 70 - 45)) - math.log(30 / (35 + 70 - 30))
    z = delta / math.sqrt(1 / 45 + 1 / 30)
    assert scores.loc["执法", "delta"] == pytest.approx(delta)
    assert scores.loc["执法", "z"] == pytest.approx(z)
    assert scores.loc["执法", "z"] == pytest.approx(2.667, abs=1e-3)
    assert scores.loc["改革", "z"] == pytest.approx(-z)
    assert scores.loc["服务", "z"] == pytest.approx(0.0)
    assert list(scores.index) == ["执法", "服务", "改革"]


def test_log_odds_ranks_by_evidence_not_by_ratios_of_small_counts():
    a = {"罕见": 3, "常见": 300, "其他": 1000}
    b = {"常见": 200, "其他": 1000}
    scores = log_odds(a, b).set_index("term")
    # The raw ratio favours 罕见 (3 vs 0); the prior shrinks it below the well-attested 常见 (300 vs 200).
    assert scores.loc["常见", "z"] > scores.loc["罕见", "z"] > 0
    assert scores.loc["其他", "z"] < 0  # same count in a larger total: relatively rarer in a


def test_log_odds_is_antisymmetric():
    a, b = Counter(执法=12, 复议=3, 应诉=7, 普法=1), Counter(执法=4, 复议=9, 应诉=7, 调解=5)
    forward = log_odds(a, b).set_index("term")["z"]
    backward = log_odds(b, a).set_index("term")["z"]
    assert (forward + backward.reindex(forward.index)).abs().max() < 1e-12


def test_term_trends_finds_a_planted_rise_and_fall():
    base = Counter(执法=40, 复议=30, 应诉=30, 培训=30)
    counts = {"2019": base, "2020": base + Counter(疫情=40, 防控=25), "2021": base + Counter(疫情=2, 民法典=30)}
    trends = term_trends(counts, against="previous", top=3, min_count=1)
    first = trends[(trends.group == "2020") & (trends.reference == "2019")]
    assert first[first.direction == "rises"].term.tolist()[0] == "疫情"
    second = trends[(trends.group == "2021") & (trends.reference == "2020")]
    assert second[second.direction == "rises"].term.tolist()[0] == "民法典"
    assert "疫情" in second[second.direction == "falls"].term.tolist()
    assert set(trends.group) == {"2020", "2021"}  # the first year has nothing to compare with


def test_term_counts_keep_content_words_only():
    counts = term_counts(["2017年，我局认真开展行政执法检查，办理行政复议案件12件，推进“十四五”规划。"])
    stop = load_stopwords()
    assert "行政复议" in counts and "十四五" in counts
    assert all(len(w) > 1 and not any(c.isdigit() for c in w) and w not in stop for w in counts)
    assert "我局" not in counts and "认真" not in counts


# ----------------------------------------------------------------------------- tables
def test_group_summary_means_per_group():
    df = pd.DataFrame({
        "sha256": list("abcd"), "year": pd.array([2019, 2019, 2020, None], dtype="Int64"),
        "section_coverage": [1.0, 0.5, 0.25, 0.0], "boilerplate_ratio": [0.1, 0.3, 0.2, 0.9], "chars": [1000, 3000, 2000, 10],
    })
    summary = group_summary(df, by="year").set_index("year")
    assert summary.loc["2019", "reports"] == 2 and summary.loc["2019", "section_coverage"] == pytest.approx(0.75)
    assert summary.loc["2019", "chars"] == pytest.approx(2000)
    assert summary.loc["unknown", "reports"] == 1
    with pytest.raises(ValueError):
        group_summary(df, by="colour")


def test_scale_shares_put_both_outlines_on_one_scale():
    rows = [("a", "S1", 300), ("a", "P4", 100), ("a", "P6", 100), ("a", "INTRO", 500), ("b", "P2", 50)]
    shares = scale_shares(rows)
    # P4 (2021 outline) sits at S3 on the common scale; P6 has no 2015 counterpart; INTRO is no section.
    assert shares["a"] == {"scale_S1": 0.6, "scale_S3": 0.2, "scale_P6": 0.2}
    assert shares["b"] == {"scale_S1": 1.0}


def test_coverage_over_2017_to_2024_is_continuous_across_outlines_and_layouts():
    """Complete reports of 2017–2024 in every layout: coverage does not drop when the outline or the
    layout changes (2021: a new outline; the 2019 parts layout from 2019 on)."""
    from analyzer import analyze

    complete = [r for r in load_corpus(ROOT / "corpora" / "src")
                if 2017 <= r.meta["year"] <= 2024 and not r.meta.get("missing_sections")
                and r.meta["layout"] in ("duc-2019", "seven-headings", "outline-2021")]
    series = {}
    for report in complete:  # one report per (year, layout): a 2017–2024 series in three layouts
        series.setdefault((report.meta["year"], report.meta["layout"]), report)
    analyses = [analyze(r.text) for r in series.values()]
    assert {a.layout.id for a in analyses} >= {"duc-2019", "seven-sections", "outline-2021"}
    summary = group_summary(report_rows(analyses), by="year").set_index("year")
    assert list(summary.index) == [str(y) for y in range(2017, 2025)]
    assert summary["section_coverage"].min() >= 0.85  # was 0.33 for the 2019 layout on 2022–2025
    assert "2015—2020年纲要" in summary.loc["2018", "outlines"] and "2021—2025年纲要" in summary.loc["2023", "outlines"]
    duc = [a for a in analyses if a.layout.id == "duc-2019"]
    assert duc and all(len(a.sections) in (7, 10) for a in duc)


def test_report_rows_from_an_analysis_and_from_the_store_agree(tmp_path, seed_analysis):
    rows = rows_from_analysis(seed_analysis, sha256="a" * 64, path="/in/seed.txt", name="seed.txt")
    with Store(tmp_path / "r.duckdb") as store:
        store.write([FileResult("/in/seed.txt", "seed.txt", "analysed", sha256="a" * 64, rows=rows)],
                    run_id=store.begin_run("test"))
        from_store = report_rows(store).iloc[0]
    from_analysis = report_rows([seed_analysis]).iloc[0]
    shared = ["issuer", "year", "level", "framework", "chars", "sections_covered", "sections_total", "elements_found",
              "covered_scale_sections", "total_scale_sections",
              "elements_total", "boilerplate_ratio", "specificity", "figures_per_1000", "section_coverage",
              "element_coverage"] + [c for c in from_analysis.index if c.startswith(("share_", "scale_"))]
    for column in shared:
        left, right = from_analysis[column], from_store[column]
        assert (pd.isna(left) and pd.isna(right)) or left == right, column


def test_yoy_copying_pairs_each_report_with_the_issuers_nearest_earlier_one():
    old = ["全年共办理行政复议案件十二件，依法纠正违法行政行为三件。", "组织全体干部参加宪法宣誓仪式并开展集中学法活动。"]
    fresh = "今年重点推进乡镇综合行政执法改革，下放执法事项共计四十五项。"
    reports = [
        {"sha256": "a19", "issuer": "甲局", "year": 2019, "paragraphs": old},
        {"sha256": "a20", "issuer": "甲局", "year": 2020, "paragraphs": [old[0], fresh]},
        {"sha256": "a22", "issuer": "甲局", "year": 2022, "paragraphs": [fresh]},
        {"sha256": "b20", "issuer": "乙局", "year": 2020, "paragraphs": old},
        {"sha256": "x", "issuer": "甲局", "year": None, "paragraphs": old},
    ]
    yoy = yoy_copying(reports).set_index("sha256")
    assert sorted(yoy.index) == ["a20", "a22"]  # 乙局 has one report; a report without a year is not placed
    assert yoy.loc["a20", "previous_sha256"] == "a19"
    assert yoy.loc["a20", "copied_share"] == 0.5  # one of its two body sentences
    assert yoy.loc["a20", "copied_chars_share"] == pytest.approx(len(old[0]) / (len(old[0]) + len(fresh)), abs=1e-3)
    assert yoy.loc["a22", "previous_year"] == 2020 and yoy.loc["a22", "copied_share"] == pytest.approx(1.0, abs=1e-3)


def test_yoy_heads_are_the_first_report_per_name_and_year_of_issuers_with_two_years():
    from analyzer.checks.copying import match_issuers
    from analyzer.compare.tables import yoy_heads

    heads = [("江城市市场监督管理局", 2019, "c"), ("江城市场监管局", 2020, "b"), ("江城市场监管局", 2020, "a"),
             ("乙局", 2019, "d"), ("乙局", 2019, "e"), ("丙局", 2021, "f"), ("丙局", 2022, "g")]
    canonical = match_issuers(name for name, _, _ in heads)
    # 乙局 has one year (two reports of it): nothing to pair; the two spellings of 江城 are one issuer
    assert yoy_heads(heads, canonical) == ["a", "c", "f", "g"]


def test_yoy_pairs_read_reports_once_and_keep_only_the_first_of_each_issuer_and_year():
    """A one-shot stream is enough; a later report of the same issuer name and year is let go at once,
    the first one read is compared, and names are matched across spellings."""
    import gc
    import weakref

    from analyzer.compare.tables import yoy_pairs

    old = ["全年共办理行政复议案件十二件，依法纠正违法行政行为三件。"]
    reports = [
        {"sha256": "a19", "issuer": "江城市市场监督管理局", "year": 2019, "paragraphs": old},
        {"sha256": "a20", "issuer": "江城市场监管局", "year": 2020, "paragraphs": old},
        {"sha256": "late", "issuer": "江城市场监管局", "year": 2020, "paragraphs": ["另一份同年报告的内容完全不同。"]},
        {"sha256": "b19", "issuer": "乙局", "year": 2019, "paragraphs": old},
    ]
    watched = {}

    class Report(dict):
        pass

    def stream():
        for report in reports:
            copy = Report(report)
            watched[report["sha256"]] = weakref.ref(copy)
            yield copy
            del copy
        gc.collect()
        assert watched["late"]() is None and watched["a20"]() is not None

    (pair,) = yoy_pairs(stream())
    assert (pair["sha256"], pair["previous_sha256"], pair["copied_share"]) == ("a20", "a19", 1.0)


# ----------------------------------------------------------------------------- the command
@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """``govreport compare FOLDER`` on a few corpus reports, among them a copy pair (au409 → au410)."""
    base = tmp_path_factory.mktemp("compare")
    folder = base / "reports"
    folder.mkdir()
    reports = {r.id: r for r in load_corpus(ROOT / "corpora" / "src")}
    for rid in COMPARE_IDS:
        (folder / f"{rid}.txt").write_text(reports[rid].text, encoding="utf-8")
    out = base / "out"
    result = CliRunner().invoke(app, ["compare", str(folder), "--out", str(out), "--jobs", "1", "--top", "5"])
    return result, out


def test_compare_writes_tables_and_charts(compared):
    result, out = compared
    assert result.exit_code == 0, result.output
    for stem in ("reports", "groups_by_year", "yoy_copying", "terms_by_year"):
        csv = pd.read_csv(out / f"{stem}.csv", encoding="utf-8-sig")
        parquet = pd.read_parquet(out / f"{stem}.parquet")
        assert len(csv) == len(parquet) > 0, stem
    assert len(pd.read_csv(out / "reports.csv")) == len(COMPARE_IDS)
    for stem in ("metrics_by_year", "sections_by_year", "yoy_copying", "terms_by_year"):
        assert (out / f"{stem}.png").read_bytes().startswith(b"\x89PNG"), stem
        assert "vega" in (out / f"{stem}.html").read_text(encoding="utf-8"), stem


def test_compare_measures_the_copy_pair(compared):
    _, out = compared
    yoy = pd.read_csv(out / "yoy_copying.csv")
    (pair,) = yoy[yoy.issuer == "桑溪市国土资源局"].itertuples()
    assert (pair.year, pair.previous_year) == (2018, 2017)
    assert pair.copied_share > 0.1


def test_compare_by_level_from_the_store(compared, tmp_path):
    _, out = compared
    result = CliRunner().invoke(app, ["compare", "--db", str(out / "reports.duckdb"), "--by", "level",
                                      "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    groups = pd.read_csv(tmp_path / "groups_by_level.csv")
    assert set(groups.level) <= {"province", "city", "county", "township", "department", "ministry", "unknown"}
    assert groups.reports.sum() == len(COMPARE_IDS)
    assert (tmp_path / "terms_by_level.png").exists()


@pytest.mark.parametrize("args", [["compare"], ["compare", "--db", "missing.duckdb"], ["compare", "--db", "x", "--by", "colour"]])
def test_compare_bad_usage_exits_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, args).exit_code == 2
