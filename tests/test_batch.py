"""Batch runs: inputs of every kind, broken files, resume, engines that agree, and faults.

Fault injection uses ``run_batch(per_file=...)`` with module-level functions below: worker
processes import them by name, so they must live at module level.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from builders import make_pdf
from typer.testing import CliRunner

from analyzer.batch.run import InputItem, Options, collect_inputs, run_batch
from analyzer.batch.store import Store
from analyzer.cli.main import app
from analyzer.limits import Limits
from analyzer.training.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPUS_IDS = ("au101", "au203", "au305", "au409", "au410")
CRASH_MARKER = "【让分析进程崩溃】"
METRIC_COLUMNS = (
    "sha256, name, issuer, year, level, framework, chars, body_chars, paragraphs, sections_total, sections_covered, "
    "sections_thin, sections_missing, elements_total, elements_found, boilerplate_ratio, figures_per_1000, "
    "specific_sentence_share, copied_share, yoy_copied_share, findings_high, findings_medium, findings_low"
)


def crash_on_marker(task, options):
    """A per-file function whose worker dies (SIGKILL, as the OOM killer would) on marked files."""
    from analyzer.batch.run import analyze_item

    if CRASH_MARKER.encode("utf-8") in task.data:
        os.kill(os.getpid(), signal.SIGKILL)
    return analyze_item(task, options)


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    reports = {r.id: r for r in load_corpus(ROOT / "corpora" / "src")}
    return {rid: reports[rid].text for rid in CORPUS_IDS}


@pytest.fixture(scope="module")
def good_dir(tmp_path_factory, corpus_texts, seed_path) -> Path:
    folder = tmp_path_factory.mktemp("good")
    (folder / "seed.txt").write_bytes(seed_path.read_bytes())
    for rid, text in corpus_texts.items():
        (folder / f"{rid}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory, seed_paragraphs) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(random.Random(7).randbytes(4000))
    (folder / "locked.pdf").write_bytes(make_pdf(seed_paragraphs[:6], encrypt_password="pw"))
    return folder


def stored(db: Path, sql: str) -> list[tuple]:
    with Store(db, read_only=True) as store:
        return store.con.execute(sql).fetchall()


# ----------------------------------------------------------------------------- inputs
def test_collect_expands_folders_globs_and_zips(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a" / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # refused later, with a reason
    (tmp_path / "a" / "notes.xlsx").write_bytes(b"PK")  # not a report: ignored
    (tmp_path / "a" / ".hidden.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "pack.zip", "w") as zf:
        zf.writestr("reports/two.txt", text)
        zf.writestr("__MACOSX/reports/._two.txt", b"junk")
        zf.writestr("inner.zip", b"PK")
    items, missing = collect_inputs([tmp_path / "a", str(tmp_path / "*.txt"), tmp_path / "pack.zip", tmp_path / "nope"])
    names = sorted(i.name for i in items)
    assert names == ["b.txt", "inner.zip", "old.doc", "one.txt", "two.txt"]
    assert missing == [str(tmp_path / "nope")]
    member = next(i for i in items if i.name == "two.txt")
    assert member.path.endswith("pack.zip::reports/two.txt") and member.error is None
    assert next(i for i in items if i.name == "inner.zip").error[0] == "unsupported_format"


def test_zip_member_over_the_limit_is_refused_from_its_declared_size(tmp_path, monkeypatch):
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"0" * 200_000)  # deflates to a few hundred bytes
        zf.writestr("small.txt", "法治政府建设情况报告".encode())
    items, _ = collect_inputs([tmp_path / "bomb.zip"], limits=Limits(max_bytes=50_000))
    by_name = {i.name: i for i in items}
    assert by_name["big.txt"].error[0] == "too_large"
    assert by_name["small.txt"].error is None


def test_damaged_archives_are_recorded_without_starting_workers(tmp_path, seed_path):
    data = seed_path.read_bytes()
    with zipfile.ZipFile(tmp_path / "damaged.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.txt", data)
    raw = bytearray((tmp_path / "damaged.zip").read_bytes())
    middle = len(raw) // 3
    raw[middle:middle + 64] = bytes(64)  # inside the deflated data: the header still lists the member
    (tmp_path / "damaged.zip").write_bytes(bytes(raw))
    (tmp_path / "junk.zip").write_bytes(b"this is not a zip archive")
    items, _ = collect_inputs([tmp_path / "damaged.zip", tmp_path / "junk.zip"])
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(items, store=store, jobs=1)
        errors = dict(store.con.execute("SELECT name, code FROM errors").fetchall())
    assert report.counts["failed"] == 2
    assert errors == {"report.txt": "corrupt_file", "junk.zip": "corrupt_file"}


def test_batch_of_one_kind_of_each_input(tmp_path, seed_path):
    """A zip member and a plain file with the same bytes are one report, stored once."""
    with zipfile.ZipFile(tmp_path / "pack.zip", "w") as zf:
        zf.write(seed_path, "in/seed.txt")
    (tmp_path / "seed.txt").write_bytes(seed_path.read_bytes())
    items, _ = collect_inputs([tmp_path / "pack.zip", tmp_path / "seed.txt"])
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(items, store=store, jobs=1)
        assert report.counts["analysed"] == 1 and report.counts["duplicate"] == 1
        assert store.con.execute("SELECT count(*) FROM reports").fetchone() == (1,)


# ----------------------------------------------------------------------------- the command
def test_batch_stores_good_files_records_broken_ones_and_exits_1(tmp_path, good_dir, broken_dir):
    db, csv = tmp_path / "r.duckdb", tmp_path / "summary.csv"
    result = CliRunner().invoke(app, ["batch", str(good_dir), str(broken_dir), "--db", str(db), "--jobs", "2",
                                      "--csv", str(csv)])
    assert result.exit_code == 1, result.output
    assert "出错 3 个" in result.output
    good = len(list(good_dir.iterdir()))
    assert stored(db, "SELECT count(*) FROM reports") == [(good,)]
    errors = dict(stored(db, "SELECT name, code FROM errors"))
    assert errors["empty.txt"] == "empty"
    assert errors["locked.pdf"] == "encrypted"
    assert errors["junk.txt"] in ("undecodable_text", "not_chinese")
    assert all(message for (message,) in stored(db, "SELECT message FROM errors"))
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + good + 3
    assert lines[1].startswith("failed,")  # unreadable files first: they go back as they are


def test_rerun_skips_stored_reports_and_force_reanalyses(tmp_path, good_dir):
    db = tmp_path / "r.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["batch", str(good_dir), "--db", str(db), "--jobs", "1"]).exit_code == 0
    again = runner.invoke(app, ["batch", str(good_dir), "--db", str(db), "--jobs", "1"])
    assert again.exit_code == 0
    total = len(list(good_dir.iterdir()))
    assert f"新分析 0 个,已在库中 {total} 个" in again.output
    forced = runner.invoke(app, ["batch", str(good_dir), "--db", str(db), "--jobs", "1", "--force"])
    assert f"新分析 {total} 个" in forced.output
    assert stored(db, "SELECT count(*), count(DISTINCT sha256) FROM reports") == [(total, total)]
    assert stored(db, "SELECT count(*) FROM (SELECT sha256, section_id FROM sections GROUP BY ALL HAVING count(*) > 1)") == [(0,)]


@pytest.mark.parametrize("args", [
    ["batch", "no-such-dir", "--db", "x.duckdb"],
    ["batch", ".", "--db", "x.duckdb", "--jobs", "0"],
    ["batch", ".", "--db", "x.duckdb", "--scheduler", "tcp://127.0.0.1:1"],
    ["batch", ".", "--db", "x.duckdb", "--framework", "nonsense"],
    ["batch", "."],
])
def test_bad_usage_exits_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, args).exit_code == 2
    assert not (tmp_path / "x.duckdb").exists()


# ----------------------------------------------------------------------------- engines agree
@pytest.mark.slow
def test_jobs_1_jobs_2_and_dask_store_the_same_rows(tmp_path, good_dir):
    distributed = pytest.importorskip("distributed")
    items, _ = collect_inputs([good_dir])
    tables = {}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        runs = {"jobs1": {"jobs": 1}, "jobs2": {"jobs": 2},
                "dask": {"engine": "dask", "scheduler": cluster.scheduler_address}}
        for name, kwargs in runs.items():
            with Store(tmp_path / f"{name}.duckdb") as store:
                report = run_batch(items, store=store, **kwargs)
                assert report.counts["analysed"] == len(items)
                tables[name] = (
                    store.con.execute(f"SELECT {METRIC_COLUMNS} FROM reports ORDER BY sha256").fetchall(),
                    store.con.execute("SELECT * FROM findings ORDER BY sha256, seq").fetchall(),
                    store.con.execute("SELECT * FROM sections ORDER BY sha256, section_id").fetchall(),
                )
    assert len(tables["jobs1"][0]) == len(items)
    assert tables["jobs1"] == tables["jobs2"] == tables["dask"]


# ----------------------------------------------------------------------------- faults
def test_worker_killed_mid_file_costs_only_that_file(tmp_path, good_dir, seed_path):
    poison = tmp_path / "poison.txt"
    poison.write_text(seed_path.read_text(encoding="utf-8") + "\n" + CRASH_MARKER, encoding="utf-8")
    items, _ = collect_inputs([good_dir, poison])
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(items, store=store, jobs=2, per_file=crash_on_marker)
        assert report.counts == {"analysed": len(items) - 1, "stored": 0, "duplicate": 0, "failed": 1}
        assert store.con.execute("SELECT name, code FROM errors").fetchall() == [("poison.txt", "worker_crashed")]
        assert store.con.execute("SELECT count(*) FROM reports").fetchone() == (len(items) - 1,)


def test_files_sent_ahead_to_a_worker_that_dies_are_analysed_by_its_replacement(tmp_path, good_dir, seed_path):
    from analyzer.batch.run import AHEAD_BYTES

    poison = tmp_path / "poison.txt"
    poison.write_text(seed_path.read_text(encoding="utf-8") + "\n" + CRASH_MARKER, encoding="utf-8")
    good, _ = collect_inputs([good_dir])
    assert all(Path(item.path).stat().st_size <= AHEAD_BYTES for item in good)  # so they are sent ahead
    items = collect_inputs([poison])[0] + good  # one worker: the next file waits in its pipe when it dies
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(items, store=store, jobs=1, per_file=crash_on_marker)
        assert store.con.execute("SELECT name, code FROM errors").fetchall() == [("poison.txt", "worker_crashed")]
    assert report.counts == {"analysed": len(good), "stored": 0, "duplicate": 0, "failed": 1}


def test_an_unexpected_error_on_one_file_is_recorded_and_the_batch_goes_on(tmp_path, good_dir, monkeypatch):
    import analyzer.pipeline

    real = analyzer.pipeline.analyze

    def analyze(source, **kwargs):
        if kwargs.get("filename") == "au203.txt":
            raise RuntimeError("boom")
        return real(source, **kwargs)

    monkeypatch.setattr(analyzer.pipeline, "analyze", analyze)  # workers are forked: they see it too
    items, _ = collect_inputs([good_dir])
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(items, store=store, jobs=2)
        errors = store.con.execute("SELECT name, code, message FROM errors").fetchall()
    assert report.counts["analysed"] == len(items) - 1
    assert errors == [("au203.txt", "internal_error", "the analysis failed on this file (RuntimeError: boom)")]


def test_file_deleted_between_listing_and_reading(tmp_path, good_dir):
    victim = tmp_path / "gone.txt"
    victim.write_bytes((good_dir / "seed.txt").read_bytes().replace(b"2017", b"2018"))
    items, _ = collect_inputs([good_dir, victim])
    victim.unlink()
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(items, store=store, jobs=1)
        assert report.counts["failed"] == 1 and report.counts["analysed"] == len(items) - 1
        assert store.con.execute("SELECT name, code FROM errors").fetchall() == [("gone.txt", "missing_file")]


def test_full_disk_while_writing_keeps_completed_results(tmp_path, good_dir, monkeypatch):
    """One write hits ENOSPC: that file is reported, the others are stored, the store stays readable."""
    import analyzer.batch.run

    monkeypatch.setattr(analyzer.batch.run, "FLUSH_FILES", 1)
    real = Store._write_group

    def write_group(self, results, run_id):
        if any(r.name == "au305.txt" for r in results):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, results, run_id)

    monkeypatch.setattr(Store, "_write_group", write_group)
    items, _ = collect_inputs([good_dir])
    db = tmp_path / "r.duckdb"
    with Store(db) as store:
        report = run_batch(items, store=store, jobs=1)
    assert report.failed == 1 and report.stopped is None
    assert report.unwritten[0][0].endswith("au305.txt") and "No space left" in report.unwritten[0][1]
    names = [n for (n,) in stored(db, "SELECT name FROM reports ORDER BY name")]
    assert len(names) == len(items) - 1 and "au305.txt" not in names


def test_disk_that_stays_full_stops_the_batch_and_keeps_what_was_stored(tmp_path, good_dir, monkeypatch):
    import analyzer.batch.run

    monkeypatch.setattr(analyzer.batch.run, "FLUSH_FILES", 1)
    real, calls = Store._write_group, []

    def write_group(self, results, run_id):
        calls.append(1)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, results, run_id)

    monkeypatch.setattr(Store, "_write_group", write_group)
    items, _ = collect_inputs([good_dir])
    db = tmp_path / "r.duckdb"
    with Store(db) as store:
        report = run_batch(items, store=store, jobs=1)
    assert report.stopped and "rerun" in report.stopped
    assert stored(db, "SELECT count(*) FROM reports") == [(2,)]
    monkeypatch.setattr(Store, "_write_group", real)  # space freed: the same batch resumes
    with Store(db) as store:
        resumed = run_batch(items, store=store, jobs=1)
    assert resumed.counts["stored"] == 2 and resumed.counts["analysed"] == len(items) - 2
    assert stored(db, "SELECT count(*) FROM reports") == [(len(items),)]


# ----------------------------------------------------------------------------- SIGKILL and resume
def recombined_reports(count: int, *, paragraphs: int, seed: int = 1) -> list[str]:
    """Distinct reports made of corpus body paragraphs, each with its own issuer line and year."""
    corpus = load_corpus(ROOT / "corpora" / "src")
    pool = [p.text for r in corpus for p in r.paragraphs if p.label not in ("META", "OTHER") and not p.is_heading]
    rng = random.Random(seed)
    out = []
    for i in range(count):
        year = 2016 + i % 9
        title = f"第{i}号测试市司法局{year}年度法治政府建设情况报告"
        out.append("\n".join([title, *rng.sample(pool, paragraphs)]) + "\n")
    return out


def lingering(marker: str, *, within: float) -> list[int]:
    """Processes whose command line mentions ``marker``, still there after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        pids = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and marker in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    if (proc / "stat").read_text().split(") ")[-1][0] != "Z":  # zombies are already dead
                        pids.append(int(proc.name))
            except OSError:
                continue
        if not pids or time.monotonic() > deadline:
            return pids
        time.sleep(0.2)


@pytest.mark.slow
def test_sigkill_halfway_then_rerun_stores_every_report_exactly_once(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    texts = recombined_reports(240, paragraphs=4)
    for i, text in enumerate(texts):
        (folder / f"r{i:03}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "r.duckdb"
    command = [sys.executable, "-c", "from analyzer.cli.main import main; main()", "batch", str(folder), "--db", str(db), "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    deadline = time.monotonic() + 240
    done = 0
    for line in process.stderr:
        done += line.startswith("[")
        if done >= len(texts) // 2 or time.monotonic() > deadline:
            break
    time.sleep(0.3)  # let the writer commit a group or be caught in the middle of one
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert done >= len(texts) // 2, "the batch did not get halfway"
    assert lingering(str(db), within=5) == [], "workers outlived their killed client"
    (before,) = stored(db, "SELECT count(*) FROM reports")[0]
    assert 0 < before < len(texts)

    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert stored(db, "SELECT count(*), count(DISTINCT sha256), count(DISTINCT path) FROM reports") == [(240, 240, 240)]
    # No corrupt rows: every report has all its children, and no child is an orphan.
    assert stored(db, """SELECT count(*) FROM reports r WHERE
        sections_total <> (SELECT count(*) FROM sections s WHERE s.sha256 = r.sha256)
        OR paragraphs <> (SELECT count(*) FROM paragraphs p WHERE p.sha256 = r.sha256)
        OR findings_high + findings_medium + findings_low <> (SELECT count(*) FROM findings f WHERE f.sha256 = r.sha256)
        """) == [(0,)]
    for table in ("sections", "elements", "findings", "paragraphs"):
        orphans = f"SELECT count(*) FROM {table} WHERE sha256 NOT IN (SELECT sha256 FROM reports)"
        assert stored(db, orphans) == [(0,)], table
    assert stored(db, "SELECT count(*) FROM errors") == [(0,)]
    second = stored(db, "SELECT outcome, count(*) FROM run_files WHERE run_id = 2 GROUP BY ALL ORDER BY 1")
    assert second == [("analysed", 240 - before), ("stored", before)]


def test_items_refused_at_listing_are_recorded_without_reading(tmp_path):
    item = InputItem(str(tmp_path / "x.zip::big.txt"), "big.txt", archive=str(tmp_path / "x.zip"), member="big.txt",
                     error=("too_large", "the archive member unpacks to 9 GB"))
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch([item], store=store, options=Options(), jobs=1)
        assert report.counts["failed"] == 1
        assert store.con.execute("SELECT code FROM errors").fetchall() == [("too_large",)]


# ----------------------------------------------------------------------------- copying across the store
def _stored_analysis(store: Store, sha: str, issuer: str, year: int, body: list[str]) -> None:
    from analyzer.batch.store import FileResult, rows_from_analysis
    from analyzer.pipeline import analyze

    analysis = analyze("\n".join([f"{issuer}{year}年法治政府建设情况报告", *body]))
    analysis.metadata.issuer, analysis.metadata.year = issuer, year
    rows = rows_from_analysis(analysis, sha256=sha, path=f"/in/{sha}.txt", name=f"{sha}.txt")
    store.write([FileResult(f"/in/{sha}.txt", f"{sha}.txt", "analysed", sha256=sha, rows=rows)],
                run_id=store.begin_run("test"))


def _template_folders(tmp_path: Path) -> list[Path]:
    """Three issuers' reports sharing a paragraph, the first two in one folder, the third in another."""
    shared = ("{name}坚持以习近平新时代中国特色社会主义思想为指导，全面落实市政府关于法治政府建设的部署。"
              "局党组全年召开会议专题研究法治工作{n}次，审核规范性文件{n}件，做到应审尽审。")
    own = {"桐川市水务局": "完成城区排水管网改造十二公里，汛期未发生严重内涝。",
           "桐川市审计局": "对市属国有企业开展经济责任审计，发现并移送问题线索5条。",
           "桐川市统计局": "开展统计造假专项治理，依法查处统计违法企业7家。"}
    folders = [tmp_path / "first", tmp_path / "second"]
    for k, issuer in enumerate(own):
        folder = folders[k // 2]
        folder.mkdir(exist_ok=True)
        (folder / f"{k}.txt").write_text(f"{issuer}2024年法治政府建设情况报告\n"
                                         f"{shared.format(name=issuer[2:], n=k + 3)}\n{own[issuer]}", encoding="utf-8")
    return folders


_TEMPLATES = "SELECT template_id, template_text, issuers, sha256, paragraph, span_start, span_end, text FROM templates ORDER BY ALL"


def test_a_later_run_finds_templates_with_earlier_reports_without_reading_them_again(tmp_path, monkeypatch):
    """Each report's sentence keys are stored with it: a second run's template step reads no report's
    text (its own or the first run's), and finds what recomputing everything finds."""
    from analyzer.batch.run import update_templates
    from analyzer.compare.templates import find_templates

    read = []
    with Store(tmp_path / "r.duckdb") as store:
        original = store.report_texts
        monkeypatch.setattr(store, "report_texts", lambda **kw: read.append(kw) or original(**kw))
        for folder in _template_folders(tmp_path):
            run_batch(collect_inputs([folder])[0], store=store, jobs=1)
        assert read == []
        found = store.con.execute(_TEMPLATES).fetchall()
        assert len({row[0] for row in found}) == 2 and {row[2] for row in found} == {3}
        update_templates(store)
        assert store.con.execute(_TEMPLATES).fetchall() == found
        in_memory = find_templates(list(original()))
    assert sorted((t.id, o.sha256, o.paragraph, o.start, o.text) for t in in_memory for o in t.occurrences) == \
        sorted((row[0], row[3], row[4], row[5], row[7]) for row in found)


def analyze_without_sentence_keys(task, options):
    """A worker whose results carry no sentence keys (as a worker of an older version would send)."""
    from analyzer.batch.run import analyze_item

    result = analyze_item(task, options)
    if result.rows:
        result.rows.pop("sentences")
    return result


def test_reports_stored_without_sentence_keys_are_keyed_by_the_template_step(tmp_path):
    folders = _template_folders(tmp_path)
    with Store(tmp_path / "keyed.duckdb") as store:
        run_batch(collect_inputs(folders)[0], store=store, jobs=1)
        keyed = store.con.execute(_TEMPLATES).fetchall()
    with Store(tmp_path / "r.duckdb") as store:
        report = run_batch(collect_inputs(folders)[0], store=store, jobs=1, per_file=analyze_without_sentence_keys)
        assert report.counts["analysed"] == 3 and report.unwritten == []
        assert store.con.execute(_TEMPLATES).fetchall() == keyed
        assert store.counts()["sentences"] > 0


def test_yoy_copying_reads_only_the_reports_that_can_pair(tmp_path, monkeypatch):
    from analyzer.batch.run import update_yoy_copying

    text = "全年共办理行政复议案件15件，其中维持9件、撤销2件。组织执法人员资格考试2次，新取证人员116名。"
    with Store(tmp_path / "r.duckdb") as store:
        for sha, issuer, year in (("s23", "桐川市司法局", 2023), ("s24", "桐川市司法局", 2024),
                                  ("w", "桐川市水务局", 2024), ("a", "桐川市审计局", 2024), ("a2", "桐川市审计局", 2024)):
            _stored_analysis(store, sha, issuer, year, [text])
        asked = []
        read = store.report_texts
        monkeypatch.setattr(store, "report_texts", lambda **kw: asked.append(kw) or read(**kw))
        assert update_yoy_copying(store) == 1
    assert [sorted(kw["sha256s"]) for kw in asked] == [["s23", "s24"]]  # one year of 水务局 and 审计局: nothing to pair


def test_yoy_copying_matches_issuer_spellings_and_templates_span_issuers(tmp_path):
    from analyzer.batch.run import update_templates, update_yoy_copying

    shared = "局党组坚持以习近平法治思想为指导，全年召开会议专题研究法治政府建设{n}次，审核规范性文件{n}件。"
    with Store(tmp_path / "r.duckdb") as store:
        _stored_analysis(store, "s23", "桐川市司法局", 2023, [
            "全年共办理行政复议案件15件，其中维持9件、撤销2件。组织执法人员资格考试2次，新取证人员116名。"])
        _stored_analysis(store, "s24", "桐川市司法局", 2024, [
            "全年共办理行政复议案件18件，其中维持11件、撤销3件。今年在政务服务中心设立了行政复议受理窗口。"])
        for sha, issuer, n, own in (("w", "桐川市水务局", 3, "完成城区排水管网改造十二公里，汛期未发生严重内涝。"),
                                    ("a", "桐川市审计局", 4, "对市属国有企业开展经济责任审计，移送问题线索5条。"),
                                    ("t", "桐川市统计局", 5, "开展统计造假专项治理，依法查处统计违法企业7家。")):
            _stored_analysis(store, sha, issuer, 2024, [shared.format(n=n), own])
        store.con.execute("UPDATE reports SET issuer = '市司法局' WHERE sha256 = 's24'")  # the title left out the place
        assert update_yoy_copying(store) == 1
        assert update_templates(store) == 1
        (report,) = store.query("SELECT yoy_previous, yoy_copied_share, yoy_copied_sentences FROM reports "
                                "WHERE sha256 = 's24'")
        kinds = [row["kind"] for row in store.query("SELECT kind FROM copied_passages ORDER BY seq")]
        template = list(store.query("SELECT DISTINCT template_id, issuers, sha256 FROM templates ORDER BY sha256"))
    assert report == {"yoy_previous": "s23", "yoy_copied_share": 0.5, "yoy_copied_sentences": 1}
    assert kinds == ["figures_changed"]
    assert [(t["issuers"], t["sha256"]) for t in template] == [(3, "a"), (3, "t"), (3, "w")]
