"""A wildcard flood against the real server: how slow does a normal search get for everyone else?

Issue 16, item 13: four requests like `q=*a* *e* *i* *o* *n*` took a normal search from 13 ms to
66 s, because each made Whoosh expand its patterns over the whole term dictionary. This builds a
generated corpus of N documents (`corpus_generator`), indexes it, starts `kennisbank serve` on
loopback (`search_app.launcher`), and measures one client's normal searches (`queries`), one at a
time: first alone, then while FLOOD_CLIENTS other clients send wildcard queries without pause.
It prints p50/p95/p99 of both; the target is a normal search under 1 s at p99 during the flood.

    python -m bench.wildcard_flood --n 2000 --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.corpus_generator import Options, generate, manifest_matches
from bench.machine import load_average
from bench.measure import percentile
from bench.queries import generate_queries
from bench.run_all import DEFAULT_ROOT
from indexer.config import DATA_ENV
from indexer.indexing.pipeline import run_index
from search_app.launcher import running_server

FLOOD_CLIENTS = 8
# What an attacker sends: leading wildcards as in the issue, and short prefixes, which stay allowed.
FLOOD_QUERIES = ("*a* *e*", "*a* *e* *i* *o* *n*", "*en* *er* *st*", "?a* *o*", "be* ge* ve* on* in*")
NORMAL_QUERIES = 200
ALONE_SECONDS = 15.0
REQUEST_TIMEOUT_S = 300.0


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def row(self, label: str) -> str:
        millis = [percentile(self.seconds, share) * 1000 for share in (50, 95, 99)]
        worst = max(self.seconds, default=float("nan")) * 1000
        cells = " | ".join(f"{value:,.0f}" for value in (*millis, worst))
        return f"| {label} | {len(self.seconds)} | {len(self.errors)} | {cells} |"


def _requests(base: str, paths: list[str], stop: threading.Event, into: Latencies) -> None:
    """GET the paths in turn on one keep-alive connection until `stop` is set."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=REQUEST_TIMEOUT_S)
    number = 0
    while not stop.is_set():
        path = paths[number % len(paths)]
        number += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                into.errors.append(f"{path}: HTTP {response.status}")
                continue
        except (OSError, http.client.HTTPException) as exc:
            into.errors.append(f"{path}: {type(exc).__name__}")
            connection.close()
            continue
        into.seconds.append(time.perf_counter() - started)
    connection.close()


def _measure(base: str, normal: list[str], seconds: float, flood: list[str], flood_clients: int) -> tuple:
    """Normal searches for `seconds`, with `flood_clients` flooding meanwhile; both latencies."""
    stop, measured, flooded = threading.Event(), Latencies(), Latencies()
    flooders = [
        threading.Thread(target=_requests, args=(base, flood[number:] + flood[:number], stop, flooded))
        for number in range(flood_clients)
    ]
    for thread in flooders:
        thread.start()
    measuring = threading.Thread(target=_requests, args=(base, normal, stop, measured))
    measuring.start()
    time.sleep(seconds)
    stop.set()
    measuring.join()
    for thread in flooders:
        thread.join()
    return measured, flooded


def _prepared(root: Path, n: int) -> tuple[Path, Path]:
    corpus, index = root / "corpus", root / "index-flood"
    options = Options(n)
    if not manifest_matches(corpus, options):
        generate(corpus, options)
    started = time.perf_counter()
    report = run_index(corpus, index)
    print(f"Index of {n:,} documents ready in {time.perf_counter() - started:.0f} s ({len(report.failed)} failed).")
    return corpus, index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="number of generated documents")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="where corpora and indexes go")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the flood lasts")
    parser.add_argument("--clients", type=int, default=FLOOD_CLIENTS, help="flooding clients")
    args = parser.parse_args()
    root = args.root / f"n{args.n}"
    os.environ[DATA_ENV] = str(root / "data")  # the server's secret and staff database, not the user's
    corpus, index = _prepared(root, args.n)
    normal = [f"/zoeken?{urlencode(spec.url_args())}" for spec in generate_queries(NORMAL_QUERIES)]
    flood = [f"/zoeken?{urlencode({'q': text})}" for text in FLOOD_QUERIES]
    with (root / "flood-server.log").open("w") as log, running_server(corpus, index, output=log) as base:
        load_before = load_average()
        alone, _ = _measure(base, normal, ALONE_SECONDS, flood, 0)
        during, flooded = _measure(base, normal, args.seconds, flood, args.clients)
    print(f"### Normal searches during a wildcard flood, N = {args.n:,}\n")
    print("| requests | completed | errors | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(alone.row(f"normal search, alone ({ALONE_SECONDS:.0f} s)"))
    print(during.row(f"normal search, during the flood ({args.seconds:.0f} s)"))
    print(flooded.row(f"flood requests, {args.clients} clients"))
    print(
        f"\nOne client sends {NORMAL_QUERIES} distinct normal requests (GET /zoeken, `bench.queries`) one after "
        f"another; {args.clients} clients send {', '.join(f'`{q}`' for q in FLOOD_QUERIES)} in turn without "
        f"pause. Load average before: {load_before}. Errors: {(during.errors + flooded.errors)[:5]}"
    )


if __name__ == "__main__":
    main()
