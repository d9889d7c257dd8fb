"""`kennisbank serve` as a child process on a free loopback port, waited for until it answers.

For what exercises the real server from outside: the browser and HTTP tests, `scripts/loadtest.py`
and the benchmarks (`free_port`).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 60.0
_POLL_S = 0.2


class ServerStartError(RuntimeError):
    """The server exited or did not answer in time."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def running(
    command: list[str],
    port: int,
    ready_path: str = "/",
    output: IO | int = subprocess.DEVNULL,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout_s: float = STARTUP_TIMEOUT_S,
) -> Iterator[subprocess.Popen]:
    """Start a server `command` that listens on `port`, yield its process once `ready_path`
    answers, and stop it afterwards; its output goes to `output`."""
    # The caller's own server command (ours, or the benchmarks' baseline).
    server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=cwd)  # noqa: S603
    url = f"http://{HOST}:{port}{ready_path}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise ServerStartError(f"{command[0]} did not start (exit code {server.poll()})") from exc
                time.sleep(_POLL_S)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def running_server(corpus: Path, index: Path, *options: str, output: IO | int = subprocess.DEVNULL) -> Iterator[str]:
    """Yield the base URL of `kennisbank serve` on `corpus` and `index` (plus `options`), stopping
    it afterwards; its output goes to `output`."""
    port = free_port()
    command = [sys.executable, "-m", "search_app.main", "serve", "--corpus", str(corpus), "--index", str(index)]
    with running([*command, "--port", str(port), *options], port, output=output):
        yield f"http://{HOST}:{port}"
