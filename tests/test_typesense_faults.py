"""Nodes that fail under a real three-node cluster: a killed follower is passed over and catches up,
and without a majority writes and reads are refused in Dutch and nothing is lost. Each test leaves the
cluster healthy again."""

from __future__ import annotations

from indexer.backends.typesense.client import Timeouts, TypesenseClient
from indexer.backends.typesense.cluster import cluster_health
from indexer.backends.typesense.collections import DOCUMENTS, create_build, import_documents
from tests.typesense_cluster import LocalCluster
from tests.typesense_support import document, eventually, refusal, search


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
    leader = next(i for i, node in enumerate(cluster_health(cluster_client).nodes) if node.role == "leader")
    others = [i for i in range(len(nodes)) if i != leader]
    impatient = TypesenseClient(nodes, typesense_cluster.api_key, Timeouts(read_s=3.0))
    for index in others:
        typesense_cluster.kill(index)
    try:
        write = refusal(lambda: import_documents(impatient, build, [document("later", "archief")]))
        assert str(write).startswith("Het Typesense-cluster heeft geen leider")
        assert "Wijzigingen worden geweigerd" in str(write)
        read = refusal(lambda: search(impatient, build, "archief"))
        assert "Zoeken en lezen kan nu niet" in str(read)
        assert not cluster_health(cluster_client).quorum
    finally:
        for index in others:
            typesense_cluster.start(index)
        typesense_cluster.wait_until_healthy()
    # A write the cluster refused may still be applied once the majority is back (Raft keeps it in the
    # leader's log); what was written before is there, and the cluster takes writes again.
    import_documents(cluster_client, build, [document("daarna", "archief")])
    assert {"blijft", "daarna"} <= set(
        eventually(lambda: search(cluster_client, build, "archief"), lambda ids: "daarna" in ids)
    )
