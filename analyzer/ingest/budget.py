"""A time and memory budget per document, enforced on a forked worker process.

Parsers of untrusted formats (python-docx, lxml, pdfminer, the HTML reader) can be driven by a
crafted file into minutes of work or gigabytes of memory, far inside every size limit. The limits
in ``Limits`` stop the known shapes early; this bounds whatever is left. ``ingest_guarded`` forks
(cheap: the child shares the parent's loaded modules), and the child lowers its own address-space
and CPU limits (``resource.setrlimit``) before reading the file, then sends the ``Document`` or
the ``InputError`` back through a pipe. The parent waits at most ``max_seconds`` of wall time and
kills the child past it. Exceeding a bound is a clean ``Timeout`` or ``TooLarge``, never a dead
server, in the CLI, the batch workers and the app alike (all reach it through ``pipeline.analyze``).

Plain text (.txt) is decoded in the calling process: its cost is linear and bounded by
``max_bytes`` and ``max_chars``. Where ``fork`` does not exist, everything runs in-process.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from pathlib import Path

from analyzer.errors import InputError, Timeout, TooLarge
from analyzer.limits import DEFAULT_LIMITS, Limits

GUARDED_SUFFIXES = (".docx", ".pdf", ".html", ".htm")
_CHILD_CRASHED = 70  # exit status of a child that could not report its own failure
_PIPE_READ = 1 << 16


def ingest_guarded(source: str | Path | bytes, *, filename: str | None = None, limits: Limits | None = None):
    """Ingest a file (a path, or the bytes of a file named ``filename``) within the per-document
    budget of ``limits`` (``max_seconds``, ``max_memory_bytes``); returns the ``Document``."""
    from analyzer.ingest.read import SUPPORTED_SUFFIXES, ingest_bytes, ingest_file

    limits = limits or DEFAULT_LIMITS
    name = filename if isinstance(source, bytes) else Path(source).name
    suffix = Path(name or "").suffix.lower()

    def read():
        if isinstance(source, bytes):
            return ingest_bytes(source, filename=filename or "upload.txt", limits=limits)
        return ingest_file(source, limits=limits)

    if suffix not in GUARDED_SUFFIXES or suffix not in SUPPORTED_SUFFIXES or not hasattr(os, "fork"):
        return read()
    if not isinstance(source, bytes):  # size and type are refused here, before any worker starts
        size = Path(source).stat().st_size
        if size > limits.max_bytes:
            return read()  # raises the usual TooLarge without reading the file
    return run_within_budget(read, limits=limits)


def preload_parsers() -> None:
    """Import the parsers once in a long-lived process (a batch worker, the app), so that each
    document's forked worker starts with them loaded instead of importing them again."""
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401

    from analyzer.ingest import html  # noqa: F401
    from analyzer.ingest.pdfguard import _install

    _install()


def run_within_budget(work, *, limits: Limits):
    """``work()`` on a forked child under ``limits``' time and memory budget; its result or its
    ``InputError`` comes back, a budget overrun becomes ``Timeout`` / ``TooLarge``."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(work, writer, limits)
    os.close(writer)
    try:
        payload, timed_out = _collect(reader, pid, limits)
    except BaseException:  # Ctrl-C or SIGTERM while waiting: the child must not outlive the wait
        _kill(pid)
        _reap(pid)
        raise
    finally:
        os.close(reader)
    status = _reap(pid)
    if timed_out:
        raise Timeout(f"reading the file took longer than the budget of {limits.max_seconds} s; it was stopped")
    if payload:
        try:
            kind, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a child cut off mid-message: judged by its status below
            kind, value = None, None
        if kind == "ok":
            return value
        if kind == "error":
            error_type, args = value
            raise error_type(*args)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise Timeout(f"reading the file took more than the budget of {limits.max_seconds} s of processor time")
    raise TooLarge(f"reading the file needed more than the budget of {limits.max_memory_bytes // 2**20} MB of memory")


def _child(work, writer: int, limits: Limits) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        _limit_self(limits)
        # An error goes back as its type and arguments, never as the object: its traceback and
        # context may be thousands of frames deep, and a library (tblib, with Dask) may pickle them.
        try:
            message = ("ok", work())
        except InputError as exc:
            message = ("error", (type(exc), exc.args))
        except MemoryError:
            message = ("error", (TooLarge, (f"reading the file needed more than the budget of "
                                            f"{limits.max_memory_bytes // 2**20} MB of memory",)))
        except RecursionError:
            message = ("error", (TooLarge, ("the file nests its parts deeper than the reader can follow",)))
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled: say so
            data = pickle.dumps(("error", (InputError, (f"the file cannot be read ({type(exc).__name__})",))))
        with os.fdopen(writer, "wb") as out:
            out.write(data)
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not run the parent's code
        status = _CHILD_CRASHED
    finally:
        os._exit(status)


def _limit_self(limits: Limits) -> None:
    """Lower this process's own limits: address space = what it has now + the memory budget; CPU
    time = what it has used + the time budget (wall time is the parent's to enforce)."""
    import resource

    if limits.max_memory_bytes > 0:
        ceiling = _address_space() + limits.max_memory_bytes
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or ceiling < hard:
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    if limits.max_seconds > 0:
        used = resource.getrusage(resource.RUSAGE_SELF)
        seconds = int(used.ru_utime + used.ru_stime) + limits.max_seconds + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY or seconds < hard:
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, hard))


def _address_space() -> int:
    """This process's virtual size in bytes (Linux /proc; 0 where unknown, so the budget is absolute)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _collect(reader: int, pid: int, limits: Limits) -> tuple[bytes, bool]:
    """Read the child's message until it closes the pipe; kill it once the wall budget is spent."""
    deadline = time.monotonic() + limits.max_seconds if limits.max_seconds > 0 else None
    chunks: list[bytes] = []
    while True:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            _kill(pid)
            return b"", True
        ready, _, _ = select.select([reader], [], [], wait)
        if not ready:
            continue
        chunk = os.read(reader, _PIPE_READ)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0
