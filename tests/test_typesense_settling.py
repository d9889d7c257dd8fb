"""An indexing run waits for nodes that still apply the writes they queued after a restart (measured
on 0.24.1: `/health` ok and the aliases served while `/stats.json` counts thousands of queued write
batches and a third of the documents is missing), and says so in Dutch when they take too long. The
node is a loopback server answering as such a node does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from indexer.backends.config import Node
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import cluster_health
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.backends.typesense.writable import settled

_LEADER = 1  # `/debug` state


class _CatchingUp(BaseHTTPRequestHandler):
    """A node that has `server.pending` write batches queued, one fewer each time it is asked."""

    def do_GET(self) -> None:
        server = self.server
        answers = {
            "/health": {"ok": True},
            "/debug": {"state": _LEADER, "version": "0.24.1"},
            "/stats.json": {"pending_write_batches": server.pending},  # type: ignore[attr-defined]
        }
        if self.path == "/stats.json" and server.pending and server.draining:  # type: ignore[attr-defined]
            server.pending -= 1  # type: ignore[attr-defined]
        body = json.dumps(answers.get(self.path, {})).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def catching_up() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CatchingUp)
    server.pending, server.draining = 2, True  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _client(server: ThreadingHTTPServer) -> TypesenseClient:
    return TypesenseClient((Node("127.0.0.1", server.server_address[1]),), "sleutel")


def test_a_run_waits_until_no_node_has_queued_writes(catching_up: ThreadingHTTPServer) -> None:
    client = _client(catching_up)
    health = settled(client, cluster_health(client))
    assert [node.pending_writes for node in health.nodes] == [0]


def test_nodes_that_keep_applying_queued_writes_are_one_dutch_sentence(catching_up: ThreadingHTTPServer) -> None:
    catching_up.draining = False  # type: ignore[attr-defined]
    client = _client(catching_up)
    with pytest.raises(ClusterError) as refused:
        settled(client, cluster_health(client), wait_s=0.0)
    assert refused.value.problem is ClusterProblem.CATCHING_UP
    message = str(refused.value)
    assert message.startswith("De Typesense-servers verwerken na een herstart nog 2 schrijfopdrachten")
    assert "bijwerken bezig" in message and "\n" not in message
