"""Issue 22 item 2: the word table for suggestions, written per commit by the indexer, mapped by servers.

Two figures on an index of N documents (commits are made in it: give it a copy):

- `--what commit`: what the table adds to every commit: `write_word_table` after an empty commit
  (its cost depends on the index's words, not on the commit's size), beside the commit itself;
- `--what memory`: `kennisbank serve` on the index after ordinary, then after misspelled searches
  from several clients, per process: RSS, its private part (RssAnon, the Python heap) and PSS
  (shared pages counted once in all); one worker by default, so that it serves every search.
  `--source` runs the code of another checkout (for the figures before the change: a `git archive`
  of it).

    python -m bench.word_table --what commit --index /tmp/copy/index
    python -m bench.word_table --what memory --index /tmp/copy/index --corpus /tmp/kb/bench/n10000/corpus
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.http_load import REPO, START_TIMEOUT_S, load
from bench.measure import descendants, dir_bytes, status_kib
from bench.queries import generate_queries
from indexer.backends.whoosh.store import IndexStore
from indexer.backends.whoosh.word_table import write_word_table
from search_app.launcher import free_port, running

COMMITS = 5
CLIENTS = 8
REQUESTS = 400


def commit_cost(root: Path, commits: int) -> None:
    """Median seconds of an empty commit and of the table written after it."""
    index = IndexStore(root).open()
    commit_s, table_s, table_cpu_s = [], [], []
    for number in range(commits):
        started = time.perf_counter()
        writer = index.writer()  # Whoosh's own writer: a commit without the table
        writer.delete_by_term("parent", f"bench-word-table-{number}")
        writer.commit(merge=False)
        commit_s.append(time.perf_counter() - started)
        started, started_cpu = time.perf_counter(), time.process_time()
        write_word_table(index, {})
        table_s.append(time.perf_counter() - started)
        table_cpu_s.append(time.process_time() - started_cpu)
    folder = Path(index.storage.folder)
    tables = sorted(folder.glob("wordtable-*"))
    with index.reader() as reader:
        documents = reader.doc_count()
    print(f"documents (records) {documents}; commits {commits}")
    print(
        f"empty commit: median {statistics.median(commit_s):.3f} s; table after it: median "
        f"{statistics.median(table_s):.3f} s (min {min(table_s):.3f}, max {max(table_s):.3f}), CPU median "
        f"{statistics.median(table_cpu_s):.3f} s"
    )
    print(f"table on disk: {dir_bytes(tables[-1]) / 2**20:.1f} MiB in {tables[-1].name}")


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _memory(pid: int) -> dict[str, float]:
    """MiB of one process: RSS, its private part, its mapped files and PSS."""
    kib = {key: status_kib(pid, key) for key in ("VmRSS", "RssAnon", "RssFile")}
    return {**kib, "Pss": _pss_kib(pid)}


def server_memory(root: Path, corpus: Path, source: Path, processes: int) -> None:
    """Start the server of `source` on the index; per process, the memory after ordinary searches,
    then after misspelled ones (which need the word table)."""
    queries = generate_queries(3000)
    ordinary = [f"/zoeken?{urlencode(spec.url_args())}" for spec in queries if "typo" not in spec.category]
    typos = [f"/zoeken?{urlencode(spec.url_args())}" for spec in queries if spec.category == "typo"]
    port = free_port()
    command = [sys.executable, "-m", "search_app.main", "serve", "--corpus", str(corpus), "--index", str(root)]
    env = {**os.environ, "PYTHONPATH": str(source)}
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryFile("w+") as log:
        command += ["--data", data, "--port", str(port), "--processen", str(processes)]
        with running(command, port, "/", log, env, source, START_TIMEOUT_S) as process:
            rounds = {}
            for name, paths in (("ordinary searches", ordinary), ("misspelled searches", typos)):
                result = load(port, paths, CLIENTS, REQUESTS, 120.0)
                time.sleep(2.0)  # the code before the change built its tables in a background thread
                print(f"{name}: {len(result.latencies)} answered, {result.errors} errors")
                rounds[name] = {pid: _memory(pid) for pid in descendants(process.pid)}
    before, after = rounds.values()
    for pid, memory in after.items():
        shown = ", ".join(f"{key} {before[pid][key] / 1024:.1f} -> {value / 1024:.1f}" for key, value in memory.items())
        print(f"pid {pid} (MiB, after ordinary -> after misspelled searches): {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--what", choices=("commit", "memory"), required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--source", type=Path, default=REPO)
    parser.add_argument("--commits", type=int, default=COMMITS)
    parser.add_argument("--processes", type=int, default=1, help="server processes (1: every search in one)")
    args = parser.parse_args()
    if args.what == "commit":
        commit_cost(args.index, args.commits)
    else:
        server_memory(args.index, args.corpus, args.source, args.processes)


if __name__ == "__main__":
    main()
