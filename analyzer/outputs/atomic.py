"""Every file the product writes is whole or absent: written beside its target, then renamed.

A full disk, a killed process or a bad path must never leave a truncated CSV that looks complete,
a corrupt workbook or a 0-byte .docx. ``write_atomic`` writes to a temporary file in the target's
folder, flushes it to disk and renames it over the target (a rename within one folder is atomic);
on any failure the temporary file is removed and the target is left as it was. ``check_output``
lets a command refuse a bad output path before spending minutes on the analysis. Failures are an
``OutputError`` whose message is one Chinese sentence, for the command line to print as it is.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from analyzer.errors import GovreportError

T = TypeVar("T")

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在磁盘是只读的",
    errno.ENOENT: "所在文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.ENAMETOOLONG: "文件名太长",
}


class OutputError(GovreportError, OSError):
    """An output file cannot be written; ``str()`` is one Chinese sentence naming the file and why."""

    code = "output"
    advice = "输出文件无法写入。请检查保存位置是否存在、可写，以及磁盘空间。"


def check_output(path: str | Path, *, folder: bool = False) -> None:
    """Refuse, before any work, an output path that cannot be written: ``folder`` outputs must be a
    folder (or not exist yet, under a writable folder), file outputs must not be a folder and their
    folder must exist and be writable."""
    path = Path(path)
    shown = _shown(path)
    if folder:
        if path.exists() and not path.is_dir():
            raise OutputError(f"无法写入 {shown}:它是一个文件，输出位置应当是文件夹。")
        parent = path if path.is_dir() else _existing_ancestor(path)
    else:
        if path.is_dir():
            raise OutputError(f"无法写入 {shown}:这是一个文件夹，请给出文件名。")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(f"无法写入 {shown}:所在文件夹 {_shown(parent)} 不存在。")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"无法写入 {shown}:没有在文件夹 {_shown(parent)} 中写入的权限。")


def write_atomic(path: str | Path, data: bytes | str | Callable[[BinaryIO], T], *, encoding: str = "utf-8") -> T | None:
    """Write ``data`` (bytes, text in ``encoding``, or a function that writes to the binary file it is
    given and returns a value) to ``path`` whole, or not at all; returns what the function returned."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(dir=parent, prefix=f".{path.name[:80]}.", suffix=".part")
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                result = data(fh)
            else:
                result = None
                fh.write(data.encode(encoding) if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _error(path, exc) from None
        raise
    return result


def _mode_for(path: Path) -> int:
    """The permissions the file would have had if opened normally: an existing file's, else the umask's."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _error(path: Path, exc: OSError) -> OutputError:
    if isinstance(exc, OutputError):
        return exc
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
    return OutputError(f"无法写入 {_shown(path)}:{reason}，没有留下不完整的文件。")


def _existing_ancestor(path: Path) -> Path:
    for parent in path.absolute().parents:
        if parent.exists():
            return parent
    return Path("/")


def _shown(path: Path) -> str:
    from analyzer.ingest.sanitize import visible

    return visible(str(path))
