"""What the Typesense tests share: records as the indexer will write them, a search, and reading
through followers, which apply a write a moment after the leader: what a test wrote is read back with
`eventually`, as any reader of a cluster must. The fixtures `cluster_client` and `collection_prefix`
are registered in conftest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest

from indexer.analysis.analyzers import dutch_analyzer
from indexer.backends.config import API_KEY_ENV, ENGINE_ENV, PREFIX_ENV, Node, TypesenseEngine
from indexer.backends.typesense.client import Timeouts, TypesenseClient
from indexer.backends.typesense.cluster import cluster_health
from indexer.backends.typesense.collections import (
    DOCUMENTS,
    PAGES,
    CollectionSpec,
    drop_collection,
    page_id,
    token_field,
)
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.corpus.layout import BUNDLED_CORPUS
from indexer.engine.backend_choice import open_backend
from indexer.engine.fields import PAGE_TEXT, SOURCE_WORDS, WORD_PAIRS
from indexer.engine.results import NO_VALUE
from indexer.indexing.pipeline import run_index
from indexer.models import RunReport
from tests.typesense_cluster import LocalCluster

T = TypeVar("T")
REPLICATION_WAIT_S = 30.0


def _not_there_yet(error: ClusterError, also: ClusterProblem | None) -> bool:
    return error.problem in (ClusterProblem.MISSING_COLLECTION, also) or error.status == 404


def eventually(
    read: Callable[[], T],
    until: Callable[[T], bool],
    also: ClusterProblem | None = None,
    wait_s: float = REPLICATION_WAIT_S,
) -> T:
    """`read()` once it satisfies `until` (or the last answer after `wait_s`): a follower applies what the
    leader wrote a moment later, and until then may not know a new collection (or `also`: a new key)."""
    deadline = time.monotonic() + wait_s
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


# An empty value per field type, for the fields a record must have but a test does not care about.
_EMPTY: dict[str, object] = {"string": "", "string[]": [], "int32": 0, "int64": 0, "int32[]": [], "bool": False}


def _required(spec: CollectionSpec) -> dict[str, object]:
    """Every field `spec` requires, empty: the records below fit the schema as it grows."""
    return {field.name: _EMPTY[field.type] for field in spec.fields if not field.optional}


def document(doc_id: str, tokens: str, themes: tuple[str, ...] = ()) -> dict[str, object]:
    """A document record as the indexer will write it: tokens already analysed."""
    return {
        **_required(DOCUMENTS),
        "id": doc_id,
        "path": f"{doc_id}.pdf",
        token_field("title"): tokens,
        token_field("summary"): "",
        token_field("content"): tokens,
        token_field(WORD_PAIRS): [],
        token_field(SOURCE_WORDS): "politie",
        **_shared_fields(themes),
        "title": tokens.capitalize(),
        "sha256": f"sha256-of-{doc_id}",
    }


def page(doc_id: str, number: int, tokens: str, themes: tuple[str, ...] = ()) -> dict[str, object]:
    """A page record of the pages collection."""
    return {
        **_required(PAGES),
        "id": page_id(doc_id, number),
        "parent": doc_id,
        "page": number,
        token_field(PAGE_TEXT): tokens,
        token_field(WORD_PAIRS): [],
        **_shared_fields(themes),
        "text": tokens,
    }


def search(cluster_client: TypesenseClient, collection: str, words: str, node: Node | None = None) -> list[str]:
    """The ids Typesense finds for `words` (tokens as the index holds them), asking `node` when given."""
    path = f"/collections/{collection}/documents/search"
    params = {"q": words, "query_by": token_field("content"), "facet_by": "themes"}
    if node is None:
        answer = cluster_client.request("GET", path, params=params)
    else:
        answer = cluster_client.on_node(node, "GET", path, params=params)
    return sorted(hit["document"]["id"] for hit in answer["hits"])


def analysed(text: str) -> str:
    """`text` as the indexer's full-text analyzer puts it into the cluster (stems, compound parts)."""
    return " ".join(token.text for token in dutch_analyzer()(text, mode="index"))


def leader_node(cluster_client: TypesenseClient) -> Node:
    leader = cluster_health(cluster_client).leader
    return next(node for node in cluster_client.nodes if str(node) == leader)


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
                if exc.status != 404:
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


@contextmanager
def majority_lost(typesense_cluster: LocalCluster) -> Iterator[TypesenseClient]:
    """The two followers killed, and a client that gives up a read after 3 s; the followers started
    again afterwards, and the cluster healthy before the test goes on."""
    nodes = typesense_cluster.nodes
    leader = nodes.index(leader_node(TypesenseClient.from_config(typesense_cluster.config)))
    others = [index for index in range(len(nodes)) if index != leader]
    for index in others:
        typesense_cluster.kill(index)
    try:
        yield TypesenseClient(nodes, typesense_cluster.api_key, Timeouts(read_s=3.0))
    finally:
        for index in others:
            typesense_cluster.start(index)
        typesense_cluster.wait_until_healthy()


NEIGHBOUR_NOTE = (
    "# Notitie burenruzies\n\nBurenruzies lopen in de wijk soms hoog op. Bij woonoverlast en burenruzies "
    "zoekt de gemeente eerst buurtbemiddeling. Een burenruzie die escaleert, komt bij het wijkteam.\n"
)


# A handful of the bundled documents, with their sidecars: PDFs and a Markdown text.
BUNDLED = (
    "factsheet-geldezels-online-fraude-jongeren.pdf",
    "factsheet-phishing-whatsapp-fraude-ouderen.pdf",
    "factsheet-gijzelsoftware-ransomware-gemeenten.pdf",
    "factsheet-online-radicalisering-minderjarigen.pdf",
    "beleidsstuk-communicatiejaarplan-kennisagenda-var-2026.md",
)


@pytest.fixture
def bundled_docs(docs: Path) -> Path:
    """The test corpus with `BUNDLED` copied in."""
    for name in BUNDLED:
        for source in (BUNDLED_CORPUS / "documenten").glob(f"{name}*"):
            shutil.copy(source, docs / source.name)
    return docs


@pytest.fixture
def cluster(typesense_cluster: LocalCluster, collection_prefix: str) -> TypesenseEngine:
    """The session's cluster with this test's own collection names (removed afterwards)."""
    return replace(typesense_cluster.config, prefix=collection_prefix)


def cluster_env(engine: TypesenseEngine, key: str | None = None) -> dict[str, str]:
    return {API_KEY_ENV: key or engine.api_key, PREFIX_ENV: engine.prefix}


def engine_setting(engine: TypesenseEngine) -> str:
    return "typesense://" + ",".join(str(node) for node in engine.nodes)


def kennisbank(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The command in a process of its own, with only the cluster settings of `env`."""
    environ = {name: value for name, value in os.environ.items() if not name.startswith("KENNISBANK_TYPESENSE")}
    environ.pop(ENGINE_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "search_app.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**environ, **(env or {})},
    )


def reindex(corpus: Path, state: Path, engine: TypesenseEngine, **options: object) -> RunReport:
    """The real pipeline into the cluster, as the tests of the embedded engine run it."""
    from tests.conftest import TEST_LIMITS  # conftest imports this module's fixtures

    return run_index(corpus, state, limits=TEST_LIMITS, workers=2, engine=engine, **options)


def manifest(state: Path, engine: TypesenseEngine | None) -> dict[str, tuple[str, str, str, str]]:
    with open_backend(state, engine).live().contents() as contents:
        return {
            path: (entry.doc_id, entry.sha256, entry.sidecar_sha256, entry.title)
            for path, entry in contents.manifest().items()
        }
