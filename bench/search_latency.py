"""Benchmark 4: in-process search latency of one whole request (parse, search, facets, highlights).

Each system runs in a fresh process that opens the index and runs every distinct query once
(cold: first run of each query on a freshly opened index, so the first request also builds any
per-index caches), then runs them all again (warm). Besides wall time we record each request's
CPU time (time.thread_time), which other load on the machine does not inflate.

    python -m bench.search_latency --system ours --corpus C --index I   # one job, prints JSON
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.baseline import BaselineSearch
from bench.machine import load_average
from bench.measure import print_table, summary_ms
from bench.queries import DEFAULT_COUNT, QuerySpec, generate_queries
from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import CorpusLayout
from indexer.engine.query_context import QueryContext
from indexer.themes.taxonomy import load_taxonomy

Runner = Callable[[QuerySpec], int]  # runs one request, returns the number of matching documents


def ours_runner(corpus: Path, index_root: Path) -> Runner:
    """One request as the website makes it: `indexer.backends.whoosh.search.search` for page 1 of 10 hits."""
    index = IndexStore(index_root).open()
    context = QueryContext.from_taxonomy(load_taxonomy(CorpusLayout(corpus).themes_dir))

    def run(spec: QuerySpec) -> int:
        selections = {field: set(values) for field, values in spec.selections.items()}
        return search(index, spec.text, context, selections=selections, page_size=10).total

    return run


def baseline_runner(index_root: Path) -> Runner:
    baseline = BaselineSearch(index_root)
    return lambda spec: baseline.run(spec)["total"]


def timed_pass(run: Runner, specs: list[QuerySpec]) -> tuple[list[float], list[float], int]:
    """Wall and CPU seconds per request, and how many requests found nothing."""
    walls, cpus, empty = [], [], 0
    for spec in specs:
        cpu, wall = time.thread_time(), time.perf_counter()
        total = run(spec)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.thread_time() - cpu)
        empty += total == 0
    return walls, cpus, empty


def job(system: str, corpus: Path, index_root: Path, count: int, seed: int) -> dict:
    specs = generate_queries(count, seed)
    if system == "ours":
        return passes(lambda: ours_runner(corpus, index_root), specs)
    return passes(lambda: baseline_runner(index_root), specs)


def passes(open_runner: Callable[[], Runner], specs: list[QuerySpec]) -> dict:
    """Open the index, then time every request cold (first run of each) and warm (second run).

    Meant for a fresh process, so that "cold" means no cache of an earlier run helps.
    """
    started = time.perf_counter()
    run = open_runner()
    opened = time.perf_counter() - started
    cold_wall, cold_cpu, empty = timed_pass(run, specs)
    warm_wall, warm_cpu, _ = timed_pass(run, specs)
    return {
        "queries": len(specs),
        "open_s": opened,
        "first_s": cold_wall[0],
        "cold_wall": cold_wall,
        "cold_cpu": cold_cpu,
        "warm_wall": warm_wall,
        "warm_cpu": warm_cpu,
        "empty": empty,
    }


def benchmark(corpus: Path, indexes: dict[str, Path], n: int, count: int = DEFAULT_COUNT, seed: int = 7) -> tuple:
    """Run both systems, each in a fresh process, and print the table."""
    results, loads = {}, []
    for system in ("ours", "baseline"):
        loads.append(load_average())
        command = [sys.executable, "-m", "bench.search_latency", "--system", system]
        command += ["--corpus", str(corpus), "--index", str(indexes[system]), "--count", str(count)]
        command += ["--seed", str(seed)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent)
        if done.returncode != 0:
            raise RuntimeError(f"{system} search job failed:\n{done.stderr[-3000:]}")
        results[system] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, base = results["ours"], results["baseline"]
    rows = []
    passes = (("cold", "cold_wall"), ("warm", "warm_wall"), ("cold CPU", "cold_cpu"), ("warm CPU", "warm_cpu"))
    for label, key in passes:
        ours_ms, base_ms = summary_ms(ours[key]), summary_ms(base[key])
        for stat in ("p50", "p95", "p99", "mean") if "CPU" not in label else ("p50", "p95"):
            rows.append((f"{label} {stat} (ms)", ours_ms[stat], base_ms[stat]))
    rows += [
        ("open index (ms)", ours["open_s"] * 1000, base["open_s"] * 1000),
        ("first request, cold caches (ms)", ours["first_s"] * 1000, base["first_s"] * 1000),
        ("max cold request (ms)", max(ours["cold_wall"]) * 1000, max(base["cold_wall"]) * 1000),
        ("requests with no hits", ours["empty"], base["empty"]),
    ]
    note = (
        f"{ours['queries']} distinct requests (page 1 of 10 hits with facet counts and highlighted snippets). "
        f"Wall time; the CPU rows are the request thread's CPU time. Load average before ours: {loads[0]}, "
        f"before baseline: {loads[1]}."
    )
    return print_table(f"4. Search latency in process, N = {n:,}", rows, note), results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--system", choices=("ours", "baseline"), required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    json.dump(job(args.system, args.corpus, args.index, args.count, args.seed), sys.stdout)
    print()


if __name__ == "__main__":
    main()
