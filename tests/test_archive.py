"""The one zip reader of the batch and the app: what it lists, refuses and inflates."""

from __future__ import annotations

import io
import zipfile

import pytest

from analyzer.errors import CorruptFile, TooLarge
from analyzer.ingest.archive import MAX_MEMBERS, display_name, list_members, open_archive, read_member
from analyzer.limits import Limits


def _zip(files: dict[str, bytes]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return open_archive(io.BytesIO(buffer.getvalue()))


def test_junk_and_folders_are_not_listed():
    archive = _zip({"__MACOSX/._a.txt": b"x", ".hidden.txt": b"x", "报告/县司法局.txt": "正文".encode()})
    members = list_members(archive, limits=Limits())
    assert [m.name for m in members] == ["报告/县司法局.txt"] and members[0].error is None
    assert read_member(archive, members[0].stored, limits=Limits()) == "正文".encode()


def test_names_stored_as_gbk_by_windows_archivers_are_read():
    stored = "报告/县司法局.txt".encode("gbk").decode("cp437")  # how zipfile reads a GBK name without the UTF-8 flag
    assert display_name(zipfile.ZipInfo(stored)) == "报告/县司法局.txt"
    utf8 = zipfile.ZipInfo("报告.txt")
    utf8.flag_bits |= 0x800
    assert display_name(utf8) == "报告.txt"


def test_nested_archives_and_declared_oversize_are_refused_when_listed():
    archive = _zip({"inner.zip": b"PK", "big.txt": "字".encode() * 400})
    errors = {m.name: m.error[0] for m in list_members(archive, limits=Limits(max_bytes=1000))}
    assert errors == {"inner.zip": "unsupported_format", "big.txt": "too_large"}


def test_reading_inflates_no_more_than_the_limit():
    archive = _zip({"bomb.txt": b"0" * 50_000})  # 50 KB from a few hundred bytes
    with pytest.raises(TooLarge):
        read_member(archive, "bomb.txt", limits=Limits(max_bytes=1000))
    archive.getinfo("bomb.txt").file_size = 10  # a header that lies about the size is not believed either
    with pytest.raises((TooLarge, CorruptFile)):
        read_member(archive, "bomb.txt", limits=Limits(max_bytes=1000))


def test_too_many_members_and_a_damaged_archive_are_refused_whole():
    with pytest.raises(TooLarge):
        list_members(_zip({f"{i}.txt": b"" for i in range(MAX_MEMBERS + 1)}), limits=Limits())
    with pytest.raises(CorruptFile):
        open_archive(io.BytesIO(b"PK\x03\x04 not a zip"))
