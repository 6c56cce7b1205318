"""``govreport batch`` and ``govreport compare`` (registered on the main app).

cli.py imports this module at its end, after ``app`` exists; everything heavy (DuckDB, pandas,
Altair, the analysis itself) is imported inside the commands so ``govreport --help`` stays fast.
"""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .cli import EXIT_BAD_INPUT, _fail, app

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
    inputs: Annotated[list[str], typer.Argument(help="files, folders, glob patterns or .zip archives", metavar="INPUT...",
                                                   show_default=False)],
    db: Annotated[Path, typer.Option(help="DuckDB store to write (created if missing; rerun to resume)")],
    jobs: Annotated[int | None, typer.Option(help="worker processes (default: all cores)")] = None,
    framework: Annotated[str, typer.Option(help="framework id, or auto")] = "auto",
    xlsx: Annotated[Path | None, typer.Option(help="also write the summary as an Excel file")] = None,
    csv: Annotated[Path | None, typer.Option(help="also write the summary as CSV")] = None,
    force: Annotated[bool, typer.Option("--force", help="re-analyse files already in the store")] = False,
    follow_links: Annotated[bool, typer.Option("--follow-links",
                                               help="follow symbolic links that lead out of an input folder")] = False,
    engine: Annotated[Engine, typer.Option(help="local processes, or a Dask cluster")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, tcp://HOST:PORT")] = None,
    show: Annotated[int, typer.Option(help="summary rows to print")] = 20,
) -> None:
    """Analyse many reports into a DuckDB store and print the summary, worst first.

    Exit status: 0 if every file was analysed (or already stored), 1 if any failed, 2 on bad usage.
    """
    _check_batch_usage(jobs=jobs, framework=framework, engine=engine, scheduler=scheduler, outputs=(xlsx, csv))
    import sys

    from rich.console import Console

    from .atomic import OutputError
    from .ingest.sanitize import visible
    from .store import StoreError
    from .summary import print_summary, summary_rows, write_csv, write_xlsx

    items = _collect(inputs, follow_links=follow_links)
    try:
        store = _open_store(db)
    except StoreError as exc:
        _fail(str(exc))
    with store:
        report = _run(items, store=store, jobs=jobs, framework=framework, engine=engine.value, scheduler=scheduler,
                      force=force, command="govreport batch " + " ".join(sys.argv[2:]))
        console = Console()
        if not console.is_terminal:  # a log or a pipe: wide enough for the table, whatever COLUMNS says
            console = Console(width=160)
        print_summary(summary_rows(store, run_id=report.run_id), console, report=report, limit=show)
        for path, writer in ((csv, write_csv), (xlsx, write_xlsx)):
            if path is not None:
                try:
                    count = writer(summary_rows(store, run_id=report.run_id), path)
                except OutputError as exc:
                    _fail(str(exc))
                typer.echo(f"wrote {count} rows to {visible(str(path))}")
    if report.failed or report.stopped:
        raise typer.Exit(EXIT_FAILED_FILES)


@app.command()
def compare(
    inputs: Annotated[list[str] | None, typer.Argument(help="folders or files of reports, analysed on the way", metavar="[INPUT]...",
                                                      show_default=False)] = None,
    db: Annotated[Path | None, typer.Option(help="DuckDB store written by 'govreport batch'")] = None,
    by: Annotated[GroupBy, typer.Option(help="group reports by year, issuer or level")] = GroupBy.year,
    out: Annotated[Path, typer.Option(help="folder for the tables (CSV, Parquet) and charts (HTML, PNG)")] = Path(
        "comparison"),
    jobs: Annotated[int | None, typer.Option(help="worker processes when analysing inputs")] = None,
    top: Annotated[int, typer.Option(help="rising and falling terms per comparison")] = 15,
) -> None:
    """Compare stored reports by year, issuer or level: tables and charts in --out."""
    if not inputs and db is None:
        _fail("give folders of reports to analyse, or --db with a store written by 'govreport batch'")
    if db is not None and not inputs and not db.exists():
        _fail(f"no such store: {db}")
    if jobs is not None and jobs < 1:
        _fail("--jobs must be at least 1")
    from .atomic import OutputError, check_output
    from .compare import write_comparison
    from .store import StoreError

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
                typer.echo(f"{report.total} files: {report.counts['analysed']} analysed, "
                           f"{report.counts['stored']} already stored, {failed} failed")
                written = write_comparison(store, by=by.value, out=out, top=top)
        else:
            with _open_store(db, read_only=True) as store:
                written = write_comparison(store, by=by.value, out=out, top=top)
    except (StoreError, OutputError) as exc:
        _fail(str(exc))
    for path in written:
        typer.echo(f"wrote {path}")
    if failed:
        raise typer.Exit(EXIT_FAILED_FILES)


def _check_batch_usage(*, jobs, framework, engine, scheduler, outputs) -> None:
    if jobs is not None and jobs < 1:
        _fail("--jobs must be at least 1")
    if scheduler and engine is not Engine.dask:
        _fail("--scheduler needs --engine dask")
    if framework != "auto":
        from .frameworks import available_frameworks

        if framework not in available_frameworks():
            _fail(f"unknown framework {framework!r}; choose auto or one of {', '.join(available_frameworks())}")
    from .atomic import OutputError, check_output

    try:  # before the batch runs, not after it
        for path in outputs:
            if path is not None:
                check_output(path)
    except OutputError as exc:
        _fail(str(exc))


def _collect(inputs: list[str], *, follow_links: bool = False):
    from .batch import collect_inputs

    items, missing = collect_inputs(inputs, follow_links=follow_links)
    if missing:
        _fail("no such file, folder or match: " + ", ".join(missing))
    if not items:
        _fail("no report files (.docx, .pdf, .txt, .html or .zip) found in: " + ", ".join(inputs))
    return items


def _open_store(path: Path, *, read_only: bool = False):
    from .store import Store

    return Store(path, read_only=read_only)


def _run(items, *, store, jobs, framework, engine, scheduler, force, command):
    """Run the batch with a progress display. Ctrl-C or SIGTERM (a job scheduler's stop) keeps
    what is done and says how to resume."""
    import signal

    from .batch import BatchError, Options, cap_jobs, run_batch

    jobs, note = cap_jobs(jobs, files=sum(item.error is None for item in items))
    if note:
        typer.echo(note, err=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with _progress(len(items)) as progress:
            return run_batch(items, store=store, options=Options(framework=framework), jobs=jobs, engine=engine,
                             scheduler=scheduler, force=force, progress=progress, command=command)
    except BatchError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("interrupted: finished files are stored; rerun the same command to resume", err=True)
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

    from .ingest.sanitize import visible

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


__all__ = ["batch", "compare", "EXIT_BAD_INPUT"]
