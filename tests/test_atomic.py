"""Outputs are whole or absent: a failed write leaves the old file (or none) and no temporary file."""

from __future__ import annotations

import errno
import os

import pytest

from analyzer.outputs.atomic import OutputError, check_output, write_atomic


def _disk_full_after_some_bytes(fh):
    fh.write(b"id,text\n1,first row\n")
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "summary.csv"
    target.write_text("old, complete\n")
    with pytest.raises(OutputError, match="磁盘空间不足") as caught:
        write_atomic(target, _disk_full_after_some_bytes)
    assert target.read_text() == "old, complete\n"
    assert os.listdir(tmp_path) == ["summary.csv"]
    assert str(caught.value).count("。") == 1  # one sentence


def test_a_write_that_fails_leaves_no_file_where_there_was_none(tmp_path):
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "new.json", _disk_full_after_some_bytes)
    assert os.listdir(tmp_path) == []


def test_text_bytes_and_writers_are_written_whole_with_normal_permissions(tmp_path):
    write_atomic(tmp_path / "a.md", "# 标题\n")
    write_atomic(tmp_path / "b.bin", b"\x00\x01")
    assert write_atomic(tmp_path / "c.txt", lambda fh: fh.write(b"abc")) == 3
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "# 标题\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01" and (tmp_path / "c.txt").read_bytes() == b"abc"
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o666 & ~mask


def test_output_paths_are_checked_before_any_work(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputError, match="所在文件夹"):
        check_output(tmp_path / "missing" / "out.json")
    with pytest.raises(OutputError, match="文件夹"):
        check_output(tmp_path)
    with pytest.raises(OutputError, match="是一个文件"):
        check_output(tmp_path / "afile", folder=True)
    check_output(tmp_path / "out.json")
    check_output(tmp_path / "new-folder" / "deeper", folder=True)


def test_a_missing_folder_is_one_chinese_sentence_not_a_traceback(tmp_path):
    with pytest.raises(OutputError, match="所在文件夹不存在"):
        write_atomic(tmp_path / "missing" / "out.json", "{}")
