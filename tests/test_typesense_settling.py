"""Nodes behind the others. An indexing run waits for nodes that still apply the writes they queued
after a restart (measured on 0.24.1: `/health` ok and the aliases served while `/stats.json` counts
thousands of queued write batches and a third of the documents is missing), and says so in Dutch when
they take too long. A search passes over a follower that has not applied a new build yet (it answers
404 for the collections the leader serves). Such a node is a loopback server answering as it does."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from indexer.backends.config import Node, TypesenseEngine
from indexer.backends.typesense.client import API_KEY_HEADER, TypesenseClient
from indexer.backends.typesense.cluster import cluster_health
from indexer.backends.typesense.collections import DOCUMENTS
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.backends.typesense.writable import settled
from indexer.engine.backend_choice import open_search
from indexer.engine.results import SearchRequest
from tests.conftest import CONTEXT

_LEADER = 1  # `/debug` state


class _Node(BaseHTTPRequestHandler):
    """A loopback server answering JSON as a Typesense node does."""

    def _answer(self, status: int, answer: dict) -> None:
        self._raw(status, json.dumps(answer).encode())

    def _raw(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _CatchingUp(_Node):
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
        self._answer(200, answers.get(self.path, {}))


class _BeforeTheBuild(_Node):
    """A follower that has not applied the first build yet: every collection and alias is unknown to it
    (a multi-search answers 200 with a 404 per search)."""

    def do_GET(self) -> None:
        self._answer(404, {"message": "Not Found"})

    def do_POST(self) -> None:
        searches = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["searches"]
        self._answer(200, {"results": [{"code": 404, "error": "Not found."} for _ in searches]})


class _BehindOnDocuments(_Node):
    """A follower that has not applied some documents yet: it passes every request on to a real node
    (`server.upstream`), but its reads of display fields leave out the documents `server.unapplied`
    names (every one when it is None), and it counts them (`server.left_out`)."""

    def do_GET(self) -> None:
        self._pass_on(None)

    def do_POST(self) -> None:
        self._pass_on(self.rfile.read(int(self.headers["Content-Length"])))

    def _pass_on(self, body: bytes | None) -> None:
        server = self.server
        headers = {API_KEY_HEADER: self.headers[API_KEY_HEADER], "Content-Type": self.headers["Content-Type"] or ""}
        request = urllib.request.Request(server.upstream.url + self.path, body, headers, method=self.command)  # type: ignore[attr-defined]
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, data = response.status, response.read()
        except urllib.error.HTTPError as refused:
            status, data = refused.code, refused.read()
        if status != 200 or not self.path.startswith("/multi_search"):
            self._raw(status, data)
            return
        answer = json.loads(data)
        for wanted, result in zip(json.loads(body or b"{}")["searches"], answer["results"], strict=True):
            if "path" in wanted.get("include_fields", "").split(",") and "hits" in result:
                kept = [hit for hit in result["hits"] if not server.lacks(hit["document"]["id"])]  # type: ignore[attr-defined]
                server.left_out += len(result["hits"]) - len(kept)  # type: ignore[attr-defined]
                result["hits"], result["found"] = kept, len(kept)
        self._answer(200, answer)


def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@pytest.fixture
def catching_up() -> Iterator[ThreadingHTTPServer]:
    for server in _serving(_CatchingUp):
        server.pending, server.draining = 2, True  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def before_the_build() -> Iterator[ThreadingHTTPServer]:
    yield from _serving(_BeforeTheBuild)


@contextmanager
def _behind_on(cluster: TypesenseEngine, unapplied: list[set[str] | None]) -> Iterator[list[ThreadingHTTPServer]]:
    """One `_BehindOnDocuments` in front of each node of `cluster`, the n-th without `unapplied[n]`
    (an empty set: it has every document)."""
    with ExitStack() as stack:
        proxies = []
        for node, lacking in zip(cluster.nodes, unapplied, strict=True):
            proxy = stack.enter_context(contextmanager(_serving)(_BehindOnDocuments))
            proxy.upstream, proxy.left_out = node, 0  # type: ignore[attr-defined]
            proxy.lacks = lambda doc_id, lacking=lacking: lacking is None or doc_id in lacking  # type: ignore[attr-defined]
            proxies.append(proxy)
        yield proxies


def _node(server: ThreadingHTTPServer) -> Node:
    return Node("127.0.0.1", server.server_address[1])


def _client(server: ThreadingHTTPServer) -> TypesenseClient:
    return TypesenseClient((_node(server),), "sleutel")


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


def test_a_search_passes_over_a_node_that_has_not_applied_the_build_yet(
    bundled_index: Path, bundled_cluster: TypesenseEngine, before_the_build: ThreadingHTTPServer
) -> None:
    lagging = replace(bundled_cluster, nodes=(_node(before_the_build), *bundled_cluster.nodes))
    request_ = SearchRequest("jeugdcriminaliteit aanpak", {})
    expected = [hit.id for hit in open_search(bundled_index, bundled_cluster).search(request_, CONTEXT).hits]
    searching = open_search(bundled_index, lagging)  # asks the lagging node first, then in turn
    for _ in lagging.nodes:
        assert [hit.id for hit in searching.search(request_, CONTEXT).hits] == expected
    assert expected


def test_a_shown_document_that_the_answering_node_lacks_is_read_from_another(
    bundled_index: Path, bundled_cluster: TypesenseEngine
) -> None:
    request_ = SearchRequest("jeugdcriminaliteit aanpak", {})
    expected = open_search(bundled_index, bundled_cluster).search(request_, CONTEXT).hits
    with _behind_on(bundled_cluster, [None, None, set()]) as proxies:  # two followers lack every document
        searching = open_search(bundled_index, replace(bundled_cluster, nodes=tuple(map(_node, proxies))))
        for _ in proxies:
            found = searching.search(request_, CONTEXT).hits
            assert [(hit.id, hit.title, hit.path) for hit in found] == [
                (hit.id, hit.title, hit.path) for hit in expected
            ]
    assert sum(proxy.left_out for proxy in proxies[:2]) > 0, "a lagging node was asked for the shown documents"  # type: ignore[attr-defined]


def test_a_shown_document_that_no_node_has_any_more_is_left_off_the_page(
    bundled_index: Path, bundled_cluster: TypesenseEngine
) -> None:
    request_ = SearchRequest("jeugdcriminaliteit aanpak", {})
    expected = [hit.id for hit in open_search(bundled_index, bundled_cluster).search(request_, CONTEXT).hits]
    removed = {expected[0]}  # removed between the search that found it and the one that reads it
    with _behind_on(bundled_cluster, [removed] * 3) as proxies:
        searching = open_search(bundled_index, replace(bundled_cluster, nodes=tuple(map(_node, proxies))))
        assert [hit.id for hit in searching.search(request_, CONTEXT).hits] == expected[1:]


def test_a_client_that_asks_the_leader_first_takes_its_404_as_it_is(
    bundled_cluster: TypesenseEngine, before_the_build: ThreadingHTTPServer
) -> None:
    """An indexing run asks the leader first (`preferring`): what the leader no longer has (a document
    removed a moment ago) is gone, whatever a lagging follower still holds. Here the loopback node is
    that leader and the real nodes are the followers."""
    nodes = (_node(before_the_build), *bundled_cluster.nodes)
    served = f"/collections/{DOCUMENTS.alias(bundled_cluster.prefix)}"
    going_round = TypesenseClient(nodes, bundled_cluster.api_key)
    assert going_round.request("GET", served)["num_documents"] > 0
    with pytest.raises(ClusterError) as missing:
        going_round.preferring(nodes[0]).request("GET", served)
    assert missing.value.status == 404
