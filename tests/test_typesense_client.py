"""The Typesense client and the collections on a real three-node cluster (tests/typesense_cluster.py):
builds behind an alias, failover past a node that is down, and one Dutch sentence for each problem a
person can fix (wrong key, no server, missing or outdated collection).

Reads may go to a follower, which applies a write a moment after the leader: what a test wrote is
read back with `eventually`, as any reader of a cluster must."""

from __future__ import annotations

import socket
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from indexer.backends.config import Node
from indexer.backends.typesense.client import Timeouts, TypesenseClient
from indexer.backends.typesense.cluster import cluster_health, collection_counts, create_search_key, snapshot
from indexer.backends.typesense.collections import (
    DOCUMENTS,
    create_build,
    drop_collection,
    import_documents,
    served_collection,
    switch_alias,
    token_field,
    unserved_builds,
)
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.engine.results import NO_VALUE
from tests.typesense_cluster import LocalCluster, free_ports

T = TypeVar("T")
REPLICATION_WAIT_S = 30.0


def _not_there_yet(error: ClusterError, also: ClusterProblem | None) -> bool:
    return error.problem in (ClusterProblem.MISSING_COLLECTION, also) or error.facts.get("status") == 404


def eventually(read: Callable[[], T], until: Callable[[T], bool], also: ClusterProblem | None = None) -> T:
    """`read()` once it satisfies `until` (or the last answer after a generous wait): a follower applies
    what the leader wrote a moment later, and until then may not know a new collection (or `also`: a
    new key)."""
    deadline = time.monotonic() + REPLICATION_WAIT_S
    while True:
        try:
            value = read()
        except ClusterError as exc:
            if not _not_there_yet(exc, also) or time.monotonic() > deadline:
                raise
        else:
            if until(value) or time.monotonic() > deadline:
                return value
        time.sleep(0.1)


def document(doc_id: str, tokens: str, themes: tuple[str, ...] = ()) -> dict[str, object]:
    """A document record as the indexer will write it: tokens already analysed."""
    return {
        "id": doc_id,
        "path": f"{doc_id}.pdf",
        token_field("title"): tokens,
        token_field("summary"): "",
        token_field("content"): tokens,
        token_field("word_pairs"): [],
        token_field("source_words"): "politie",
        "themes": list(themes) or [NO_VALUE],
        "subthemes": [NO_VALUE],
        "kind": ["rapport"],
        "year": ["2024"],
        "source": ["Politie"],
        "date_days": 20000,
        "added_s": 1_796_000_000,
        "title": tokens.capitalize(),
    }


def search(client: TypesenseClient, collection: str, words: str) -> list[str]:
    answer = client.request(
        "GET",
        f"/collections/{collection}/documents/search",
        params={"q": words, "query_by": token_field("content"), "facet_by": "themes"},
    )
    return sorted(hit["document"]["id"] for hit in answer["hits"])


@pytest.fixture
def client(typesense_cluster: LocalCluster) -> TypesenseClient:
    return TypesenseClient.from_config(typesense_cluster.config)


@pytest.fixture
def prefix(request: pytest.FixtureRequest, client: TypesenseClient) -> Iterator[str]:
    """A prefix of this test's own, whose collections are removed afterwards."""
    own = f"t{zlib.crc32(request.node.name.encode()):08x}"
    yield own
    for item in client.request("GET", "/collections"):
        if item["name"].startswith(f"{own}-"):
            drop_collection(client, item["name"])


def test_a_build_is_filled_searched_and_served_behind_its_alias(client: TypesenseClient, prefix: str) -> None:
    build = create_build(client, DOCUMENTS, prefix)
    import_documents(
        client,
        build,
        [
            document("monitor", "mensenhandel monitor rotterdam", ("mensenhandel",)),
            document("factsheet", "loverboy mensenhandel"),
            document("brief", "woonoverlast"),
        ],
    )
    assert eventually(lambda: search(client, build, "mensenhandel"), bool) == ["factsheet", "monitor"]

    switch_alias(client, DOCUMENTS, build, prefix)
    served = eventually(lambda: served_collection(client, DOCUMENTS, prefix), bool)
    assert served == build
    # Each node learns of the alias as it applies the write: read through it as a reader would.
    assert eventually(lambda: search(client, DOCUMENTS.alias(prefix), "woonoverlast"), bool) == ["brief"]


def test_a_rebuild_switches_the_alias_at_once_and_leaves_the_old_build_to_remove(
    client: TypesenseClient, prefix: str
) -> None:
    old = create_build(client, DOCUMENTS, prefix)
    import_documents(client, old, [document("oud", "jeugdcriminaliteit")])
    switch_alias(client, DOCUMENTS, old, prefix)
    new = create_build(client, DOCUMENTS, prefix)
    import_documents(client, new, [document("nieuw", "jeugdcriminaliteit")])
    assert eventually(lambda: unserved_builds(client, DOCUMENTS, prefix), lambda found: found == [new]) == [new]

    switch_alias(client, DOCUMENTS, new, prefix)
    alias = DOCUMENTS.alias(prefix)
    assert eventually(lambda: search(client, alias, "jeugdcriminaliteit"), lambda ids: ids == ["nieuw"]) == ["nieuw"]
    assert eventually(lambda: unserved_builds(client, DOCUMENTS, prefix), lambda found: found == [old]) == [old]


def test_a_refused_document_is_reported_with_its_id(client: TypesenseClient, prefix: str) -> None:
    build = create_build(client, DOCUMENTS, prefix)
    broken = {**document("zonder-jaar", "tekst"), "date_days": "gisteren"}
    with pytest.raises(ClusterError) as refused:
        import_documents(client, build, [document("goed", "tekst"), broken])
    assert refused.value.problem is ClusterProblem.REJECTED
    assert "1 van 2 geweigerd; ‘zonder-jaar’" in str(refused.value)


def test_a_wrong_api_key_is_one_dutch_sentence(typesense_cluster: LocalCluster) -> None:
    client = TypesenseClient(typesense_cluster.nodes, "verkeerde-sleutel")
    with pytest.raises(ClusterError) as refused:
        client.request("GET", "/collections")
    message = str(refused.value)
    assert message.startswith("De Typesense-servers weigeren de API-sleutel")
    assert "KENNISBANK_TYPESENSE_API_KEY" in message and "\n" not in message


def test_a_node_that_is_down_at_start_is_passed_over(typesense_cluster: LocalCluster) -> None:
    (nobody,) = free_ports(1)
    client = TypesenseClient((Node("127.0.0.1", nobody), *typesense_cluster.nodes), typesense_cluster.api_key)
    # Round robin starts each request at the next node, so the dead one comes first at least once.
    for _ in range(len(client.nodes) + 1):
        assert isinstance(client.request("GET", "/collections"), list)


@pytest.fixture
def silent_node() -> Iterator[Node]:
    """A node that accepts connections and never answers, as a frozen machine does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield Node("127.0.0.1", listener.getsockname()[1])


def test_a_silent_node_is_passed_over_by_reads_but_a_write_is_not_sent_twice(
    typesense_cluster: LocalCluster, silent_node: Node
) -> None:
    impatient = Timeouts(read_s=0.5)
    client = TypesenseClient((silent_node, *typesense_cluster.nodes), typesense_cluster.api_key, impatient)
    for _ in range(len(client.nodes) + 1):
        assert isinstance(client.request("GET", "/collections"), list)

    alone = TypesenseClient((silent_node,), typesense_cluster.api_key, impatient)
    with pytest.raises(ClusterError) as unanswered:
        alone.request("POST", "/collections", body={"name": "nooit", "fields": [{"name": "t", "type": "string"}]})
    assert str(unanswered.value).startswith(
        f"De Typesense-servers gaven geen antwoord ({silent_node}): niet binnen 0.5"
    )


def test_no_node_reachable_names_every_node(typesense_cluster: LocalCluster) -> None:
    nodes = tuple(Node("127.0.0.1", port) for port in free_ports(3))
    client = TypesenseClient(nodes, typesense_cluster.api_key)
    with pytest.raises(ClusterError) as refused:
        client.request("GET", "/collections")
    message = str(refused.value)
    assert message.startswith("Geen van de Typesense-servers is bereikbaar")
    assert all(str(node) in message for node in nodes)
    assert "KENNISBANK_ENGINE" in message and "\n" not in message


def test_a_missing_collection_says_to_build_the_index(client: TypesenseClient, prefix: str) -> None:
    with pytest.raises(ClusterError) as refused:
        served_collection(client, DOCUMENTS, prefix)
    assert str(refused.value) == (
        f"De collectie ‘{prefix}-documents’ bestaat niet op het Typesense-cluster. Bouw de index met "
        "`kennisbank index` (met KENNISBANK_ENGINE naar dit cluster)."
    )


@pytest.mark.parametrize(
    ("revision", "fields"),
    [("00000000", DOCUMENTS.fields), (DOCUMENTS.revision(), DOCUMENTS.fields[:-1])],
    ids=["older revision", "fields changed by hand"],
)
def test_a_collection_with_another_schema_is_refused(client: TypesenseClient, prefix: str, revision, fields) -> None:
    name = f"{DOCUMENTS.alias(prefix)}-{revision}-20250101000000000000"
    client.request("POST", "/collections", body={"name": name, "fields": [field.as_json() for field in fields]})
    switch_alias(client, DOCUMENTS, name, prefix)
    with pytest.raises(ClusterError) as refused:
        eventually(lambda: served_collection(client, DOCUMENTS, prefix), bool)
    assert refused.value.problem is ClusterProblem.STALE_SCHEMA
    message = str(refused.value)
    assert message.startswith(f"De collectie ‘{name}’ is gebouwd met schema {revision}")
    assert "`kennisbank index --rebuild`" in message


def test_the_cluster_reports_its_health_and_counts(
    client: TypesenseClient, prefix: str, typesense_cluster: LocalCluster, tmp_path: Path
) -> None:
    health = cluster_health(client)
    assert health.healthy and health.quorum
    assert [node.role for node in health.nodes].count("leader") == 1
    assert {node.version for node in health.nodes} == {"0.24.1"}

    build = create_build(client, DOCUMENTS, prefix)
    import_documents(client, build, [document("een", "een"), document("twee", "twee")])
    switch_alias(client, DOCUMENTS, build, prefix)
    counts = eventually(
        lambda: {count.name: count for count in collection_counts(client)},
        lambda found: build in found and found[build].documents == 2 and found[build].aliases,
    )
    assert (counts[build].documents, counts[build].aliases) == (2, (DOCUMENTS.alias(prefix),))

    snapshot(client, typesense_cluster.nodes[0], str(tmp_path / "snapshot"))
    assert (tmp_path / "snapshot" / "state").is_dir(), "a snapshot is a data folder to restore from"


def test_a_killed_node_is_passed_over_and_catches_up_after_its_restart(
    client: TypesenseClient, prefix: str, typesense_cluster: LocalCluster
) -> None:
    follower = next(i for i, node in enumerate(cluster_health(client).nodes) if node.role == "follower")
    build = create_build(client, DOCUMENTS, prefix)
    typesense_cluster.kill(follower)
    try:
        health = cluster_health(client)
        assert not health.nodes[follower].reachable and health.quorum
        import_documents(client, build, [document(f"d{i}", "veiligheid") for i in range(5)])
        for _ in range(len(client.nodes) + 1):
            assert eventually(lambda: search(client, build, "veiligheid"), lambda ids: len(ids) == 5)
    finally:
        typesense_cluster.start(follower)
        typesense_cluster.wait_until_healthy()
    restarted = typesense_cluster.nodes[follower]
    count = eventually(
        lambda: client.on_node(restarted, "GET", f"/collections/{build}")["num_documents"], lambda n: n == 5
    )
    assert count == 5, "the restarted node has the documents written while it was down"


def test_the_web_servers_key_searches_and_checks_the_build_but_cannot_write(
    client: TypesenseClient, prefix: str, typesense_cluster: LocalCluster
) -> None:
    build = create_build(client, DOCUMENTS, prefix)
    import_documents(client, build, [document("politie", "wijkagent")])
    switch_alias(client, DOCUMENTS, build, prefix)
    web = TypesenseClient(typesense_cluster.nodes, create_search_key(client, prefix))
    for node in typesense_cluster.nodes:  # the new key reaches each follower a moment after the leader
        eventually(
            lambda node=node: web.on_node(node, "GET", f"/collections/{build}"), bool, ClusterProblem.UNAUTHORIZED
        )

    assert eventually(lambda: search(web, DOCUMENTS.alias(prefix), "wijkagent"), bool) == ["politie"]
    assert eventually(lambda: served_collection(web, DOCUMENTS, prefix), bool) == build
    with pytest.raises(ClusterError) as refused:
        import_documents(web, build, [document("stiekem", "wijkagent")])
    assert refused.value.problem is ClusterProblem.UNAUTHORIZED
    assert "de website de zoeksleutel" in str(refused.value)


def refusal(call: Callable[[], object]) -> ClusterError:
    """The error `call` ends in once the cluster notices it has lost its majority; until then a
    write may hang (a timeout) or a read still be answered."""
    deadline = time.monotonic() + REPLICATION_WAIT_S
    while True:
        try:
            call()
        except ClusterError as exc:
            if exc.problem is ClusterProblem.NO_QUORUM or time.monotonic() > deadline:
                return exc
        else:
            assert time.monotonic() < deadline, "the cluster kept answering without a majority"
        time.sleep(0.2)


def test_without_a_majority_writes_and_reads_are_refused_and_nothing_is_lost(
    client: TypesenseClient, prefix: str, typesense_cluster: LocalCluster
) -> None:
    build = create_build(client, DOCUMENTS, prefix)
    import_documents(client, build, [document("blijft", "archief")])
    nodes = typesense_cluster.nodes
    eventually(
        lambda: [client.on_node(node, "GET", f"/collections/{build}")["num_documents"] for node in nodes],
        lambda counts: counts == [1, 1, 1],
    )
    leader = next(i for i, node in enumerate(cluster_health(client).nodes) if node.role == "leader")
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
        assert not cluster_health(client).quorum
    finally:
        for index in others:
            typesense_cluster.start(index)
        typesense_cluster.wait_until_healthy()
    # A write the cluster refused may still be applied once the majority is back (Raft keeps it in the
    # leader's log); what was written before is there, and the cluster takes writes again.
    import_documents(client, build, [document("daarna", "archief")])
    assert {"blijft", "daarna"} <= set(
        eventually(lambda: search(client, build, "archief"), lambda ids: "daarna" in ids)
    )
