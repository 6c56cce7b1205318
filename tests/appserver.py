"""Starting the Streamlit app for a test: a free loopback port, a wait for its health check, a stop."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

START_TIMEOUT = 120  # seconds for the server to answer its health check (a loaded 2-core machine is slow)


def stop(process: subprocess.Popen) -> None:
    """Stop the server, killing it if it does not end within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, *, timeout: float = START_TIMEOUT) -> None:
    """Return once ``url`` answers its health check; raise if the server exits or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout} s")
