"""The operations docs/typesense.md describes, carried out on real clusters: moving the leader away
before its node is upgraded, restoring a whole cluster from one node's snapshot (unpacked into every
node's data folder), and a staff upload that is searchable when it returns."""

from __future__ import annotations

import shutil
import tarfile
import time
from pathlib import Path

from indexer.backends.config import TypesenseEngine
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import cluster_health, collection_counts, create_search_key, snapshot
from indexer.backends.typesense.collections import DOCUMENTS, create_build, import_documents, switch_alias
from indexer.backends.typesense.errors import ClusterProblem
from tests.typesense_cluster import LocalCluster
from tests.typesense_support import (
    NEIGHBOUR_NOTE,
    analysed,
    cluster_env,
    document,
    engine_setting,
    eventually,
    kennisbank,
    leader_node,
    manifest,
    reindex,
    search,
)

ELECTION_WAIT_S = 60.0
# An upper bound, not a pause: every node loads the backup from its own disk and they elect a leader.
RESTORE_WAIT_S = 180.0
UNAUTHORIZED = ClusterProblem.UNAUTHORIZED


def test_a_vote_on_a_follower_makes_it_the_leader(typesense_cluster: LocalCluster) -> None:
    cluster_client = TypesenseClient.from_config(typesense_cluster.config)
    follower = next(health.node for health in cluster_health(cluster_client).nodes if health.role == "follower")
    node = next(node for node in typesense_cluster.nodes if str(node) == follower)
    assert cluster_client.on_node(node, "POST", "/operations/vote") == {"success": True}
    deadline = time.monotonic() + ELECTION_WAIT_S
    while (health := cluster_health(cluster_client)).leader != follower or not health.healthy:
        assert time.monotonic() < deadline, f"no new leader: {health}"
        time.sleep(0.2)


def test_one_nodes_snapshot_restores_a_cluster_that_lost_every_data_folder(tmp_path: Path) -> None:
    (tmp_path / "cluster").mkdir()
    cluster = LocalCluster(tmp_path / "cluster")
    try:
        cluster.start_all()
        cluster_client = TypesenseClient.from_config(cluster.config)
        build = create_build(cluster_client, DOCUMENTS, "herstel")
        import_documents(cluster_client, build, [document(f"d{i}", "archief") for i in range(7)])
        switch_alias(cluster_client, DOCUMENTS, build, "herstel")
        web = TypesenseClient(cluster.nodes, create_search_key(cluster_client, "herstel"))
        # The snapshot holds what its node has applied: wait until node 0 has the alias and the key.
        alias = DOCUMENTS.alias("herstel")
        eventually(lambda: web.on_node(cluster.nodes[0], "GET", f"/collections/{alias}"), bool, UNAUTHORIZED)

        snapshot(cluster_client, cluster.nodes[0], str(tmp_path / "snapshot"))
        with tarfile.open(tmp_path / "backup.tar.gz", "w:gz") as backup:
            backup.add(tmp_path / "snapshot", arcname=".")

        cluster.stop()
        # The backup goes into every node's data folder. Unpacked into one node only, the two empty
        # nodes can elect one of themselves (an empty log is as up to date as another empty log) while
        # the restored node is still loading: that leader has nothing to send, and they stay empty.
        for index in range(len(cluster.nodes)):
            shutil.rmtree(cluster.data_dir(index))
            cluster.data_dir(index).mkdir()
            with tarfile.open(tmp_path / "backup.tar.gz") as backup:
                backup.extractall(cluster.data_dir(index), filter="data")
        cluster.start_all()

        for node in cluster.nodes:
            count = eventually(
                lambda node=node: cluster_client.on_node(node, "GET", f"/collections/{alias}")["num_documents"],
                lambda found: found == 7,
                wait_s=RESTORE_WAIT_S,
            )
            assert count == 7, f"{node} has the restored documents behind the restored alias"
        assert len(eventually(lambda: search(web, alias, "archief"), bool)) == 7, "the web servers' key is restored"
    finally:
        cluster.stop(timeout_s=3.0)


def test_the_cluster_reports_its_health_and_counts(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster, tmp_path: Path
) -> None:
    health = cluster_health(cluster_client)
    assert health.healthy and health.quorum
    assert [node.role for node in health.nodes].count("leader") == 1
    assert {node.version for node in health.nodes} == {"0.24.1"}
    settled = eventually(lambda: cluster_health(cluster_client), lambda found: found.healthy)
    assert [node.pending_writes for node in settled.nodes] == [0, 0, 0], "no writes queued on an idle cluster"

    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(cluster_client, build, [document("een", "een"), document("twee", "twee")])
    switch_alias(cluster_client, DOCUMENTS, build, collection_prefix)
    counts = eventually(
        lambda: {count.name: count for count in collection_counts(cluster_client)},
        lambda found: build in found and found[build].documents == 2 and found[build].aliases,
    )
    assert (counts[build].documents, counts[build].aliases) == (2, (DOCUMENTS.alias(collection_prefix),))

    snapshot(cluster_client, typesense_cluster.nodes[0], str(tmp_path / "snapshot"))
    assert (tmp_path / "snapshot" / "state").is_dir(), "a snapshot is a data folder to restore from"


def test_a_staff_upload_is_found_when_it_returns_and_on_every_node_a_moment_later(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    (docs / "fietsdiefstal.md").write_text("# Fietsdiefstal\n\nFietsen verdwijnen bij het station.\n")
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    note = tmp_path / "Notitie burenruzies.md"
    note.write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    env = {**cluster_env(cluster), "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(state)}
    added = kennisbank("toevoegen", "--engine", engine_setting(cluster), str(note), env=env)
    assert added.returncode == 0, added.stderr

    client = TypesenseClient.from_config(cluster)
    alias, words = DOCUMENTS.alias(cluster.prefix), analysed("buurtbemiddeling")
    doc_id = manifest(state, cluster)["notitie-burenruzies.md"][0]
    # The upload's writes went to the leader, which answers only after it applied them: no waiting.
    assert search(client, alias, words, node=leader_node(client)) == [doc_id]
    # A follower applies them when the leader tells it the write is committed (bench.cluster_upload
    # measures how long that takes).
    for node in cluster.nodes:
        assert eventually(lambda node=node: search(client, alias, words, node=node), bool) == [doc_id], node
