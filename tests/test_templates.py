"""Templates across issuers: a shared paragraph is found whatever name and figures each issuer puts in it."""

from __future__ import annotations

import numpy as np
import pytest

from analyzer.checks.copying import jaccard, shingles
from analyzer.compare.templates import find_templates, minhash_signatures, template_rows
from analyzer.training.evaluate_copying import TEMPLATE_GOAL, evaluate_family

SHARED = ("{name}坚持以习近平新时代中国特色社会主义思想为指导，全面落实市政府关于法治政府建设的部署。"
          "局党组全年召开会议专题研究法治工作{n}次，审核规范性文件{m}件，做到应审尽审。")
OWN = {
    "桐川市水务局": "完成城区排水管网改造十二公里，汛期未发生严重内涝。",
    "桐川市审计局": "对市属国有企业开展经济责任审计，发现并移送问题线索5条。",
    "桐川市统计局": "开展统计造假专项治理，依法查处统计违法企业7家。",
}


def _report(sha: str, issuer: str, year: int, n: int, m: int) -> dict:
    name = issuer.removeprefix("桐川")  # a report names itself 市水务局 as often as 桐川市水务局
    return {"sha256": sha, "issuer": issuer, "year": year,
            "paragraphs": [SHARED.format(name=name, n=n, m=m), OWN[issuer]]}


def test_two_issuers_sharing_one_paragraph_are_found_with_each_ones_own_wording():
    reports = [_report("a", "桐川市水务局", 2023, 3, 12), _report("b", "桐川市审计局", 2023, 5, 4)]
    (first, second) = find_templates(reports, min_issuers=2)
    assert {o.sha256 for o in first.occurrences} == {o.sha256 for o in second.occurrences} == {"a", "b"}
    by_report = {o.sha256: o.text for o in first.occurrences + second.occurrences if "审核" in o.text}
    assert "12件" in by_report["a"] and "4件" in by_report["b"]
    assert all("排水管网" not in o.text and "经济责任审计" not in o.text for o in first.occurrences)


def test_a_paragraph_of_two_issuers_is_not_a_template_and_one_of_three_is():
    two = [_report("a", "桐川市水务局", 2023, 3, 12), _report("b", "桐川市审计局", 2023, 5, 4)]
    assert find_templates(two) == []
    three = [*two, _report("c", "桐川市统计局", 2024, 2, 7)]
    templates = find_templates(three)
    assert len(templates) == 2  # the paragraph's two sentences
    assert all(t.issuers == ["桐川市审计局", "桐川市水务局", "桐川市统计局"] for t in templates)
    assert all(t.years == [2023, 2024] for t in templates)


def test_reports_of_one_issuer_in_several_years_count_as_one_issuer():
    same = [_report("a", "桐川市水务局", 2022, 3, 12), _report("b", "桐川市水务局", 2023, 5, 4),
            _report("c", "桐川市审计局", 2023, 1, 1)]
    assert find_templates(same) == []


def test_the_templates_found_do_not_depend_on_the_order_the_reports_are_read_in():
    # each report prints the shared sentence with its own figures: three wordings, used once each
    reports = [_report("a", "桐川市水务局", 2023, 3, 12), _report("b", "桐川市审计局", 2023, 5, 4),
               _report("c", "桐川市统计局", 2024, 2, 7)]
    forward, backward = find_templates(reports), find_templates(reports[::-1])
    assert forward == backward
    counted = next(t for t in forward if "审核" in t.text)
    wordings = sorted(o.text for o in counted.occurrences)
    assert len(set(wordings)) == 3 and counted.text == wordings[0]  # a tie goes to the first in sorted order


def test_template_rows_list_who_uses_it_and_when():
    reports = [_report("a", "桐川市水务局", 2023, 3, 12), _report("b", "桐川市审计局", 2023, 5, 4),
               _report("c", "桐川市统计局", 2024, 2, 7)]
    row = template_rows(find_templates(reports))[0]
    assert (row["issuers"], row["reports"], row["years"]) == (3, 3, "2023、2024")
    assert row["used_by"] == "桐川市审计局(2023)、桐川市水务局(2023)、桐川市统计局(2024)"


def test_minhash_signatures_estimate_the_jaccard_index():
    texts = ["深入学习贯彻习近平法治思想全年开展专题学习三次",
             "深入学习贯彻习近平法治思想全年开展专题学习三次并组织考试",
             "开展道路运输市场秩序整治查处非法营运车辆"]
    signatures = minhash_signatures(texts, num_perm=256)
    estimate = float(np.mean(signatures[0] == signatures[1]))
    assert estimate == pytest.approx(jaccard(shingles(texts[0]), shingles(texts[1])), abs=0.1)
    assert float(np.mean(signatures[0] == signatures[2])) < 0.05


def test_the_labelled_family_meets_the_goal():
    result = evaluate_family()
    assert result["template_sentences"] > 0
    assert result["precision"] >= TEMPLATE_GOAL and result["recall"] >= TEMPLATE_GOAL


def test_the_templates_command_prints_report_text_as_text_not_markup(tmp_path):
    from typer.testing import CliRunner

    from analyzer.batch.store import Store
    from analyzer.cli.main import app
    from analyzer.compare.templates import Occurrence, Template

    text = "依据[bold]《实施办法》[/bold]审核规范性文件3件。"
    with Store(tmp_path / "r.duckdb") as store:
        store.replace_templates([Template("t1", text, ["甲局", "乙局", "丙局"], [2024], [
            Occurrence(sha, issuer, 2024, 1, 0, len(text), text) for sha, issuer in (("a", "甲局"), ("b", "乙局"), ("c", "丙局"))
        ])])
    result = CliRunner().invoke(app, ["templates", "--db", str(tmp_path / "r.duckdb")])
    assert result.exit_code == 0, result.output
    assert "[bold]《实施办法》[/bold]" in result.output
    assert "3 家单位" in result.output and "甲局(2024)" in result.output


def test_the_templates_command_refuses_a_missing_store(tmp_path):
    from typer.testing import CliRunner

    from analyzer.cli.main import app

    result = CliRunner().invoke(app, ["templates", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2


def test_the_numpy_bands_give_datasketchs_buckets_over_corpus_sentences():
    """The buckets are cut from the signatures with numpy instead of datasketch's ``MinHashLSH``:
    band by band, the same groups of sentences share a bucket (corpus sentences and edited copies of
    them, so that buckets of several members abound)."""
    from builders import corpus_texts
    from datasketch import LeanMinHash, MinHashLSH

    from analyzer.checks.copying import sentences
    from analyzer.compare.templates import LSH_BANDS, LSH_ROWS, LSH_THRESHOLD, NUM_PERM, band_buckets

    keys = sorted({s.key for texts in corpus_texts() for s in sentences(texts)})
    keys += [k[:len(k) // 2] + "又" + k[len(k) // 2 + 1:] for k in keys[::3]]  # one character changed
    signatures = minhash_signatures(keys)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (LSH_BANDS, LSH_ROWS) == (lsh.b, lsh.r)  # the bands datasketch would choose
    for number, signature in enumerate(signatures):
        lsh.insert(number, LeanMinHash(seed=1, hashvalues=signature.astype(np.uint64), scheme="legacy"),
                   check_duplication=False)
    shared = 0
    for band, table in enumerate(lsh.hashtables):
        expected = {frozenset(table.get(k)) for k in table.keys() if len(table.get(k)) > 1}
        cut = signatures[:, band * lsh.r:(band + 1) * lsh.r]
        found = [m.tolist() for m in band_buckets(cut, bands=1, rows=lsh.r)]
        assert all(m == sorted(m) for m in found)
        assert {frozenset(m) for m in found} == expected
        shared += len(expected)
    assert len(keys) > 3000 and shared > 1000


def test_replacing_templates_writes_them_in_chunks_or_keeps_the_old_ones(tmp_path, monkeypatch):
    from analyzer.batch import store as store_module
    from analyzer.batch.store import Store
    from analyzer.compare.templates import Occurrence, Template

    monkeypatch.setattr(store_module, "_INSERT_ROWS", 2)
    reports = [_report("a", "桐川市水务局", 2023, 3, 12), _report("b", "桐川市审计局", 2023, 5, 4),
               _report("c", "桐川市统计局", 2024, 2, 7)]
    templates = find_templates(reports)

    def failing():
        yield Template("t9", "某句", ["甲局"], [2024], [Occurrence("z", "甲局", 2024, 1, 0, 2, "某句")])
        raise RuntimeError("the reports could not be read")

    with Store(tmp_path / "r.duckdb") as store:
        assert store.replace_templates(iter(templates)) == 2
        before = sorted(store.query("SELECT * FROM templates"), key=str)
        with pytest.raises(RuntimeError):
            store.replace_templates(failing())
        after = sorted(store.query("SELECT * FROM templates"), key=str)
        tables = {row["table_name"] for row in store.query("SELECT table_name FROM duckdb_tables()")}
    assert len(before) == sum(len(t.occurrences) for t in templates) == 6
    assert after == before and "templates_next" not in tables
