"""Nodes that fail under a real three-node cluster: a killed follower is passed over and catches up,
without a majority writes and reads are refused in Dutch and nothing is lost, and a leader killed
under searches and uploads is replaced without errors. Staff changes without a majority are in
test_typesense_staff_faults. Each test leaves the cluster healthy again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest

from indexer.backends.config import TypesenseEngine
from indexer.backends.typesense.client import Timeouts, TypesenseClient
from indexer.backends.typesense.cluster import cluster_health
from indexer.backends.typesense.collections import DOCUMENTS, create_build, import_documents
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from search_app.launcher import HOST, free_port, running
from tests.typesense_cluster import LocalCluster
from tests.typesense_support import (
    cluster_env,
    document,
    engine_setting,
    eventually,
    kennisbank,
    leader_node,
    majority_lost,
    manifest,
    refusal,
    reindex,
    search,
)

SEARCHERS = 8
STAFF_UPLOADS = 4


def test_a_killed_node_is_passed_over_and_catches_up_after_its_restart(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster
) -> None:
    follower = next(i for i, node in enumerate(cluster_health(cluster_client).nodes) if node.role == "follower")
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    typesense_cluster.kill(follower)
    try:
        health = cluster_health(cluster_client)
        assert not health.nodes[follower].reachable and health.quorum
        import_documents(cluster_client, build, [document(f"d{i}", "veiligheid") for i in range(5)])
        for _ in range(len(cluster_client.nodes) + 1):
            assert eventually(lambda: search(cluster_client, build, "veiligheid"), lambda ids: len(ids) == 5)
    finally:
        typesense_cluster.start(follower)
        typesense_cluster.wait_until_healthy()
    restarted = typesense_cluster.nodes[follower]
    count = eventually(
        lambda: cluster_client.on_node(restarted, "GET", f"/collections/{build}")["num_documents"], lambda n: n == 5
    )
    assert count == 5, "the restarted node has the documents written while it was down"


def test_without_a_majority_writes_and_reads_are_refused_and_nothing_is_lost(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster
) -> None:
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(cluster_client, build, [document("blijft", "archief")])
    nodes = typesense_cluster.nodes
    eventually(
        lambda: [cluster_client.on_node(node, "GET", f"/collections/{build}")["num_documents"] for node in nodes],
        lambda counts: counts == [1, 1, 1],
    )
    with majority_lost(typesense_cluster) as impatient:
        write = refusal(lambda: import_documents(impatient, build, [document("later", "archief")]))
        assert str(write).startswith("Het Typesense-cluster heeft geen leider")
        assert "Wijzigingen worden geweigerd" in str(write)
        read = refusal(lambda: search(impatient, build, "archief"))
        assert "Zoeken en lezen kan nu niet" in str(read)
        assert not cluster_health(cluster_client).quorum
    # A write the cluster refused may still be applied once the majority is back (Raft keeps it in the
    # leader's log); what was written before is there, and the cluster takes writes again.
    import_documents(cluster_client, build, [document("daarna", "archief")])
    assert {"blijft", "daarna"} <= set(
        eventually(lambda: search(cluster_client, build, "archief"), lambda ids: "daarna" in ids)
    )


def test_a_write_while_the_leader_changes_waits_for_the_new_leader(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster
) -> None:
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    nodes = typesense_cluster.nodes
    eventually(
        lambda: [cluster_client.on_node(node, "GET", f"/collections/{build}")["num_documents"] for node in nodes],
        lambda counts: counts == [0, 0, 0],
    )
    leader = nodes.index(leader_node(cluster_client))
    typesense_cluster.kill(leader)
    try:
        # The followers forward writes to the dead leader until they elect a new one (about 8 s here):
        # without waiting for that, the write is refused as by a cluster without a leader.
        hasty = TypesenseClient(nodes, typesense_cluster.api_key, Timeouts(write_failover_s=0.0))
        with pytest.raises(ClusterError) as refused:
            import_documents(hasty, build, [document("tijdens", "archief")])
        assert refused.value.problem is ClusterProblem.NO_QUORUM, str(refused.value)
        assert "Wijzigingen worden geweigerd" in str(refused.value)
        # The client as the Kennisbank makes it waits for the new leader, and the write goes through.
        import_documents(TypesenseClient.from_config(typesense_cluster.config), build, [document("tijdens", "archief")])
        assert cluster_health(cluster_client).leader not in (None, str(nodes[leader]))
    finally:
        typesense_cluster.start(leader)
        typesense_cluster.wait_until_healthy()
    assert eventually(lambda: search(cluster_client, build, "archief"), lambda ids: ids == ["tijdens"]) == ["tijdens"]


class Searchers:
    """`clients` threads searching without pause until stopped; each outcome is counted under the phase
    the test had set when it came back (`before`, `failover`, `after`), never under a clock."""

    def __init__(self, search_once: Callable[[], None], clients: int) -> None:
        self.search_once = search_once
        self.phase = "before"
        self.outcomes: Counter[tuple[str, bool]] = Counter()
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run) for _ in range(clients)]

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.search_once()
                ok, error = True, ""
            except (OSError, LookupError, ValueError) as exc:  # HTTP errors, no answer, no hits, not JSON
                ok, error = False, repr(exc)
            with self._lock:
                self.outcomes[self.phase, ok] += 1
                if error:
                    self.errors.append(f"{self.phase}: {error}")

    def __enter__(self) -> Searchers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def website_search(base_url: str, words: str) -> Callable[[], None]:
    """One search as a reader's browser or a script sends it: `/api/zoeken`, which must answer with hits."""

    def search_once() -> None:
        with urllib.request.urlopen(f"{base_url}/api/zoeken?{urlencode({'q': words})}", timeout=60) as answer:
            if not json.load(answer)["hits"]:
                raise LookupError(f"no hits for {words!r}")

    return search_once


def test_a_killed_leader_under_searches_and_uploads_loses_nothing_and_catches_up(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine, typesense_cluster: LocalCluster
) -> None:
    (docs / "fietsdiefstal.md").write_text("# Fietsdiefstal\n\nFietsen verdwijnen bij het station.\n")
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    client = TypesenseClient.from_config(cluster)
    alias = DOCUMENTS.alias(cluster.prefix)
    notes = [tmp_path / f"Melding {number}.md" for number in range(STAFF_UPLOADS)]
    for number, note in enumerate(notes):
        note.write_text(f"# Melding {number}\n\nFietsen verdwijnen bij het station, melding {number}.\n")
    env = {**cluster_env(cluster), "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(state)}
    uploads: list[subprocess.CompletedProcess] = []
    first_upload_done = threading.Event()

    def staff() -> None:
        for note in notes:
            uploads.append(kennisbank("toevoegen", "--engine", engine_setting(cluster), str(note), env=env))
            first_upload_done.set()

    port = free_port()
    serve = [sys.executable, "-m", "search_app.main", "serve", "--engine", engine_setting(cluster)]
    serve += ["--port", str(port), "--data", str(tmp_path / "data")]
    leader = typesense_cluster.nodes.index(leader_node(client))
    member_of_staff = threading.Thread(target=staff)
    with (
        running(serve, port, env={**os.environ, **env}),
        Searchers(website_search(f"http://{HOST}:{port}", "fietsen"), SEARCHERS) as searches,
    ):
        eventually(lambda: searches.outcomes["before", True], lambda done: done >= SEARCHERS)
        member_of_staff.start()
        first_upload_done.wait()
        searches.phase = "failover"
        typesense_cluster.kill(leader)
        try:
            eventually(lambda: cluster_health(client), lambda health: health.quorum and health.leader is not None)
            searches.phase = "after"
            eventually(lambda: searches.outcomes["after", True], lambda done: done >= 10 * SEARCHERS)
            member_of_staff.join()
        finally:
            typesense_cluster.start(leader)
            typesense_cluster.wait_until_healthy()
    assert searches.outcomes["after", False] == 0, searches.errors[-5:]
    assert searches.outcomes["after", True] >= 10 * SEARCHERS
    for upload in uploads:  # one refused in the failover window says so in one line
        assert upload.returncode == 0 or len(upload.stderr.strip().splitlines()) == 1, upload.stderr
        assert "Traceback" not in upload.stderr
    # A refused upload was told to its member of staff, who sends it again after the failover: one whose
    # file was taken back is added now. One whose file stayed in the corpus (its publication was left
    # half done) is indexed by the catch-up that `kennisbank serve` runs at its start, or `kennisbank index`.
    for number, upload in enumerate(uploads):
        if upload.returncode != 0 and not (docs / f"melding-{number}.md").exists():
            again = kennisbank("toevoegen", "--engine", engine_setting(cluster), str(notes[number]), env=env)
            assert again.returncode == 0, again.stderr
    catch_up = kennisbank("index", "--engine", engine_setting(cluster), env=env)
    assert catch_up.returncode == 0, catch_up.stderr
    indexed = manifest(state, cluster)
    assert all(f"melding-{number}.md" in indexed for number in range(STAFF_UPLOADS)), sorted(indexed)
    expected = 1 + STAFF_UPLOADS
    for node in typesense_cluster.nodes:
        count = eventually(
            lambda node=node: client.on_node(node, "GET", f"/collections/{alias}")["num_documents"],
            lambda found: found == expected,
        )
        assert count == expected, f"{node} caught up with every upload"
