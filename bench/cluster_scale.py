"""Issue 21: the real news posts indexed into the embedded engine, a three-node and a one-node
Typesense cluster on loopback, and searched over HTTP on each.

    python -m bench.cluster_scale --sizes sample            # 10,000 posts: index on each engine
    python -m bench.cluster_scale --sizes all --reuse       # 116,824 posts; keep what a run finished
    python -m bench.cluster_scale --only http --reuse       # search the indexes (and data folders) left

The corpus, the 10,000-post sample and the queries are `bench.scale`'s (the same tarball, seed and
folders under --root). Each engine gets the same command a user runs, `kennisbank index --rebuild`
(with `--engine typesense://…` for a cluster), in a fresh process; measured: wall time, CPU of the
command and its workers, its peak memory, and for a cluster each node's resident memory (now and peak),
CPU and data folder. The cluster's data folders are kept (with their ports and key) so the search stage
can start the same cluster again. Figures of each stage are kept as JSON under --root.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from bench import http_load, machine, news_queries
from bench.indexing import Workspace
from bench.measure import (
    Stopwatch,
    TreeSampler,
    _stat_fields,
    descendants,
    dir_bytes,
    fmt,
    status_kib,
    summary_ms,
    tree_status_kib,
)
from bench.scale import corpora, corpus_parser, staged
from indexer.backends.config import API_KEY_ENV
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import DOCUMENTS
from indexer.backends.typesense.errors import ClusterError
from indexer.engine.backend_choice import REPORT_FILE
from search_app.launcher import free_port, running
from tests.typesense_cluster import LocalCluster

# engine label -> nodes (0: the embedded engine)
ENGINES = {"embedded": 0, "cluster-3": 3, "cluster-1": 1}
STAGES = ("index", "http")
MIB = 1024 * 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LOG = "server.log"
RESTART_TIMEOUT_S = 1800.0
# A node has loaded its documents when their count stays the same this long.
SETTLED_S = 10.0


def state_folder(space: Workspace, engine: str) -> Path:
    """The embedded index, or a cluster's run state (lock, hashes, report) on the indexing machine."""
    return space.root / f"index-{engine}"


def nodes_folder(space: Workspace, engine: str) -> Path:
    return space.root / f"nodes-{engine}"


def cluster_of(space: Workspace, engine: str, fresh: bool) -> LocalCluster:
    """A new cluster in empty data folders, or (not `fresh`) the one left there, on its ports and key."""
    root = nodes_folder(space, engine)
    settings = root / "cluster.json"
    if fresh:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        cluster = LocalCluster(root, size=ENGINES[engine])
        kept = {"api_ports": cluster.api_ports, "peering_ports": cluster.peering_ports, "api_key": cluster.api_key}
        settings.write_text(json.dumps(kept))
        return cluster
    return LocalCluster(root, size=ENGINES[engine], **json.loads(settings.read_text()))


def node_figures(cluster: LocalCluster) -> list[dict]:
    """Each node's memory, CPU and data folder (its log aside)."""
    figures = []
    for index, process in enumerate(cluster.processes):
        assert process is not None
        data = cluster.data_dir(index)
        stat = _stat_fields(process.pid) or ["0"] * 13
        figures.append(
            {
                "rss_mib": status_kib(process.pid, "VmRSS") / 1024,
                "peak_rss_mib": status_kib(process.pid, "VmHWM") / 1024,
                "cpu_s": (int(stat[11]) + int(stat[12])) / CLOCK_TICKS,
                "data_mib": (dir_bytes(data) - (data / LOG).stat().st_size) / MIB,
            }
        )
    return figures


def cpu_at_exit(process: subprocess.Popen) -> float:
    """CPU seconds of `process` itself, read when it has exited but before it is reaped (its workers
    are not its children, so its rusage would miss them: `TreeSampler` counts those)."""
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    stat = _stat_fields(process.pid) or ["0"] * 13
    process.wait()
    return (int(stat[11]) + int(stat[12])) / CLOCK_TICKS


def index_stage(space: Workspace, engine: str) -> dict:
    """`kennisbank index --rebuild` from nothing, on the engine named."""
    state = state_folder(space, engine)
    shutil.rmtree(state, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "kennisbank"), "index", "--rebuild"]
    command += ["--corpus", str(space.corpus), "--index", str(state)]
    env = dict(os.environ)
    cluster = cluster_of(space, engine, fresh=True) if ENGINES[engine] else None
    try:
        if cluster is not None:
            cluster.start_all()
            command += ["--engine", cluster.engine_setting]
            env[API_KEY_ENV] = cluster.api_key
        load_before = machine.load_average()
        errors = state.parent / f"index-{engine}.log"
        with Stopwatch() as watch, errors.open("w") as log:
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
            with TreeSampler(process.pid) as sampler:
                own_cpu_s = cpu_at_exit(process)
        if process.returncode not in (0, 1):  # 1: some posts were refused (empty), as with every run
            raise RuntimeError(f"{shlex.join(command)} failed:\n{errors.read_text()[-3000:]}")
        return {
            "seconds": watch.seconds,
            "documents": len(json.loads((state / REPORT_FILE).read_text())["indexed"]),
            "command_cpu_s": own_cpu_s + sampler.usage.descendant_cpu_s,
            "command_peak_mib": sampler.usage.peak_tree_rss_kib / 1024,
            "state_mib": dir_bytes(state) / MIB,
            "nodes": node_figures(cluster) if cluster else [],
            "load_before": load_before,
        }
    finally:
        if cluster is not None:
            cluster.stop()


def nodes_cpu_s(cluster: LocalCluster | None) -> float:
    return sum(node["cpu_s"] for node in node_figures(cluster)) if cluster else 0.0


def wait_for_alias(cluster: LocalCluster) -> None:
    """Until every node serves the documents alias: `/health` says ok while a node still applies the
    writes it queued, and the alias is among the last of them (a front end started sooner refuses)."""
    client = TypesenseClient.from_config(cluster.config)
    path = f"/aliases/{DOCUMENTS.alias(cluster.config.prefix)}"
    deadline = time.monotonic() + RESTART_TIMEOUT_S
    for node in cluster.nodes:
        while True:
            try:
                client.on_node(node, "GET", path)
                break
            except ClusterError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1.0)


def served_counts(cluster: LocalCluster) -> list[int]:
    """Each node's count of documents in the served build."""
    client = TypesenseClient.from_config(cluster.config)
    alias = f"/aliases/{DOCUMENTS.alias(cluster.config.prefix)}"
    counts = []
    for node in cluster.nodes:
        served = client.on_node(node, "GET", alias)["collection_name"]
        counts.append(client.on_node(node, "GET", f"/collections/{served}")["num_documents"])
    return counts


def wait_for_documents(cluster: LocalCluster) -> int:
    """Until every node has loaded the served build: the same count on every node, unchanged for
    `SETTLED_S`. A restarted node serves the alias while it still loads the build's documents, and a
    front end started then would take the missing ones for new files and index them again."""
    deadline = time.monotonic() + RESTART_TIMEOUT_S
    before = served_counts(cluster)
    while True:
        time.sleep(SETTLED_S)
        counts = served_counts(cluster)
        if counts == before and len(set(counts)) == 1:
            return counts[0]
        if time.monotonic() > deadline:
            raise TimeoutError(f"the nodes did not settle: {counts}")
        before = counts


def tree_cpu_s(pid: int) -> float:
    """CPU seconds so far of a process and everything below it (a server's master and workers)."""
    stats = (_stat_fields(process) for process in descendants(pid))
    return sum(int(stat[11]) + int(stat[12]) for stat in stats if stat) / CLOCK_TICKS


def http_stage(space: Workspace, engine: str, queries: Path) -> dict:
    """16 keep-alive clients on `kennisbank serve` (`bench.http_load`'s server and load), on the engine
    named; for a cluster also the CPU its nodes spent on the load (not on starting)."""
    data = space.root / f"data-{engine}"
    data.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = http_load.serve_command(space.corpus, state_folder(space, engine), data, port)
    env = {**os.environ, "KENNISBANK_SECRET_KEY": "benchmark-only-secret"}
    cluster = cluster_of(space, engine, fresh=False) if ENGINES[engine] else None
    paths = http_load.search_paths("/api/zoeken", news_queries.load(queries))
    restart, served = Stopwatch(), None
    limits = {"clients": http_load.CLIENTS, "max_requests": http_load.MAX_REQUESTS}
    try:
        if cluster is not None:
            with restart:  # a node replays its Raft log since its last snapshot, then loads the documents
                for index in range(len(cluster.nodes)):
                    cluster.start(index)
                cluster.wait_until_healthy(timeout_s=RESTART_TIMEOUT_S)
                wait_for_alias(cluster)
                served = wait_for_documents(cluster)
            command += ["--engine", cluster.engine_setting]
            env[API_KEY_ENV] = cluster.api_key
        load_before = machine.load_average()
        with (
            (data / "server.log").open("w") as log,
            running(command, port, paths[0], log, env, http_load.REPO, http_load.START_TIMEOUT_S) as server,
        ):
            http_load.load(port, paths[: http_load.WARM_UP_REQUESTS], 1, http_load.WARM_UP_REQUESTS, 60.0)
            cpu_before, server_cpu_before = nodes_cpu_s(cluster), tree_cpu_s(server.pid)
            result = http_load.load(port, paths, max_seconds=http_load.MAX_SECONDS, **limits)
            nodes_cpu, server_cpu = nodes_cpu_s(cluster) - cpu_before, tree_cpu_s(server.pid) - server_cpu_before
            server_rss_mib = tree_status_kib(server.pid, "VmRSS") / 1024
        return {
            "requests": len(result.latencies),
            "errors": result.errors,
            "error_samples": result.error_samples,
            "per_second": len(result.latencies) / result.seconds,
            **{f"{stat}_ms": value for stat, value in summary_ms(result.latencies).items()},
            "server_rss_mib": server_rss_mib,
            "nodes_cpu_ms_per_search": 1000 * nodes_cpu / max(1, len(result.latencies)),
            "server_cpu_ms_per_search": 1000 * server_cpu / max(1, len(result.latencies)),
            "nodes": node_figures(cluster) if cluster else [],
            "restart_s": restart.seconds if cluster else None,
            "documents_served": served,
            "load_before": load_before,
        }
    finally:
        if cluster is not None:
            cluster.stop()


def _total(result: dict, key: str) -> float:
    return sum(node[key] for node in result.get("nodes", []))


INDEX_ROWS = (
    ("documents indexed", lambda r: r["documents"]),
    ("wall time (s)", lambda r: r["seconds"]),
    ("documents/s", lambda r: r["documents"] / r["seconds"]),
    ("CPU s, kennisbank index and its workers", lambda r: r["command_cpu_s"]),
    ("CPU s, Typesense nodes (all)", lambda r: _total(r, "cpu_s") if r["nodes"] else None),
    ("peak RSS, kennisbank index (MiB)", lambda r: r["command_peak_mib"]),
    ("index on disk (MiB): embedded index / state folder", lambda r: r["state_mib"]),
    ("data folder per node (MiB)", lambda r: max((n["data_mib"] for n in r["nodes"]), default=None)),
    ("RSS per node after indexing (MiB)", lambda r: max((n["rss_mib"] for n in r["nodes"]), default=None)),
    ("peak RSS per node (MiB)", lambda r: max((n["peak_rss_mib"] for n in r["nodes"]), default=None)),
    (
        "RSS per node per 1,000 documents (MiB)",
        lambda r: max((n["rss_mib"] for n in r["nodes"]), default=0) * 1000 / r["documents"] or None,
    ),
)
HTTP_ROWS = (
    ("requests", lambda r: r["requests"]),
    ("errors", lambda r: r["errors"]),
    ("searches/s", lambda r: r["per_second"]),
    ("p50 (ms)", lambda r: r["p50_ms"]),
    ("p95 (ms)", lambda r: r["p95_ms"]),
    ("p99 (ms)", lambda r: r["p99_ms"]),
    ("RSS of kennisbank serve after the load (MiB)", lambda r: r["server_rss_mib"]),
    ("CPU ms of kennisbank serve per search", lambda r: r.get("server_cpu_ms_per_search")),
    ("CPU ms of the Typesense nodes per search (all nodes)", lambda r: r["nodes_cpu_ms_per_search"] or None),
    ("cluster restart until every node serves its documents (s)", lambda r: r.get("restart_s")),
    ("documents every node serves after the restart", lambda r: r.get("documents_served")),
    ("RSS per node after the load (MiB)", lambda r: max((n["rss_mib"] for n in r["nodes"]), default=None)),
)


def table(title: str, rows: tuple, results: dict[str, dict]) -> str:
    """metric | one column per engine that has figures."""
    engines = [engine for engine in ENGINES if engine in results]
    lines = [f"#### {title}", "", f"| metric | {' | '.join(engines)} |", "|---|" + "---:|" * len(engines)]
    for label, value in rows:
        lines.append(f"| {label} | " + " | ".join(fmt(value(results[engine])) for engine in engines) + " |")
    loads = "; ".join(f"{engine}: {results[engine]['load_before']}" for engine in engines)
    return "\n".join([*lines, "", f"Load average before: {loads}.", ""])


def main() -> None:
    parser = corpus_parser(__doc__)
    parser.add_argument("--only", nargs="+", choices=STAGES, default=("index",))
    parser.add_argument("--engines", nargs="+", choices=tuple(ENGINES), default=tuple(ENGINES))
    args = parser.parse_args()
    print(f"$ python -m bench.cluster_scale {shlex.join(sys.argv[1:])}\n\n{machine.describe()}\n", flush=True)
    spaces, queries = corpora(args)
    for size in args.sizes:
        space = spaces[size]
        for stage in args.only:
            results = {}
            for engine in args.engines:
                stages = {
                    "index": partial(index_stage, space, engine),
                    "http": partial(http_stage, space, engine, queries),
                }
                results[engine] = staged(space, f"cluster-{stage}-{engine}", args.reuse, stages[stage])
                print(json.dumps({size: {engine: results[engine]}}), flush=True)
            rows = INDEX_ROWS if stage == "index" else HTTP_ROWS
            print(table(f"{stage}, {space.n:,} posts", rows, results), flush=True)


if __name__ == "__main__":
    main()
