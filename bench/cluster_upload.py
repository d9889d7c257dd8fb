"""Issue 21 item 2: how soon a staff upload is found on each node of a three-node cluster.

    python -m bench.cluster_upload [--posts 1000] [--uploads 20]

A cluster on loopback is filled with `--posts` real news posts (`bench.scale`'s corpus). Then
`--uploads` notes are added one at a time as a staff upload adds them (`indexer.corpus.journal`: the
file into the corpus, then `run_index` of that one file), each with a made-up word of its own. From
the moment the upload returns, one thread per node searches that node for the word until the note is
among the hits. Printed: the upload's own time, and per node (leader, followers) the time from the
upload's return until a search on that node finds it, and how often the first search already did.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from bench import machine
from bench.measure import Stopwatch, print_table, summary_ms
from bench.scale import DEFAULT_ROOT, posts, unpack
from indexer.backends.config import Node
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import DOCUMENTS, token_field
from indexer.corpus.layout import NEWS_ARCHIVE
from indexer.indexing.pipeline import run_index
from tests.typesense_cluster import LocalCluster
from tests.typesense_support import analysed, leader_node

# A search that has not found the note after this long counts as a miss (it should take milliseconds).
GIVE_UP_S = 10.0


def marker(number: int) -> str:
    """A made-up word no post contains, one per upload."""
    return "kwelpotrax" + chr(ord("a") + number // 26) + chr(ord("a") + number % 26)


def found_on(client: TypesenseClient, node: Node, alias: str, words: str, name: str) -> bool:
    params = {"q": words, "query_by": token_field("content"), "include_fields": "path"}
    answer = client.on_node(node, "GET", f"/collections/{alias}/documents/search", params=params)
    return any(hit["document"]["path"] == name for hit in answer["hits"])


def time_to_found(
    client: TypesenseClient, alias: str, words: str, name: str, since: float, node: Node
) -> tuple[float, bool]:
    """(seconds from `since` until `node` finds `name`, whether the first search did)."""
    first = True
    while not found_on(client, node, alias, words, name):
        first = False
        if time.perf_counter() - since > GIVE_UP_S:
            return float("nan"), False
    return time.perf_counter() - since, first


def measure(corpus: Path, state: Path, cluster: LocalCluster, uploads: int) -> dict[str, list]:
    client = TypesenseClient.from_config(cluster.config)
    alias = DOCUMENTS.alias(cluster.config.prefix)
    leader = leader_node(client)
    roles = {str(node): "leader" if node == leader else "follower" for node in cluster.nodes}
    figures: dict[str, list] = {"upload_s": [], "leader": [], "follower": [], "first_leader": [], "first_follower": []}
    for number in range(uploads):
        word = marker(number)
        name = f"melding-{word}.md"
        (corpus / name).write_text(f"# Melding {word}\n\nDe wijkagent meldt {word} in de buurt van het station.\n")
        with Stopwatch() as upload:
            run_index(corpus, state, paths=[name], engine=cluster.config)
        returned = time.perf_counter()
        figures["upload_s"].append(upload.seconds)
        watch = partial(time_to_found, client, alias, analysed(word), name, returned)
        with ThreadPoolExecutor(len(cluster.nodes)) as pool:  # one searcher per node, all at once
            results = dict(zip(map(str, cluster.nodes), pool.map(watch, cluster.nodes), strict=True))
        for node, (seconds, first) in results.items():
            figures[roles[node]].append(seconds)
            figures[f"first_{roles[node]}"].append(first)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarball", type=Path, default=NEWS_ARCHIVE)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--posts", type=int, default=1000, help="news posts in the cluster before the uploads")
    parser.add_argument("--uploads", type=int, default=20)
    args = parser.parse_args()
    print(f"$ python -m bench.cluster_upload --posts {args.posts} --uploads {args.uploads}\n\n{machine.describe()}\n")
    chosen = posts(unpack(args.tarball, args.root).corpus)[: args.posts]
    with tempfile.TemporaryDirectory(prefix="kb-upload-") as scratch:
        corpus, state = Path(scratch) / "corpus", Path(scratch) / "state"
        corpus.mkdir()
        for path in chosen:
            os.link(path, corpus / path.name)
        (Path(scratch) / "nodes").mkdir()
        cluster = LocalCluster(Path(scratch) / "nodes")
        try:
            cluster.start_all()
            run_index(corpus, state, engine=cluster.config)
            load_before = machine.load_average()
            figures = measure(corpus, state, cluster, args.uploads)
        finally:
            cluster.stop()
            shutil.rmtree(corpus, ignore_errors=True)
    found = {key: [s for s in figures[key] if s == s] for key in ("upload_s", "leader", "follower")}  # NaN: missed
    upload, leader, follower = (summary_ms(found[key]) for key in ("upload_s", "leader", "follower"))
    rows = [(f"{stat} (ms)", leader[stat], follower[stat]) for stat in ("p50", "p95", "max")]
    rows.append(("found by the first search", sum(figures["first_leader"]), sum(figures["first_follower"])))
    rows.append(("uploads watched", len(figures["leader"]), len(figures["follower"])))
    misses = [len(figures[key]) - len(found[key]) for key in ("leader", "follower")]
    rows.append((f"not found within {GIVE_UP_S:.0f} s", *misses))
    note = (
        f"{args.uploads} uploads of a short note into a three-node cluster holding {args.posts:,} news posts; "
        f"the upload itself (run_index of one file, as the staff upload runs it) took p50 {upload['p50']:.0f} ms, "
        f"max {upload['max']:.0f} ms. Load average before: {load_before}."
    )
    print_table(
        "A staff upload until a search on each node finds it (from the upload's return)",
        rows,
        note,
        columns=("leader", "followers", "leader/followers"),
    )


if __name__ == "__main__":
    main()
