"""The Typesense client on a real three-node cluster (tests/typesense_cluster.py): failover past a
node that is down or silent, and one Dutch sentence for a wrong key and for no server at all; and what
a follower answers a write while its leader is gone, from a loopback server that answers as it does."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from indexer.backends.config import Node
from indexer.backends.typesense.client import Timeouts, TypesenseClient
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
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


class _FollowerWithoutLeader(BaseHTTPRequestHandler):
    """What a Typesense 0.24.1 follower answered while the leader it forwards writes to was dead
    (measured: kill -9 of the leader, about 8 s until a new one): 500 with an empty body, and for an
    import a status line without a status ("HTTP/1.1 0"). Reads it answers itself: here a 500 too."""

    def _answer(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if "/import" in self.path:
            self.wfile.write(b"HTTP/1.1 0 \r\nContent-Length: 0\r\n\r\n")
            return
        if "/gesloten" in self.path:  # a node that dies after reading the request: no answer at all
            self.close_connection = True
            return
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:  # quiet: the test reads `requests`
        pass


@pytest.fixture
def follower_without_leader() -> Iterator[tuple[Node, list[str]]]:
    """The server's node, and the requests it received."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FollowerWithoutLeader)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield Node("127.0.0.1", server.server_address[1]), server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.mark.parametrize(
    ("method", "path", "lines"),
    [
        ("POST", "/collections/c/documents/import", [{"id": "a"}]),
        ("POST", "/collections/c/documents", None),
        ("DELETE", "/collections/c/documents/a", None),
    ],
)
def test_a_write_refused_while_the_leader_changes_is_the_cluster_being_unavailable(
    follower_without_leader: tuple[Node, list[str]], method: str, path: str, lines: list[dict] | None
) -> None:
    node, received = follower_without_leader
    quick = Timeouts(retry_pause_s=0.01, write_failover_s=0.1)
    client = TypesenseClient((node,), "sleutel", quick)
    with pytest.raises(ClusterError) as refused:
        client.request(method, path, body=None if lines else {"id": "a"}, lines=lines, idempotent=True)
    assert refused.value.problem is ClusterProblem.NO_QUORUM
    message = str(refused.value)
    assert message.startswith("Het Typesense-cluster heeft geen leider") and "kiezen net een nieuwe leider" in message
    assert "Wijzigingen worden geweigerd" in message and "beheerder" not in message
    assert len(received) >= quick.rounds, "tried again, as after a 503"


def test_a_read_answered_with_500_is_a_refusal_of_the_server(follower_without_leader: tuple[Node, list[str]]) -> None:
    node, _ = follower_without_leader
    client = TypesenseClient((node,), "sleutel", Timeouts(retry_pause_s=0.01))
    with pytest.raises(ClusterError) as refused:
        client.request("GET", "/collections")
    assert refused.value.problem is ClusterProblem.REJECTED  # reads are not forwarded: a 500 is the server's own


def test_a_write_whose_connection_closes_unanswered_is_not_taken_for_a_missing_leader(
    follower_without_leader: tuple[Node, list[str]],
) -> None:
    node, received = follower_without_leader
    client = TypesenseClient((node,), "sleutel", Timeouts(retry_pause_s=0.01, write_failover_s=0.1))
    with pytest.raises(ClusterError) as unanswered:
        client.request("POST", "/collections/gesloten", body={"name": "gesloten"})
    assert unanswered.value.problem is ClusterProblem.TIMEOUT  # it may have been carried out: not sent again
    assert received == ["POST /collections/gesloten"]
