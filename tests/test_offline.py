"""Offline for real: the CLI and the web app make no network connection, at start or during an analysis.

Each process runs under a socket guard (a ``sitecustomize`` this test writes): any ``connect`` to an
address that is not loopback, and any name lookup of a host that is not this machine, is recorded
and refused, so nothing leaves the machine even when a test fails. The app runs with the shipped
``.streamlit/config.toml`` and nothing else on its command line but a port: the config is what keeps
Streamlit from looking up the machine's external IP. A control run without that config shows the
guard does see Streamlit's lookups."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from appserver import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "real" / "000_1c9e8bbbf8b24faa.txt"
START_TIMEOUT = 120

GUARD = '''
"""Socket guard for tests/test_offline.py: record and refuse every attempt to reach another machine."""
import errno
import ipaddress
import os
import socket

_LOG = os.environ["GOVREPORT_SOCKET_LOG"]
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", socket.gethostname()}


def _record(what):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(what + "\\n")


def _is_local(host):
    if host is None:
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return host.lower() in _LOCAL_NAMES
    return address.is_loopback or address.is_unspecified


def _guarded(original, kind):
    def method(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            _record(f"{kind} {address!r}")
            raise OSError(errno.ENETUNREACH, "network use blocked by the offline test")
        return original(self, address, *args)
    return method


socket.socket.connect = _guarded(socket.socket.connect, "connect")
socket.socket.connect_ex = _guarded(socket.socket.connect_ex, "connect")
_sendto = socket.socket.sendto


def sendto(self, data, *rest):  # sendto(data, address) or sendto(data, flags, address)
    address = rest[-1]
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        _record(f"sendto {address!r}")
        raise OSError(errno.ENETUNREACH, "network use blocked by the offline test")
    return _sendto(self, data, *rest)


socket.socket.sendto = sendto
_getaddrinfo = socket.getaddrinfo


def getaddrinfo(host, *args, **kwargs):
    if not _is_local(host):
        _record(f"resolve {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, "name lookup blocked by the offline test")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = getaddrinfo
'''


@pytest.fixture
def guarded_env(tmp_path):
    """(environment, log file): Python processes started with it run under the socket guard."""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "connections.log"
    env = {k: v for k, v in os.environ.items() if k not in ("GOVREPORT_DATA",)}
    env.update(PYTHONPATH=os.pathsep.join([str(guard_dir), str(ROOT)]), GOVREPORT_SOCKET_LOG=str(log),
               GOVREPORT_CACHE_DIR=str(tmp_path / "cache"), HOME=str(tmp_path / "home"))
    return env, log


def _attempts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_the_guard_records_an_outside_connection_and_lets_loopback_through(guarded_env):
    env, log = guarded_env
    probe = """
import socket
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
socket.create_connection(server.getsockname(), timeout=2).close()
for attempt in (lambda: socket.create_connection(("192.0.2.1", 80), timeout=2),
                lambda: socket.getaddrinfo("example.org", 443),
                lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).connect(("8.8.8.8", 1))):
    try:
        attempt()
    except OSError:
        pass
"""
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, timeout=60)
    assert any("192.0.2.1" in a for a in _attempts(log))
    assert any("example.org" in a for a in _attempts(log))
    assert any("8.8.8.8" in a for a in _attempts(log))
    assert not any("127.0.0.1" in a for a in _attempts(log))


def test_the_cli_analyses_without_the_network(guarded_env, tmp_path):
    env, log = guarded_env
    out = tmp_path / "result.json"
    subprocess.run([sys.executable, "-m", "analyzer.cli", "analyze", str(SAMPLE), "--format", "json", "--out", str(out)],
                   env=env, cwd=tmp_path, check=True, timeout=300)
    assert '"findings"' in out.read_text(encoding="utf-8")
    assert _attempts(log) == []


def _start_app(cwd: Path, env: dict, port: int, log_path: Path) -> subprocess.Popen:
    """``streamlit run app.py`` in ``cwd``, with a copy of app.py there: Streamlit reads the config beside
    the script too, so only ``cwd/.streamlit/config.toml`` applies (app_support comes from PYTHONPATH)."""
    shutil.copy2(ROOT / "app.py", cwd / "app.py")
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                               cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    return process


def _run_app_once(port: int) -> list[str]:
    """Open a session as the browser does and run the app script once (it analyses the bundled sample);
    the types of the messages the server sent back."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    seen = []
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], open_timeout=30,
                 max_size=None) as websocket:
        request = BackMsg()
        request.rerun_script.query_string = ""
        websocket.send(request.SerializeToString())
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            message = ForwardMsg()
            message.ParseFromString(websocket.recv(timeout=deadline - time.monotonic()))
            seen.append(message.WhichOneof("type"))
            if seen[-1] == "script_finished":
                break
    return seen


def test_the_app_starts_and_analyses_without_the_network(guarded_env, tmp_path):
    env, log = guarded_env
    pytest.importorskip("websockets.sync.client")
    # a copy of the shipped config, in a folder of its own: what a user's `streamlit run` reads
    shutil.copytree(ROOT / ".streamlit", tmp_path / "site" / ".streamlit")
    port = free_port()
    process = _start_app(tmp_path / "site", env, port, tmp_path / "server.log")
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
        seen = _run_app_once(port)
    finally:
        stop(process)
    server_log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "script_finished" in seen and "delta" in seen, (seen, server_log[-3000:])
    assert "Traceback" not in server_log, server_log[-3000:]
    assert _attempts(log) == [], server_log[-3000:]


def test_without_the_shipped_config_streamlit_would_look_outside(guarded_env, tmp_path):
    """The control: headless with no server address, Streamlit tries to find the machine's IPs."""
    env, log = guarded_env
    site = tmp_path / "site"
    (site / ".streamlit").mkdir(parents=True)
    (site / ".streamlit" / "config.toml").write_text('[server]\nheadless = true\n[browser]\ngatherUsageStats = false\n',
                                                    encoding="utf-8")
    port = free_port()
    process = _start_app(site, env, port, tmp_path / "server.log")
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        deadline = time.monotonic() + 20
        while not _attempts(log) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop(process)
    assert _attempts(log), "the guard saw no lookup: it would not catch one either"
