"""Zip archives of reports: the one reader that the batch (archives on disk) and the app (uploaded
archives, in memory) both use, with one policy.

Listing never inflates anything: members are judged by their headers (directories, macOS resource
forks and hidden files skipped; names that Windows archivers store as GBK decoded; encrypted members
and nested archives refused; a declared size over the limit refused). Reading a member never trusts
the header: at most ``limits.max_bytes`` + 1 bytes are inflated.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from analyzer.errors import CorruptFile, EncryptedDocument, TooLarge, UnsupportedFormat
from analyzer.limits import Limits

ARCHIVE_SUFFIX = ".zip"
MAX_MEMBERS = 500  # more files than a reviewer's batch holds in one archive: refused rather than churned through
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # inflated bytes of one archive held in memory at once (zip-bomb guard)
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class Member:
    """A file inside an archive: its stored name (to open it), the name people see, and why it is
    refused, if it is (``(code, sentence)``)."""

    stored: str
    name: str
    error: tuple[str, str] | None = None


def open_archive(source: str | IO[bytes]) -> zipfile.ZipFile:
    """The archive at a path or in a binary stream; a damaged one is ``CorruptFile``."""
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise CorruptFile(f"the zip archive cannot be opened ({exc})") from None


def list_members(archive: zipfile.ZipFile, *, limits: Limits) -> list[Member]:
    """The archive's files (not directories or junk), each with the error it is refused with, if any.
    An archive of more than ``MAX_MEMBERS`` files is refused whole (``TooLarge``)."""
    infos = [i for i in archive.infolist() if not i.is_dir() and not _is_junk(i.filename)]
    if len(infos) > MAX_MEMBERS:
        raise TooLarge(f"the zip holds {len(infos)} files, over the limit of {MAX_MEMBERS}")
    return [Member(info.filename, display_name(info), _refusal(info, limits)) for info in infos]


def read_member(archive: zipfile.ZipFile, stored: str, *, limits: Limits) -> bytes:
    """A member's bytes, at most ``limits.max_bytes`` inflated whatever its header says."""
    try:
        with archive.open(stored) as handle:
            data = handle.read(limits.max_bytes + 1)
    except KeyError:
        raise CorruptFile("the archive no longer holds this member (it changed meanwhile)") from None
    except RuntimeError:
        raise EncryptedDocument("the archive member is encrypted with a password") from None
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError, zlib.error) as exc:
        raise CorruptFile(f"the archive member cannot be unpacked ({exc})") from None
    if len(data) > limits.max_bytes:
        raise TooLarge(f"the archive member is over the limit of {limits.max_bytes / 2**20:.0f} MB")
    return data


def display_name(info: zipfile.ZipInfo) -> str:
    """The member's path as people wrote it: Windows archivers store Chinese names as GBK without
    setting the UTF-8 flag, so zipfile reads them as cp437."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _refusal(info: zipfile.ZipInfo, limits: Limits) -> tuple[str, str] | None:
    if PurePosixPath(info.filename).suffix.lower() == ARCHIVE_SUFFIX:
        return UnsupportedFormat.code, "an archive inside an archive is not opened; extract it first"
    if info.flag_bits & 0x1:
        return EncryptedDocument.code, "the archive member is encrypted with a password"
    if info.file_size > limits.max_bytes:
        return TooLarge.code, (f"the archive member unpacks to {info.file_size / 2**20:.1f} MB, "
                               f"over the limit of {limits.max_bytes / 2**20:.0f} MB")
    return None


def _is_junk(filename: str) -> bool:
    """macOS resource forks and hidden files that archivers add."""
    path = PurePosixPath(filename)
    return path.parts[0] == "__MACOSX" or path.name.startswith(".")
