"""The disk cache of derived data: a hit skips the work, anything wrong falls back to building."""

from __future__ import annotations

import pytest

from analyzer.cache import cached


class Builder:
    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_a_second_process_reads_what_the_first_built(cache_dir):
    build = Builder({"法治": [1, 2]})
    assert cached("kind", [b"source"], build) == {"法治": [1, 2]}
    assert cached("kind", [b"source"], build) == {"法治": [1, 2]}
    assert build.calls == 1 and len(list(cache_dir.glob("kind-*.json"))) == 1


def test_changed_sources_or_kind_are_never_served_the_old_value(cache_dir):
    assert cached("kind", [b"v1"], Builder("old")) == "old"
    assert cached("kind", [b"v2"], Builder("new")) == "new"
    assert cached("other", [b"v1"], Builder("other")) == "other"
    assert cached("kind", [b"v", b"1"], Builder("split")) == "split"  # sources are hashed one by one


def test_a_corrupt_file_is_rebuilt(cache_dir):
    cached("kind", [b"source"], Builder([1]))
    (path,) = cache_dir.glob("kind-*.json")
    path.write_text('{"truncated": [', encoding="utf-8")
    build = Builder([1])
    assert cached("kind", [b"source"], build) == [1] and build.calls == 1
    assert cached("kind", [b"source"], Builder([2])) == [1]  # and stored again


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("GOVREPORT_CACHE_DIR", str(blocker / "cache"))
    build = Builder("value")
    assert cached("kind", [b"s"], build) == "value" and cached("kind", [b"s"], build) == "value"
    assert build.calls == 2


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CACHE_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    build = Builder(1)
    cached("kind", [b"s"], build)
    cached("kind", [b"s"], build)
    assert build.calls == 2 and not any(tmp_path.rglob("*.json"))


def test_changed_code_is_never_served_the_old_value(cache_dir, tmp_path):
    """A value is keyed by the files of the code that derives it, not only by its sources."""
    rule = tmp_path / "rule.py"
    rule.write_text("VERSION = 1\n")
    assert cached("kind", [b"s"], Builder("old rule"), code=(str(rule),)) == "old rule"
    assert cached("kind", [b"s"], Builder("other"), code=(str(rule),)) == "old rule"
    rule.write_text("VERSION = 2\n")
    assert cached("kind", [b"s"], Builder("new rule"), code=(str(rule),)) == "new rule"


def test_unreadable_code_files_mean_no_caching(cache_dir, tmp_path):
    build = Builder("value")
    missing = str(tmp_path / "gone.py")
    assert cached("kind", [b"s"], build, code=(missing,)) == "value"
    assert cached("kind", [b"s"], build, code=(missing,)) == "value"
    assert build.calls == 2 and not list(cache_dir.glob("kind-*.json"))
