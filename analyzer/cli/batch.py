"""``govreport batch``, ``compare``, ``templates`` and ``evaluate-copying`` (registered on the main app).

cli.py imports this module at its end, so that its commands are registered on ``app``; everything heavy (DuckDB, pandas,
Altair, the analysis itself) is imported inside the commands so ``govreport --help`` stays fast.
"""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from analyzer.cli.app import EXIT_BAD_INPUT, DisableOption, app, resolve_house_rules
from analyzer.cli.app import fail as _fail

EXIT_FAILED_FILES = 1
EXIT_INTERRUPTED = 130


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class GroupBy(str, Enum):
    year = "year"
    issuer = "issuer"
    level = "level"


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="文件、文件夹、通配符或 .zip 压缩包", metavar="输入...",
                                                   show_default=False)],
    db: Annotated[Path, typer.Option(help="写入的 DuckDB 结果库(不存在则新建;再次运行可续做)")],
    jobs: Annotated[int | None, typer.Option(help="并行进程数(默认:全部 CPU 核)")] = None,
    framework: Annotated[str, typer.Option(help="对照框架编号,或 auto 自动选择")] = "auto",
    xlsx: Annotated[Path | None, typer.Option(help="同时把汇总写成 Excel 文件")] = None,
    csv: Annotated[Path | None, typer.Option(help="同时把汇总写成 CSV 文件")] = None,
    force: Annotated[bool, typer.Option("--force", help="重新分析库中已有的文件")] = False,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="跟随指向输入文件夹之外的符号链接")] = False,
    disable: DisableOption = None,
    engine: Annotated[Engine, typer.Option(help="本机多进程(local)或 Dask 集群(dask)")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option(help="Dask 调度器地址,tcp://主机:端口")] = None,
    show: Annotated[int, typer.Option(help="屏幕上显示的汇总行数")] = 20,
) -> None:
    """批量分析报告,写入 DuckDB 结果库,并按问题多少(最多的在前)打印汇总。

    退出码:0 全部完成(或已在库中),1 有文件出错,2 用法错误。
    """
    _check_batch_usage(jobs=jobs, framework=framework, engine=engine, scheduler=scheduler, outputs=(xlsx, csv))
    import os
    import sys

    from rich.console import Console

    from analyzer.batch.store import StoreError
    from analyzer.batch.summary import print_summary, summary_rows, write_csv, write_xlsx
    from analyzer.ingest.sanitize import visible
    from analyzer.outputs.atomic import OutputError

    items = _collect(inputs, follow_links=follow_links)
    try:
        store = _open_store(db)
    except StoreError as exc:
        _fail(str(exc))
    house = resolve_house_rules(disable or [])
    with store:
        report = _run(items, store=store, jobs=jobs, framework=framework, engine=engine.value, scheduler=scheduler,
                      force=force, command="govreport batch " + " ".join(sys.argv[2:]), house=house)
        console = Console()
        if not console.is_terminal and not os.environ.get("COLUMNS"):  # a log or a pipe: wide enough for the table
            console = Console(width=160)
        print_summary(summary_rows(store, run_id=report.run_id), console, report=report, limit=show)
        for path, writer in ((csv, write_csv), (xlsx, write_xlsx)):
            if path is not None:
                try:
                    count = writer(summary_rows(store, run_id=report.run_id), path)
                except OutputError as exc:
                    _fail(str(exc))
                typer.echo(f"已把 {count} 行写入 {visible(str(path))}")
    if report.failed or report.stopped:
        raise typer.Exit(EXIT_FAILED_FILES)


@app.command()
def compare(
    inputs: Annotated[list[str] | None, typer.Argument(help="报告所在文件夹或文件(先逐份分析)", metavar="[输入]...",
                                                      show_default=False)] = None,
    db: Annotated[Path | None, typer.Option(help="govreport batch 写出的 DuckDB 结果库")] = None,
    by: Annotated[GroupBy, typer.Option(help="分组方式:year 按年度、issuer 按单位、level 按层级")] = GroupBy.year,
    out: Annotated[Path, typer.Option(help="表格(CSV、Parquet)和图表(HTML、PNG)的输出文件夹")] = Path(
        "comparison"),
    jobs: Annotated[int | None, typer.Option(help="分析输入文件时的并行进程数")] = None,
    top: Annotated[int, typer.Option(help="每组比较列出的上升、下降词语数")] = 15,
) -> None:
    """按年度、单位或层级比较报告,表格和图表写到 --out。"""
    if not inputs and db is None:
        _fail("请给出要分析的报告文件夹,或用 --db 指定 govreport batch 写出的结果库")
    if db is not None and not inputs and not db.exists():
        _fail(f"找不到结果库 {db}")
    if jobs is not None and jobs < 1:
        _fail("--jobs 至少为 1")
    from analyzer.batch.store import StoreError
    from analyzer.compare.tables import write_comparison
    from analyzer.outputs.atomic import OutputError, check_output

    try:
        check_output(out, folder=True)
    except OutputError as exc:
        _fail(str(exc))

    failed = 0
    try:
        if inputs:
            out.mkdir(parents=True, exist_ok=True)
            items = _collect(inputs)
            with _open_store(db or out / "reports.duckdb") as store:
                report = _run(items, store=store, jobs=jobs, framework="auto", engine="local", scheduler=None,
                              force=False, command="govreport compare")
                failed = report.failed
                typer.echo(f"共 {report.total} 个文件:新分析 {report.counts['analysed']} 个,"
                           f"已在库中 {report.counts['stored']} 个,出错 {failed} 个")
                written = write_comparison(store, by=by.value, out=out, top=top)
        else:
            with _open_store(db, read_only=True) as store:
                written = write_comparison(store, by=by.value, out=out, top=top)
    except (StoreError, OutputError) as exc:
        _fail(str(exc))
    for path in written:
        typer.echo(f"已写出 {path}")
    if failed:
        raise typer.Exit(EXIT_FAILED_FILES)


@app.command()
def templates(
    db: Annotated[Path, typer.Option(help="由 govreport batch 写入的 DuckDB 存储 / the store written by 'govreport batch'")],
    rebuild: Annotated[bool, typer.Option("--rebuild", help="重新计算模板与逐年雷同 / recompute templates and "
                                                           "year-over-year copying from the stored text")] = False,
    show: Annotated[int, typer.Option(help="显示的模板条数 / templates to print")] = 20,
    uses: Annotated[int, typer.Option(help="每条模板列出的使用单位数 / uses listed per template")] = 12,
) -> None:
    """列出多家单位共用的模板句(>=3家) / list sentences shared by reports of three or more issuers."""
    if not db.exists():
        _fail(f"no such store: {db}")
    from rich.console import Console
    from rich.text import Text

    from analyzer.batch.store import StoreError

    try:
        with _open_store(db, read_only=not rebuild) as store:
            if rebuild:
                from analyzer.batch.run import update_templates, update_yoy_copying

                pairs = update_yoy_copying(store)
                found = update_templates(store)
                typer.echo(f"重新计算:{found} 条模板,{pairs} 组逐年对比 / rebuilt: {found} templates, {pairs} yearly pairs")
            rows = list(store.template_rows())
    except StoreError as exc:
        _fail(str(exc))
    console = Console(width=None if Console().is_terminal else 160, highlight=False)
    if not rows:
        console.print(Text("未发现模板句(须出现在至少3家单位的报告中) / no templates found"))
        return
    console.print(Text(f"模板句 {len(rows)} 条 / {len(rows)} templates", style="bold"))
    for number, row in enumerate(rows[:show], 1):
        # report text goes through Text, never markup: a "[" in a report must print as itself
        head = Text(f"{number}. [{row['issuers']} 家单位 / {row['reports']} 份报告 · {row['years'] or '—'}] ", style="bold")
        console.print(head + Text(row["text"]))
        users = (row["used_by"] or "").split("、")
        more = f" 等{len(users)}家" if len(users) > uses else ""
        console.print(Text("   使用单位:" + "、".join(users[:uses]) + more, style="dim"))


@app.command("evaluate-copying")
def evaluate_copying(
    data: Annotated[Path, typer.Option(help="标注数据目录 / folder of labelled pairs and the template family")] = Path(
        "corpora/copying"),
) -> None:
    """雷同检测评测:每对报告的实测与真实雷同句比例,模板句的查准率与查全率 / measured vs true copied
    share per authored pair, template precision and recall on the family.

    Exit status 1 if a goal is missed (share within 0.03 on every pair; precision and recall >= 0.95).
    """
    if not (data / "pairs").is_dir():
        _fail(f"no labelled pairs in {data}/pairs")
    from rich.console import Console
    from rich.table import Table

    from analyzer.training.evaluate_copying import PAIR_GOAL, TEMPLATE_GOAL, evaluate_family, evaluate_pairs

    console = Console(width=None if Console().is_terminal else 160, highlight=False)
    table = Table("pair", "issuer", "sentences", "true", "measured", "error", "true V/F/N", "measured V/F/N",
                  "missed", "false", title="copied share of body sentences / 正文雷同句比例")
    rows = evaluate_pairs(data)
    for r in rows:
        t, m = r["true_counts"], r["measured_counts"]
        table.add_row(r["id"], r["issuer"], str(r["sentences"]), f"{r['true_share']:.3f}", f"{r['measured_share']:.3f}",
                      f"{r['error']:.3f}", f"{t['verbatim']}/{t['figures_changed']}/{t['near']}",
                      f"{m['verbatim']}/{m['figures_changed']}/{m['near']}", str(r["missed"]), str(r["false"]))
    console.print(table)
    worst = max((r["error"] for r in rows), default=0.0)
    console.print(f"largest error {worst:.3f} (goal <= {PAIR_GOAL})", markup=False)
    failed = worst > PAIR_GOAL
    if (data / "family").is_dir():
        family = evaluate_family(data)
        console.print(f"templates: {family['reports']} reports, {family['template_sentences']} template sentences, "
                      f"{family['found']} found; precision {family['precision']:.3f}, recall {family['recall']:.3f} "
                      f"(goal >= {TEMPLATE_GOAL})", markup=False)
        failed |= min(family["precision"], family["recall"]) < TEMPLATE_GOAL
    if failed:
        raise typer.Exit(1)


def _check_batch_usage(*, jobs, framework, engine, scheduler, outputs) -> None:
    if jobs is not None and jobs < 1:
        _fail("--jobs 至少为 1")
    if scheduler and engine is not Engine.dask:
        _fail("--scheduler 需要与 --engine dask 一起使用")
    if framework != "auto":
        from analyzer.frameworks import available_frameworks

        if framework not in available_frameworks():
            _fail(f"没有对照框架 {framework!r};请用 auto 或以下之一:{'、'.join(available_frameworks())}")
    from analyzer.outputs.atomic import OutputError, check_output

    try:  # before the batch runs, not after it
        for path in outputs:
            if path is not None:
                check_output(path)
    except OutputError as exc:
        _fail(str(exc))


def _collect(inputs: list[str], *, follow_links: bool = False):
    from analyzer.batch.run import collect_inputs

    items, missing = collect_inputs(inputs, follow_links=follow_links)
    if missing:
        _fail("找不到以下文件、文件夹或匹配项:" + "、".join(missing))
    if not items:
        _fail("以下位置没有报告文件(.docx、.pdf、.txt、.html 或 .zip):" + "、".join(inputs))
    return items


def _open_store(path: Path, *, read_only: bool = False):
    from analyzer.batch.store import Store

    return Store(path, read_only=read_only)


def _run(items, *, store, jobs, framework, engine, scheduler, force, command, house=None):
    """Run the batch with a progress display (``house``: the house rules' switched-off checks and
    thresholds). Ctrl-C or SIGTERM (a job scheduler's stop) keeps what is done and says how to resume."""
    import signal

    from analyzer.batch.run import BatchError, Options, cap_jobs, run_batch
    from analyzer.checks.rules import HouseRules

    house = house or HouseRules()
    jobs, note = cap_jobs(jobs, files=sum(item.error is None for item in items))
    if note:
        typer.echo(note, err=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with _progress(len(items)) as progress:
            options = Options(framework=framework, disable=house.disable, params=house.params)
            return run_batch(items, store=store, options=options, jobs=jobs, engine=engine,
                             scheduler=scheduler, force=force, progress=progress, command=command)
    except BatchError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("已中断:完成的文件已存入结果库;再次运行同一命令即可续做。", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _progress(total: int):
    """A Rich progress bar (files/s, ETA) on a terminal; one plain line per file otherwise (logs, CI)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    from analyzer.ingest.sanitize import visible

    console = Console(stderr=True)
    if not console.is_terminal:
        width = len(str(total))

        def log(result, report):
            detail = f"{result.error[0]}: {result.error[1]}" if result.error else (result.label or "")
            console.print(visible(f"[{report.done:>{width}}/{total}] {result.outcome:9} {result.path}  {detail}"),
                          markup=False, highlight=False, soft_wrap=True)

        yield log
        return

    class FilesPerSecond(ProgressColumn):
        def render(self, task) -> Text:
            return Text("—" if not task.speed else f"{task.speed:.1f} files/s", style="progress.data.speed")

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               FilesPerSecond(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("analysing", total=total)

        def advance(result, report):
            bar.advance(task)
            if result.outcome == "failed":
                bar.console.print(Text.assemble(("failed", "red"), f" {visible(result.name)}: {visible(result.error[1])}"),
                                  highlight=False)

        yield advance


__all__ = ["batch", "compare", "templates", "evaluate_copying", "EXIT_BAD_INPUT"]
