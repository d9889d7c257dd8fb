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
def running_server(
    corpus: Path,
    index: Path,
    *options: str,
    output: IO | int = subprocess.DEVNULL,
    timeout_s: float = STARTUP_TIMEOUT_S,
) -> Iterator[str]:
    """Yield the base URL of `kennisbank serve` on `corpus` and `index` (plus `options`), stopping
    it afterwards; its output goes to `output`."""
    port = free_port()
    command = [sys.executable, "-m", "search_app.cli", "serve", "--corpus", str(corpus), "--index", str(index)]
    # Our own interpreter and module; the arguments are paths and options of the caller's.
    server = subprocess.Popen(  # noqa: S603
        [*command, "--port", str(port), *options], stdout=output, stderr=subprocess.STDOUT
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()  # noqa: S310 - the http URL built above
                break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise ServerStartError(f"kennisbank serve did not start (exit code {server.poll()})") from exc
                time.sleep(_POLL_S)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
