"""What the Typesense tests share: records as the indexer will write them, a search, and reading
through followers, which apply a write a moment after the leader: what a test wrote is read back with
`eventually`, as any reader of a cluster must. The fixtures `cluster_client` and `collection_prefix`
are registered in conftest."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import drop_collection, page_id, token_field
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.engine.fields import PAGE_TEXT, SOURCE_WORDS, WORD_PAIRS
from indexer.engine.results import NO_VALUE
from tests.typesense_cluster import LocalCluster

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


def _shared_fields(themes: tuple[str, ...]) -> dict[str, object]:
    """The facet values and dates a document and each of its pages carry alike."""
    return {
        "themes": list(themes) or [NO_VALUE],
        "subthemes": [NO_VALUE],
        "kind": ["rapport"],
        "year": ["2024"],
        "source": ["Politie"],
        "date_days": 20000,
        "added_s": 1_796_000_000,
    }


def document(doc_id: str, tokens: str, themes: tuple[str, ...] = ()) -> dict[str, object]:
    """A document record as the indexer will write it: tokens already analysed."""
    return {
        "id": doc_id,
        "path": f"{doc_id}.pdf",
        token_field("title"): tokens,
        token_field("summary"): "",
        token_field("content"): tokens,
        token_field(WORD_PAIRS): [],
        token_field(SOURCE_WORDS): "politie",
        **_shared_fields(themes),
        "title": tokens.capitalize(),
    }


def page(doc_id: str, number: int, tokens: str, themes: tuple[str, ...] = ()) -> dict[str, object]:
    """A page record of the pages collection."""
    return {
        "id": page_id(doc_id, number),
        "parent": doc_id,
        "page": number,
        token_field(PAGE_TEXT): tokens,
        token_field(WORD_PAIRS): [],
        **_shared_fields(themes),
        "text": tokens,
    }


def search(cluster_client: TypesenseClient, collection: str, words: str) -> list[str]:
    answer = cluster_client.request(
        "GET",
        f"/collections/{collection}/documents/search",
        params={"q": words, "query_by": token_field("content"), "facet_by": "themes"},
    )
    return sorted(hit["document"]["id"] for hit in answer["hits"])


@pytest.fixture
def cluster_client(typesense_cluster: LocalCluster) -> TypesenseClient:
    return TypesenseClient.from_config(typesense_cluster.config)


@pytest.fixture
def collection_prefix(request: pytest.FixtureRequest, cluster_client: TypesenseClient) -> Iterator[str]:
    """A prefix of this test's own for collection names; its collections are removed afterwards."""
    own = f"t{zlib.crc32(request.node.name.encode()):08x}"
    yield own
    for item in cluster_client.request("GET", "/collections"):
        if item["name"].startswith(f"{own}-"):
            try:
                drop_collection(cluster_client, item["name"])
            except ClusterError as exc:  # a follower listed a build the test itself dropped a moment ago
                if exc.facts.get("status") != 404:
                    raise


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
