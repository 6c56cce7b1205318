"""Batch analysis: many inputs → one DuckDB store, resumably, on local processes or a Dask cluster.

The client (this process) lists the inputs, reads each file's bytes, hashes them and skips contents
already stored; the rest go to workers that run ``analyze_item`` (the same function locally and on
Dask) and send back ready-made store rows. Only the client writes the store, a few files per
transaction, so memory stays flat however long the batch, and a batch killed at any moment resumes
where it stopped. One bad file never stops the others: its reason is stored in ``errors``.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import signal
import stat
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.batch.store import FileResult, Store, rows_from_analysis
from analyzer.checks.rules import Params
from analyzer.errors import (
    INTERNAL,
    OTHER_ADVICE,
    GovreportError,
    InputError,
    TooLarge,
    failure,
)
from analyzer.ingest import SUPPORTED_SUFFIXES
from analyzer.ingest.archive import ARCHIVE_SUFFIX, list_members, open_archive, read_member
from analyzer.limits import Limits

# Report-like files we cannot read are listed (and refused with a reason) rather than ignored silently.
REFUSED_SUFFIXES = (".doc", ".wps", ".rtf", ".odt", ".pages")
MEMBER_SEPARATOR = "::"
# Results per store transaction: each has a fixed cost in statements and commit (client CPU per
# report, measured: 1.0 ms in groups of 32, 0.3 ms in groups of 200; benchmarks/README.md) …
FLUSH_FILES = 100
FLUSH_SECONDS = 2.0  # … or fewer, once this long has passed: bounds what a crash can lose
# Files sent ahead to each worker: it starts the next one at once while the client stores results
# (with one at a time, workers waited through each store transaction: 31% idle with 2 jobs) …
PIPELINE = 2
# … if the file is this small: a send the worker does not read at once must fit the pipe's buffer
# (~200 KB), or the client would wait on a busy worker (and both on each other if its result is large).
AHEAD_BYTES = 64 * 1024
MAX_STORE_FAILURES = 3  # consecutive failed store writes before the batch stops (a full disk stays full)
WORKER_CRASHED = (
    "worker_crashed",
    "the analysis process died while reading this file (killed, or out of memory); the file was skipped",
)


NOT_REGULAR = "not_regular_file"


class NotRegularFile(InputError):
    """A FIFO, device or socket where a file was expected (stored under its own code)."""

    code = NOT_REGULAR
    advice = OTHER_ADVICE[NOT_REGULAR]


class BatchError(GovreportError, RuntimeError):
    """The batch as a whole cannot run (workers cannot start, scheduler unreachable)."""

    code = "batch"
    advice = "批量任务无法进行。请按提示检查输入和参数。"


@dataclass(frozen=True)
class InputItem:
    """One file to analyse: a path on disk or a member of a zip archive (``error`` if refused when listed)."""

    path: str
    name: str
    archive: str | None = None
    member: str | None = None
    error: tuple[str, str] | None = None


@dataclass(frozen=True)
class Options:
    """How every file of the batch is analysed (sent to each worker once)."""

    framework: str = "auto"
    segmenter: str | None = None
    limits: Limits = field(default_factory=Limits.from_env)
    disable: frozenset[str] = frozenset()  # check ids not to run (a legal office's house rules)
    params: Params = field(default_factory=dict)  # thresholds the house rules set: {check id: {name: value}}


@dataclass
class Task:
    path: str
    name: str
    sha256: str
    data: bytes


@dataclass
class BatchReport:
    """Counts of one run, plus what could not be written to the store (only known in memory)."""

    run_id: int
    total: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("analysed", "stored", "duplicate", "failed"), 0))
    unwritten: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    stopped: str | None = None  # why the batch stopped early, if it did
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return self.counts["failed"] + len(self.unwritten)

    @property
    def done(self) -> int:
        return sum(self.counts.values())


# ----------------------------------------------------------------------------- inputs
def collect_inputs(inputs: Iterable[str | Path], *, limits: Limits | None = None,
                   follow_links: bool = False) -> tuple[list[InputItem], list[str]]:
    """Expand files, folders (recursively), glob patterns and zip archives into input items.

    Returns the items (each path once, in a stable order, as given: a link is recorded under its own
    path, never its target's) and the inputs that matched nothing. Only regular files are read:
    FIFOs, devices, broken or looping links, unreadable folders and, unless ``follow_links``, links
    that lead out of an input folder are items with an ``error`` saying why they were skipped.
    """
    limits = limits or Limits.from_env()
    items: dict[str, InputItem] = {}
    missing = []
    for raw in inputs:
        text = str(raw)
        if os.path.lexists(text):
            matches = [text]
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
        else:
            matches = []
        if not matches:
            missing.append(text)
        for match in matches:
            for item in _expand_named(Path(match), limits=limits, follow_links=follow_links):
                items.setdefault(item.path, item)
    return list(items.values()), missing


def cap_jobs(requested: int | None, *, files: int) -> tuple[int, str | None]:
    """Worker processes for ``files`` files: at most one per core and per file (more only cost memory);
    returns the count and, when a requested count was lowered, a note saying so."""
    cores = default_jobs()
    ceiling = max(1, min(cores, files))
    if requested is None or requested <= ceiling:
        return (ceiling if requested is None else requested), None
    return ceiling, (f"说明:--jobs {requested} 已降为 {ceiling}(本机可用 {cores} 个处理器核心，待读取 {files} 个文件)。"
                     f" note: --jobs lowered to {ceiling}")


def _skipped(path: Path, code: str, message: str) -> InputItem:
    return InputItem(str(path), path.name, error=(code, message))


def _expand_named(path: Path, *, limits: Limits, follow_links: bool) -> Iterator[InputItem]:
    """An input named on the command line (or matched by a glob): followed if it is a link."""
    try:
        info = os.stat(path)
    except OSError as exc:
        yield _link_problem(path, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, root=os.path.realpath(path), follow_links=follow_links, limits=limits,
                         seen={(info.st_dev, info.st_ino)})
    elif not stat.S_ISREG(info.st_mode):
        yield _skipped(path, NOT_REGULAR, _not_regular(info.st_mode))
    elif path.suffix.lower() == ARCHIVE_SUFFIX:
        yield from _zip_members(path, limits)
    else:
        yield InputItem(str(path), path.name)


def _walk(folder: Path, *, root: str, follow_links: bool, limits: Limits, seen: set) -> Iterator[InputItem]:
    """A folder's report-like files, recursively, in name order; hidden entries are ignored."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield _skipped(folder, "unreadable_folder", f"the folder cannot be read ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        link = entry.is_symlink()
        try:
            info = os.stat(path)  # follows a link
            target = os.path.realpath(path, strict=True) if link else None
        except OSError as exc:
            yield _link_problem(path, exc)
            continue
        outside = link and not (target == root or target.startswith(root.rstrip(os.sep) + os.sep))
        if outside and not follow_links:
            yield _skipped(path, "link_outside", "a symbolic link that leads out of the input folder was not "
                                                 "followed (use --follow-links to read it)")
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if (link and not follow_links) or key in seen:  # reached anyway, or a loop of folders
                continue
            yield from _walk(path, root=root, follow_links=follow_links, limits=limits, seen=seen | {key})
            continue
        suffix = Path(entry.name).suffix.lower()
        if not stat.S_ISREG(info.st_mode):
            yield _skipped(path, NOT_REGULAR, _not_regular(info.st_mode))
        elif suffix == ARCHIVE_SUFFIX:
            yield from _zip_members(path, limits)
        elif suffix in SUPPORTED_SUFFIXES + REFUSED_SUFFIXES:
            yield InputItem(str(path), path.name)


def _link_problem(path: Path, exc: OSError) -> InputItem:
    if exc.errno == errno.ELOOP:
        return _skipped(path, "link_loop", "the symbolic link leads in a loop")
    if os.path.islink(path) and isinstance(exc, FileNotFoundError):
        return _skipped(path, "broken_link", "the symbolic link points at nothing")
    return _skipped(path, "unreadable", f"the entry cannot be read ({exc.strerror or exc})")


def _not_regular(mode: int) -> str:
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"{kind}, not a file: only regular files are read"


def _zip_members(path: Path, limits: Limits) -> Iterator[InputItem]:
    """Members of a zip archive of report files, judged by their headers only (nothing is inflated here)."""
    archive = str(path)
    try:
        with open_archive(archive) as zf:
            members = list_members(zf, limits=limits)
    except InputError as exc:
        yield InputItem(archive, path.name, error=(exc.code, str(exc)))
        return
    for member in members:
        name = member.name.rsplit("/", 1)[-1]
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES + REFUSED_SUFFIXES + (ARCHIVE_SUFFIX,):
            continue
        yield InputItem(f"{archive}{MEMBER_SEPARATOR}{member.name}", name, archive=archive, member=member.stored,
                        error=member.error)


class Reader:
    """Reads items' bytes, keeping the last zip archive open (members come in archive order)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self._zip: zipfile.ZipFile | None = None

    def read(self, item: InputItem) -> bytes:
        if item.archive is None:
            return self._read_file(item.path)
        if self._zip is None or self._zip.filename != item.archive:
            self.close()
            self._zip = open_archive(item.archive)
        return read_member(self._zip, item.member, limits=self.limits)

    def _read_file(self, path: str) -> bytes:
        """A regular file's bytes: checked before it is opened, and opened so that nothing can block
        (a FIFO swapped in after the check would otherwise wait for a writer forever)."""
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise NotRegularFile(_not_regular(os.stat(path).st_mode))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise NotRegularFile(_not_regular(info.st_mode))
            if info.st_size > self.limits.max_bytes:
                raise TooLarge(f"the file is {info.st_size / 2**20:.1f} MB, over the limit of "
                               f"{self.limits.max_bytes / 2**20:.0f} MB")
            data = fh.read(self.limits.max_bytes + 1)
        if len(data) > self.limits.max_bytes:  # it grew while being read
            raise TooLarge(f"the file is over the limit of {self.limits.max_bytes / 2**20:.0f} MB")
        return data

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None


# ----------------------------------------------------------------------------- the per-file function
def analyze_item(task: Task, options: Options) -> FileResult:
    """Analyse one file's bytes into store rows, or say why it cannot be. Runs in a worker."""
    from analyzer.pipeline import analyze

    start = time.perf_counter()
    result = FileResult(task.path, task.name, "failed", sha256=task.sha256)
    try:
        analysis = analyze(task.data, filename=task.name, framework=options.framework, limits=options.limits,
                           segmenter=options.segmenter, disable=options.disable, params=options.params)
    except Exception as exc:  # a bad file, or a bug met on one file, must not stop the batch; the reason is kept
        result.error = failure(exc)
        return result
    seconds = time.perf_counter() - start
    result.outcome, result.seconds = "analysed", seconds
    result.rows = rows_from_analysis(analysis, sha256=task.sha256, path=task.path, name=task.name, seconds=seconds)
    result.label = " ".join(str(x) for x in (analysis.metadata.issuer, analysis.metadata.year) if x)
    return result


def warm_up(options: Options) -> None:
    """Load the models, the segmenter dictionary and each framework's compiled patterns, once per
    process: analysing a short text under every framework the batch may use fills every cache."""
    key = (options.framework, options.segmenter)
    if key in _WARM:
        return
    from analyzer.frameworks import available_frameworks
    from analyzer.ingest.budget import preload_parsers
    from analyzer.pipeline import analyze

    preload_parsers()  # each file's budgeted worker is forked from here with the parsers loaded
    frameworks = available_frameworks() if options.framework == "auto" else [options.framework]
    for framework_id in frameworks:
        try:
            analyze(_WARM_TEXT, framework=framework_id, segmenter=options.segmenter, limits=options.limits)
        except Exception:  # noqa: BLE001 - whatever fails here fails again on each file, which records why
            pass
    _WARM.add(key)


_WARM: set[tuple] = set()
_WARM_TEXT = "某市司法局2020年度法治政府建设情况报告\n一、依法全面履行政府职能\n全年办理行政复议案件12件，全部按期办结。\n"


PerFile = Callable[[Task, Options], FileResult]


# ----------------------------------------------------------------------------- engines
class LocalEngine:
    """A pool of worker processes, one task each at a time, so a worker that dies costs only its file."""

    def __init__(self, *, jobs: int, options: Options, per_file: PerFile):
        import multiprocessing as mp

        # Workers are forked from this process after it has loaded everything once, so they start
        # warm and a replacement for a dead worker starts at once. They never touch the store (its
        # file lock is not inherited, and workers leave through os._exit, running no destructors).
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self._ctx = mp.get_context(method)
        warm_up(options)
        self.options, self.per_file, self.jobs = options, per_file, jobs
        self.capacity = (PIPELINE + 1) * jobs
        self._workers: list[_Worker] = []
        for _ in range(jobs):
            self._workers.append(self._start())
        self._queue: list[Task] = []
        self._deaths_in_a_row = 0

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        # A forked worker inherits every open pipe end; it closes the client's ends (its own and the
        # other workers') so that each worker sees end-of-file as soon as the client is gone.
        others = [w.conn for w in self._workers] + [parent]
        process = self._ctx.Process(target=_worker_main, args=(child, self.options, self.per_file, others,
                                                               os.getpid()), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def submit(self, task: Task) -> None:
        self._queue.append(task)
        self._dispatch()

    def _dispatch(self) -> None:
        for worker in self._workers:
            while self._queue and (not worker.tasks or (len(worker.tasks) < PIPELINE
                                                        and len(self._queue[0].data) <= AHEAD_BYTES)):
                worker.tasks.append(self._queue.pop(0))
                try:
                    worker.conn.send(worker.tasks[-1])
                except (BrokenPipeError, ConnectionResetError, EOFError):
                    break  # the worker is gone; wait() sees its sentinel and reports the file

    def wait(self) -> list[FileResult]:
        from multiprocessing.connection import wait

        busy = [w for w in self._workers if w.tasks]
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
        results = []
        for worker in busy:
            if worker.conn in ready or worker.conn.poll():
                try:
                    results.append(worker.conn.recv())  # results come back in the order tasks were sent
                    worker.tasks.pop(0)
                    self._deaths_in_a_row = 0
                    continue
                except (EOFError, ConnectionResetError, OSError):
                    pass  # died while answering: treated as a death below
            if worker.process.sentinel in ready or not worker.process.is_alive():
                results.append(_failed(worker.tasks[0], WORKER_CRASHED))  # the file it was reading
                self._queue[:0] = worker.tasks[1:]  # sent ahead, not started: the next worker takes them
                self._replace(worker)
        self._dispatch()
        return results

    def _replace(self, worker: _Worker) -> None:
        self._deaths_in_a_row += 1
        if self._deaths_in_a_row > 2 * self.jobs + 2:
            raise BatchError("analysis workers keep dying as they start; see the errors above")
        worker.conn.close()
        worker.process.join(timeout=1)
        self._workers[self._workers.index(worker)] = self._start()

    def close(self) -> None:
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()


@dataclass(eq=False)
class _Worker:
    process: object
    conn: object
    tasks: list[Task] = field(default_factory=list)  # sent to it, in order: the first is being analysed


def _worker_main(conn, options: Options, per_file: PerFile, client_ends=(), client_pid: int | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the client's to handle: it closes us
    for end in client_ends:
        end.close()
    warm_up(options)
    while True:
        try:
            while not conn.poll(1.0):
                if client_pid is not None and os.getppid() != client_pid:
                    return  # the client died (even SIGKILL): do not linger as an orphan
            task = conn.recv()
        except (EOFError, OSError):
            return  # the client is gone
        if task is None:
            return
        try:
            result = per_file(task, options)
        except Exception as exc:  # noqa: BLE001 - reported for this file; the worker lives on
            result = _failed(task, failure(exc))
        conn.send(result)


class DaskEngine:
    """The same per-file function on a dask.distributed cluster; results come back to this client."""

    def __init__(self, *, scheduler: str | None, jobs: int, options: Options, per_file: PerFile):
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise BatchError("the dask engine needs dask.distributed: pip install 'govreport[batch]'") from None
        self.options, self.per_file = options, per_file
        self._cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self.client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        self.client.run(warm_up, options)
        self.capacity = 2 * max(1, sum(self.client.nthreads().values()))
        self._done = as_completed()
        self._tasks: dict[str, Task] = {}

    def submit(self, task: Task) -> None:
        future = self.client.submit(self.per_file, task, self.options, pure=False,
                                    key=f"govreport-{task.sha256[:16]}-{os.urandom(4).hex()}")
        self._tasks[future.key] = task
        self._done.add(future)

    def wait(self) -> list[FileResult]:
        from distributed import KilledWorker

        future = next(self._done)
        task = self._tasks.pop(future.key)
        try:
            return [future.result()]
        except KilledWorker:
            return [_failed(task, WORKER_CRASHED)]
        except Exception as exc:
            return [_failed(task, (INTERNAL, f"the cluster could not analyse this file ({type(exc).__name__}: {exc})"))]
        finally:
            future.release()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _failed(task: Task, error: tuple[str, str]) -> FileResult:
    return FileResult(task.path, task.name, "failed", sha256=task.sha256, error=error)


# ----------------------------------------------------------------------------- the run
def run_batch(
    items: list[InputItem],
    *,
    store: Store,
    options: Options | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: Callable[[FileResult, BatchReport], None] | None = None,
    per_file: PerFile = analyze_item,
    command: str = "",
) -> BatchReport:
    """Analyse ``items`` into ``store`` and return the run's counts.

    ``progress`` is called once per file as its result arrives. ``per_file`` must be a module-level
    function (workers import it by name); tests use it to inject faults.
    """
    options = options or Options()
    jobs = jobs or default_jobs()
    report = BatchReport(run_id=store.begin_run(command), total=len(items))
    started = time.perf_counter()
    writer, reader = _Writer(store, report), Reader(options.limits)
    pool = _LazyEngine(lambda: DaskEngine(scheduler=scheduler, jobs=jobs, options=options, per_file=per_file)
                       if engine == "dask" else LocalEngine(jobs=jobs, options=options, per_file=per_file))
    completed = False
    try:
        for result in _results(_prepare(items, reader=reader, store=store, force=force), pool,
                               stopped=lambda: report.stopped is not None):
            report.counts[result.outcome] += 1
            writer.add(result)
            if progress is not None:
                progress(result, report)
        completed = report.stopped is None
    finally:
        reader.close()
        pool.close()
        writer.flush()  # what finished before an error or Ctrl-C is kept
        report.seconds = time.perf_counter() - started
        if completed:
            with suppress(Exception):  # an unwritable store is already reported; never mask the cause
                store.finish_run(report.run_id)
    if completed and report.counts["analysed"]:
        # the batch's last appends are still in DuckDB's memory: written out, the end steps can read the
        # store within its cap (a 10,000-report batch's template step ran out of it); if this fails, the
        # steps below still run and report their own failure
        with suppress(Exception):
            store.checkpoint()
        try:
            update_yoy_copying(store, run_id=report.run_id)
        except Exception as exc:  # the reports are stored; only the cross-year comparison is missing
            report.unwritten.append(("(year-over-year copying)", f"could not be computed ({_reason(exc)})"))
        try:
            update_templates(store)
        except Exception as exc:  # likewise: only the cross-issuer comparison is missing
            report.unwritten.append(("(templates)", f"could not be computed ({_reason(exc)})"))
    return report


def default_jobs() -> int:
    """All the cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class _LazyEngine:
    """Starts the engine on the first file that needs analysing: a rerun with everything stored
    (or a batch of unreadable files) starts no workers at all."""

    def __init__(self, make):
        self._make, self.engine = make, None

    def submit(self, task: Task) -> None:
        if self.engine is None:
            self.engine = self._make()
        self.engine.submit(task)

    @property
    def capacity(self) -> int:
        return self.engine.capacity if self.engine is not None else 1

    def wait(self) -> list[FileResult]:
        return self.engine.wait()

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()


def _results(source: Iterator[FileResult | Task], pool: _LazyEngine, *, stopped) -> Iterator[FileResult]:
    """Every file's result as it arrives, keeping at most ``pool.capacity`` files in flight."""
    in_flight, exhausted = 0, False
    while not stopped():
        while not exhausted and in_flight < pool.capacity:
            nxt = next(source, None)
            if nxt is None:
                exhausted = True
            elif isinstance(nxt, FileResult):
                yield nxt
            else:
                pool.submit(nxt)
                in_flight += 1
        if in_flight == 0:
            return
        for result in pool.wait():
            in_flight -= 1
            yield result


def _prepare(items: list[InputItem], *, reader: Reader, store: Store, force: bool) -> Iterator[FileResult | Task]:
    """Read and hash each item in turn: a task to analyse, or an outcome decided without analysis."""
    seen: set[str] = set()
    for item in items:
        if item.error:
            yield FileResult(item.path, item.name, "failed", error=item.error)
            continue
        try:
            data = reader.read(item)
        except InputError as exc:
            yield FileResult(item.path, item.name, "failed", error=(exc.code, str(exc)))
            continue
        except FileNotFoundError:
            yield FileResult(item.path, item.name, "failed",
                             error=("missing_file", "the file was moved or deleted after the batch listed it"))
            continue
        except OSError as exc:
            yield FileResult(item.path, item.name, "failed", error=("unreadable", f"the file cannot be read ({exc.strerror or exc})"))
            continue
        sha = hashlib.sha256(data).hexdigest()
        if sha in seen:
            yield FileResult(item.path, item.name, "duplicate", sha256=sha)
        elif not force and store.has_report(sha):
            seen.add(sha)
            yield FileResult(item.path, item.name, "stored", sha256=sha)
        else:
            seen.add(sha)
            yield Task(item.path, item.name, sha, data)


class _Writer:
    """Buffers results and commits them in small groups; stops the batch if the store stays unwritable."""

    def __init__(self, store: Store, report: BatchReport):
        self.store, self.report = store, report
        self.buffer: list[FileResult] = []
        self.last = time.monotonic()
        self.failures_in_a_row = 0

    def add(self, result: FileResult) -> None:
        self.buffer.append(result)
        if len(self.buffer) >= FLUSH_FILES or time.monotonic() - self.last >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        group, self.buffer, self.last = self.buffer, [], time.monotonic()
        if not group:
            return
        try:
            failed = self.store.write(group, run_id=self.report.run_id)
        except Exception as exc:  # the connection itself is unusable
            failed = [(r, exc) for r in group]
        for result, exc in failed:
            self.report.unwritten.append((result.path, f"could not be written to the store ({_reason(exc)})"))
        self.failures_in_a_row = self.failures_in_a_row + 1 if failed and len(failed) == len(group) else 0
        if self.failures_in_a_row >= MAX_STORE_FAILURES and not self.report.stopped:
            self.report.stopped = (f"the store cannot be written ({_reason(failed[-1][1])}); "
                                   "completed results are kept: free space and rerun the same command to resume")


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def update_yoy_copying(store: Store, *, run_id: int | None = None) -> int:
    """Fill the year-over-year columns of ``reports`` and the ``copied_passages`` of each later report, for
    the issuers analysed in ``run_id`` (all if None; names matched as ``copying.match_issuers`` does);
    returns the pairs."""
    from analyzer.checks.copying import match_issuers
    from analyzer.compare.tables import yoy_heads, yoy_pairs

    heads = [(row["issuer"], row["year"], row["sha256"])
             for row in store.query("SELECT issuer, year, sha256 FROM reports WHERE issuer IS NOT NULL")]
    canonical = match_issuers(name for name, _, _ in heads)
    if run_id is not None:
        touched = {canonical.get(row["issuer"]) for row in store.query(
            "SELECT DISTINCT r.issuer FROM reports r JOIN run_files f USING (sha256) "
            "WHERE f.run_id = ? AND f.outcome = 'analysed' AND r.issuer IS NOT NULL", [run_id])}
        heads = [head for head in heads if canonical.get(head[0]) in touched]
    # only the texts of the reports that can pair are read: per issuer and year the first, of issuers
    # with two years or more (a 10,000-report store of 64 issuers: 19 reports instead of all)
    needed = yoy_heads([head for head in heads if head[1] is not None], canonical)
    if not needed:
        return 0
    pairs = list(yoy_pairs(store.report_texts(sha256s=needed), canonical=canonical))
    store.set_yoy(pairs)
    return len(pairs)


def update_templates(store: Store) -> int:
    """Recompute the ``templates`` table over every stored report (a new report can turn a sentence of
    two issuers into a template of three); returns the templates found. The work is done in the store
    (``template_step``) from the sentence keys each report stored: memory does not grow with the store,
    and a report stored by an earlier run is never read again (one stored before the store kept its
    keys is keyed here, once)."""
    from analyzer.batch.template_step import fill_missing_sentences, write_stored_templates

    fill_missing_sentences(store)
    return write_stored_templates(store)
