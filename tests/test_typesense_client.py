"""The Typesense client on a real three-node cluster (tests/typesense_cluster.py): failover past a
node that is down or silent, and one Dutch sentence for a wrong key and for no server at all."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from indexer.backends.config import Node
from indexer.backends.typesense.client import Timeouts, TypesenseClient
from indexer.backends.typesense.errors import ClusterError
from tests.typesense_cluster import LocalCluster, free_ports


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
    impatient = Timeouts(read_s=3.0)  # long enough for a busy machine to answer from the real nodes
    client = TypesenseClient((silent_node, *typesense_cluster.nodes), typesense_cluster.api_key, impatient)
    for _ in range(len(client.nodes) + 1):
        assert isinstance(client.request("GET", "/collections"), list)

    alone = TypesenseClient((silent_node,), typesense_cluster.api_key, impatient)
    with pytest.raises(ClusterError) as unanswered:
        alone.request("POST", "/collections", body={"name": "nooit", "fields": [{"name": "t", "type": "string"}]})
    assert str(unanswered.value).startswith(
        f"De Typesense-servers gaven geen antwoord ({silent_node}): niet binnen 3 seconden"
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
