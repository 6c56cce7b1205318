"""Confidentiality: drafts never leave the machine, never reach the logs, never linger on disk.

* No network: the CLI analysis and the app's analysis run with ``socket`` disabled (any attempt to
  open an internet socket, connect, or resolve a name is recorded and refused), in this process and
  in a subprocess whose ``sitecustomize`` installs the same guard. The guard itself is checked to
  catch a connection, so a silent pass means something.
* Logs: what the analyzer logs at DEBUG, in every input format, holds no report text; nor does the
  CLI's stderr, nor an error message.
* Temporary files: an analysis (library, CLI, app) leaves the temporary folder as it found it.
* The shipped Streamlit config turns usage statistics off.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

import pytest
from builders import make_docx, make_html, make_pdf

from analyzer import analyze

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
WINDOW = 12  # characters: a log line holding this much report text verbatim is a leak

GUARD = textwrap.dedent(
    """
    # Installed by tests/test_security.py: refuse and record every attempt to use the network.
    import os
    import socket

    _LOG = os.environ.get("GOVREPORT_NETWORK_LOG")
    _INET = (socket.AF_INET, socket.AF_INET6)


    def _refused(what, detail=""):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{what} {detail}\\n")
        raise OSError(f"network use is disabled in this test: {what}")


    class _GuardedSocket(socket.socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and family in (*_INET, -1):
                _refused("socket", family)
            super().__init__(family, type, proto, fileno)


    _connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


    def _guarded(method, name):
        def call(self, address, *args):
            if self.family in _INET:
                _refused(name, address)
            return method(self, address, *args)

        return call


    socket.socket.connect = _guarded(_connect, "connect")
    socket.socket.connect_ex = _guarded(_connect_ex, "connect_ex")
    socket.socket = _GuardedSocket
    socket.create_connection = lambda address, *a, **k: _refused("create_connection", address)
    socket.getaddrinfo = lambda host, *a, **k: _refused("getaddrinfo", host)
    socket.gethostbyname = lambda host, *a, **k: _refused("gethostbyname", host)
    """
)
# A page that refers to the outside world in every way a page can: nothing of it may be fetched.
BEACONS = (
    '<script src="http://203.0.113.9/track.js"></script><link rel="stylesheet" href="https://203.0.113.9/s.css">'
    '<img src="http://203.0.113.9/pixel.gif"><iframe src="http://203.0.113.9/"></iframe>'
    '<meta http-equiv="refresh" content="0;url=http://203.0.113.9/">'
)


@pytest.fixture(scope="module")
def seed_files(seed_paragraphs) -> dict[str, bytes]:
    html = make_html(seed_paragraphs, title=seed_paragraphs[0]).replace(b"</body>", BEACONS.encode() + b"</body>")
    return {
        "seed.txt": "\n".join(seed_paragraphs).encode("utf-8"),
        "seed.docx": make_docx(seed_paragraphs),
        "seed.pdf": make_pdf(seed_paragraphs[:10]),
        "seed.html": html,
    }


@pytest.fixture
def no_network(monkeypatch):
    """Disable the network in this process; the list collects every attempt."""
    attempts: list[str] = []

    def refused(what):
        def refuse(*args, **kwargs):
            attempts.append(f"{what} {args[:1]!r}")
            raise OSError(f"network use is disabled in this test: {what}")

        return refuse

    inet = (socket.AF_INET, socket.AF_INET6)
    original = socket.socket

    class GuardedSocket(original):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and family in (*inet, -1):
                refused("socket")(family)
            super().__init__(family, type, proto, fileno)

    for name in ("connect", "connect_ex"):
        method = getattr(original, name)

        def guarded(self, address, *args, _method=method, _name=name):
            if self.family in inet:
                refused(_name)(address)
            return _method(self, address, *args)

        monkeypatch.setattr(original, name, guarded)
    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refused(name))
    return attempts


@pytest.fixture
def guard_env(tmp_path) -> tuple[dict[str, str], Path]:
    """Environment for a subprocess whose sitecustomize disables the network; and the attempts log."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "network.log"
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]), "GOVREPORT_NETWORK_LOG": str(log),
           "TMPDIR": str(private_tmp)}
    return env, log


def _attempts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _windows(text: str) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + WINDOW] for i in range(len(compact) - WINDOW + 1)}


def _leaks(report_text: str, output: str) -> list[str]:
    compact = "".join(output.split())
    return sorted(w for w in _windows(report_text) if w in compact)[:3]


# --- the guard itself ------------------------------------------------------------------------------


def test_the_in_process_guard_catches_a_connection(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("203.0.113.9", 80), timeout=1)
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert len(no_network) == 2
    left, right = socket.socketpair()  # local plumbing (event loops use it) still works
    left.close(), right.close()


def test_the_subprocess_guard_catches_a_connection(guard_env):
    env, log = guard_env
    code = "import urllib.request; urllib.request.urlopen('http://203.0.113.9/', timeout=1)"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "disabled in this test" in proc.stderr
    assert _attempts(log)


# --- no network: library, CLI, app ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["seed.txt", "seed.docx", "seed.pdf", "seed.html"])
def test_analysis_never_uses_the_network(no_network, seed_files, name):
    analysis = analyze(seed_files[name], filename=name)
    assert analysis.paragraphs and no_network == []


def test_cli_in_process_never_uses_the_network(no_network, seed_files, tmp_path):
    from typer.testing import CliRunner

    from analyzer.cli.main import app

    path = tmp_path / "seed.html"
    path.write_bytes(seed_files["seed.html"])
    result = CliRunner().invoke(app, ["analyze", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["paragraphs"] and no_network == []


def test_cli_subprocess_never_uses_the_network(guard_env, seed_files, tmp_path):
    env, log = guard_env
    path = tmp_path / "seed.html"
    path.write_bytes(seed_files["seed.html"])
    proc = subprocess.run([sys.executable, "-m", "analyzer.cli", "analyze", str(path), "--format", "json"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["paragraphs"]
    assert _attempts(log) == []
    assert _leaks(proc.stdout, proc.stderr) == [], "the CLI's stderr quotes the report"
    assert list(Path(env["TMPDIR"]).iterdir()) == [], "the CLI left files in the temporary folder"


def _app_test():
    if not APP.exists():
        pytest.skip("app.py is not there yet")
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=300)


def test_app_in_process_never_uses_the_network(no_network, monkeypatch, tmp_path, seed_paragraphs):
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    at = _app_test()
    harness = set(private.rglob("*"))  # AppTest's own (empty) working folder
    at.run()
    assert not at.exception
    at.file_uploader(key="analyze_upload").set_value(("draft.txt", "\n".join(seed_paragraphs).encode(), "text/plain"))
    at.run()
    assert not at.exception and not at.error
    assert no_network == []
    assert set(private.rglob("*")) == harness, "the app left an uploaded draft in the temporary folder"


APP_SCRIPT = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=300).run()
text = sys.argv[2]
at.file_uploader(key="analyze_upload").set_value(("draft.txt", text.encode(), "text/plain"))
at.run()
print(json.dumps({"exceptions": len(at.exception), "errors": [e.value for e in at.error]}))
"""


def test_app_subprocess_never_uses_the_network(guard_env, seed_paragraphs):
    if not APP.exists():
        pytest.skip("app.py is not there yet")
    env, log = guard_env
    text = "\n".join(seed_paragraphs)
    proc = subprocess.run([sys.executable, "-c", APP_SCRIPT, str(APP), text], env=env, capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"exceptions": 0, "errors": []}
    assert _attempts(log) == []
    assert list(Path(env["TMPDIR"]).iterdir()) == [], "the app left files in the temporary folder"


def test_streamlit_usage_statistics_are_off_in_the_shipped_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False


# --- logs, messages, temporary files ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seed.txt", "seed.docx", "seed.pdf", "seed.html"])
def test_debug_logs_hold_no_report_text(caplog, seed_files, seed_paragraphs, name):
    caplog.set_level(logging.DEBUG)
    analyze(seed_files[name], filename=name)
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    assert _leaks("\n".join(seed_paragraphs), logged) == [], "report text reached the logs"


def test_error_messages_do_not_quote_the_report(seed_paragraphs):
    from analyzer.errors import InputError

    text = "\n".join(seed_paragraphs)
    damaged = {
        "english.txt": ("Not a report. " * 50 + text[:15]).encode(),
        "binary.txt": text.encode() + bytes(range(32)) * 200,
        "fake.pdf": b"%PDF-1.7\n" + text.encode(),
        "fake.docx": b"PK\x03\x04" + text.encode(),
        "gbk-as-utf16.txt": b"\xff\xfe" + text.encode("gbk")[:-1],
    }
    for name, data in damaged.items():
        with pytest.raises(InputError) as info:
            analyze(data, filename=name)
        assert _leaks(text, str(info.value)) == [], f"{name}: the message quotes the report"


def test_analysis_leaves_no_temporary_files(monkeypatch, tmp_path, seed_files):
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    for name, data in seed_files.items():
        analyze(data, filename=name)
    assert list(private.iterdir()) == []
