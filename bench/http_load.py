"""Benchmarks 5 and 6: searches over HTTP with concurrent keep-alive clients, then server memory.

Ours is the production configuration, `kennisbank serve` (gunicorn via search_app.server.serve),
started as a subprocess on 127.0.0.1 on a free port; the baseline is `bench.baseline_server` on the
same server configuration.
The load generator is threads with one http.client keep-alive connection each; a run stops at a
request count or a time limit, whichever comes first. Loopback only.
"""

from __future__ import annotations

import http.client
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.machine import load_average
from bench.measure import percentile, print_table, tree_status_kib
from bench.queries import QuerySpec, generate_queries
from search_app.launcher import HOST, free_port, running

REPO = Path(__file__).resolve().parent.parent
CLIENTS = 16
MAX_REQUESTS = 3000
MAX_SECONDS = 60.0
WARM_UP_REQUESTS = 10
START_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 30.0


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0


class _Budget:
    """Hands out request numbers until the count or the time limit is reached."""

    def __init__(self, max_requests: int, max_seconds: float) -> None:
        self.lock = threading.Lock()
        self.next = 0
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_seconds

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.max_requests or time.monotonic() >= self.deadline:
                return None
            self.next += 1
            return self.next - 1


def _client(port: int, paths: Sequence[str], budget: _Budget, result: LoadResult, lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    while (number := budget.take()) is not None:
        path = paths[number % len(paths)]
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            ok, reason = response.status == 200, f"HTTP {response.status}"
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            ok, reason = False, f"{type(exc).__name__}: {exc}"
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        elapsed = time.perf_counter() - started
        with lock:
            if ok:
                result.latencies.append(elapsed)
            else:
                result.errors += 1
                if len(result.error_samples) < 5:
                    result.error_samples.append(f"{path}: {reason}")
    connection.close()


def load(port: int, paths: Sequence[str], clients: int, max_requests: int, max_seconds: float) -> LoadResult:
    result, lock = LoadResult(), threading.Lock()
    budget = _Budget(max_requests, max_seconds)
    threads = [threading.Thread(target=_client, args=(port, paths, budget, result, lock)) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class ServerRun:
    load: LoadResult
    rss_before_kib: int
    rss_after_kib: int
    peak_rss_kib: int
    anon_after_kib: int  # the Python heap and other private memory
    file_after_kib: int  # mapped index files: page cache the kernel can reclaim


def serve_and_load(command: list[str], port: int, paths: Sequence[str], env: dict, log: Path, **limits) -> ServerRun:
    """Start a server, warm it up with a few requests, load it, read its memory, stop it."""
    with log.open("w") as output, running(command, port, paths[0], output, env, REPO, START_TIMEOUT_S) as process:
        load(port, paths[:WARM_UP_REQUESTS], 1, WARM_UP_REQUESTS, MAX_SECONDS)
        before = tree_status_kib(process.pid, "VmRSS")
        result = load(port, paths, **limits)
        return ServerRun(
            result,
            before,
            tree_status_kib(process.pid, "VmRSS"),
            tree_status_kib(process.pid, "VmHWM"),
            tree_status_kib(process.pid, "RssAnon"),
            tree_status_kib(process.pid, "RssFile"),
        )


def search_paths(prefix: str, specs: list[QuerySpec]) -> list[str]:
    """The request paths of `specs` on a search page at `prefix` (ours: /zoeken)."""
    return [f"{prefix}?{urlencode(spec.url_args())}" for spec in specs]


def serve_command(corpus: Path, index: Path, data_dir: Path, port: int) -> list[str]:
    """Our production server as a user starts it (`kennisbank serve`), on loopback."""
    command = [str(Path(sys.executable).parent / "kennisbank"), "serve", "--corpus", str(corpus), "--index", str(index)]
    return [*command, "--host", HOST, "--port", str(port), "--data", str(data_dir)]


def benchmark(
    corpus: Path,
    indexes: dict[str, Path],
    data_dir: Path,
    n: int,
    clients: int = CLIENTS,
    max_requests: int = MAX_REQUESTS,
    max_seconds: float = MAX_SECONDS,
    queries: int = 600,
) -> tuple[str, str, dict]:
    """Benchmarks 5 and 6 for both systems; returns both tables and the raw runs."""
    specs = generate_queries(queries)
    limits = {"clients": clients, "max_requests": max_requests, "max_seconds": max_seconds}
    env = {**os.environ, "KENNISBANK_SECRET_KEY": "benchmark-only-secret"}
    runs, loads = {}, []
    port = free_port()
    loads.append(load_average())
    runs["ours"] = serve_and_load(
        serve_command(corpus, indexes["ours"], data_dir, port),
        port,
        search_paths("/zoeken", specs),
        env,
        data_dir / "ours.log",
        **limits,
    )
    port = free_port()
    base_command = [sys.executable, "-m", "bench.baseline_server", "--index", str(indexes["baseline"])]
    base_command += ["--port", str(port)]
    loads.append(load_average())
    runs["baseline"] = serve_and_load(
        base_command, port, search_paths("/search", specs), env, data_dir / "baseline.log", **limits
    )
    ours, base = runs["ours"].load, runs["baseline"].load

    def stat(result: LoadResult, share: float) -> float:
        return percentile(result.latencies, share) * 1000

    rows = [
        ("requests completed", len(ours.latencies), len(base.latencies)),
        ("errors", ours.errors, base.errors),
        ("duration (s)", ours.seconds, base.seconds),
        ("throughput (searches/s)", len(ours.latencies) / ours.seconds, len(base.latencies) / base.seconds),
        ("p50 (ms)", stat(ours, 50), stat(base, 50)),
        ("p95 (ms)", stat(ours, 95), stat(base, 95)),
        ("p99 (ms)", stat(ours, 99), stat(base, 99)),
    ]
    note = (
        f"{clients} concurrent keep-alive clients, at most {max_requests} requests or {max_seconds:.0f} s, "
        f"{len(specs)} distinct requests in turn; ours GET /zoeken (the HTML results page), the baseline GET "
        f"/search (JSON); {WARM_UP_REQUESTS} warm-up requests not counted. Load average before ours: {loads[0]}, "
        f"before baseline: {loads[1]}."
    )
    for name, result in (("ours", ours), ("baseline", base)):
        if result.error_samples:
            note += f" Errors ({name}): {result.error_samples}"
    load_table = print_table(f"5. HTTP load, {clients} clients, N = {n:,}", rows, note)

    def mib(attribute: str) -> tuple[float, float]:
        return getattr(runs["ours"], attribute) / 1024, getattr(runs["baseline"], attribute) / 1024

    memory_rows = [
        ("RSS after warm-up (MiB)", *mib("rss_before_kib")),
        ("RSS after the load (MiB)", *mib("rss_after_kib")),
        ("  of which anonymous, RssAnon (MiB)", *mib("anon_after_kib")),
        ("  of which mapped files, RssFile (MiB)", *mib("file_after_kib")),
        ("peak RSS, VmHWM (MiB)", *mib("peak_rss_kib")),
    ]
    memory_table = print_table(
        f"6. Server memory, N = {n:,}",
        memory_rows,
        "From /proc/<pid>/status, summed over the server's processes (gunicorn's master and workers; peak RSS: "
        "the sum of each process's own peak).",
    )
    return load_table, memory_table, runs
