"""Shared fixtures: tiny real corpora in tmp_path, the bundled corpus indexed once per session and the
website over it, served by the production server on loopback."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.backends.config import EngineConfig, TypesenseEngine
from indexer.backends.typesense.client import NodeUnreachable, TypesenseClient
from indexer.backends.typesense.collections import DOCUMENTS, PAGES
from indexer.backends.typesense.errors import ClusterError
from indexer.backends.whoosh.store import IndexStore
from indexer.config import DATA_ENV
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.engine.query_context import QueryContext
from indexer.indexing.pipeline import run_index
from indexer.indexing.workers import Limits
from indexer.themes.taxonomy import load_taxonomy
from search_app.launcher import ServerStartError, running_server

TEST_LIMITS = Limits(timeout_s=60.0)
# The bundled taxonomy read as queries read it: for the tests that search the engines directly.
CONTEXT = QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))


@pytest.fixture(scope="session", autouse=True)
def private_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep secrets, accounts and staged uploads of the tests out of the user's own data folder;
    servers started as subprocesses inherit the setting."""
    folder = tmp_path_factory.mktemp("data")
    previous = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(folder)
    yield folder
    if previous is None:
        del os.environ[DATA_ENV]
    else:
        os.environ[DATA_ENV] = previous


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty Kennisbank corpus with the bundled theme taxonomy."""
    root = tmp_path / "corpus"
    (root / "documenten").mkdir(parents=True)
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, root / THEMES_DIR)
    return root


@pytest.fixture
def docs(corpus: Path) -> Path:
    return corpus / "documenten"


@pytest.fixture
def index_root(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def reindex(corpus: Path, index_root: Path):
    """Run the real pipeline on the test corpus; returns its report."""

    def run(**options):
        options.setdefault("limits", TEST_LIMITS)
        options.setdefault("workers", 2)
        return run_index(corpus, index_root, **options)

    return run


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus, indexed once for the whole session."""
    root = tmp_path_factory.mktemp("bundled-index")
    report = run_index(BUNDLED_CORPUS, root, limits=TEST_LIMITS)
    assert not report.failed, report.failed
    assert IndexStore(root).is_current()
    return root


@contextmanager
def serving(corpus: Path, index: Path, log_path: Path, *options: str) -> Iterator[str]:
    """`kennisbank serve` (gunicorn) as a subprocess on a free loopback port; yields its base URL."""
    with log_path.open("w", encoding="utf-8") as log:
        try:
            with running_server(corpus, index, *options, output=log) as base:
                yield base
        except ServerStartError:
            pytest.fail(f"server did not start: {log_path.read_text(encoding='utf-8')}")


@pytest.fixture(scope="session")
def site_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the `site` server writes: its start line, its access log and its errors."""
    return tmp_path_factory.mktemp("server") / "server.log"


@pytest.fixture(scope="session")
def site(bundled_index: Path, site_log: Path) -> Iterator[str]:
    """The real app on the bundled index, served over HTTP."""
    with serving(BUNDLED_CORPUS, bundled_index, site_log) as base:
        yield base


# The three-node Typesense cluster, started on first use (tests/typesense_cluster.py), a client of it and a
# collection prefix of each test's own (tests/typesense_support.py).
from tests.typesense_cluster import LocalCluster, typesense_cluster  # noqa: E402, F401
from tests.typesense_support import bundled_docs, cluster, cluster_client, collection_prefix  # noqa: E402, F401

# The engines every search test runs against: the embedded index, and the cluster.
ENGINES = ("ingebouwd", "cluster")
# How long every node may take to hold what the leader acknowledged (a loaded machine).
SETTLE_S = 60.0


def settled(engine: EngineConfig | None) -> None:
    """Wait until every node of a cluster serves the same builds with the same record counts, so a
    search sent to any node sees what was just indexed (followers apply writes a moment later)."""
    if not isinstance(engine, TypesenseEngine):
        return
    client = TypesenseClient.from_config(engine)
    deadline = time.monotonic() + SETTLE_S
    while True:
        seen = set()
        for node in engine.nodes:
            try:
                seen.add(tuple(
                    (found["name"], found["num_documents"])
                    for spec in (DOCUMENTS, PAGES)
                    for found in [client.on_node(node, "GET", f"/collections/{spec.alias(engine.prefix)}")]
                ))  # fmt: skip
            except (ClusterError, NodeUnreachable):
                seen.add(())
        if (len(seen) == 1 and () not in seen) or time.monotonic() > deadline:
            return
        time.sleep(0.2)


@pytest.fixture(scope="session")
def bundled_cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> TypesenseEngine:
    """The bundled corpus, indexed once for the whole session into the cluster."""
    local: LocalCluster = request.getfixturevalue("typesense_cluster")
    engine = replace(local.config, prefix="gebundeld")
    report = run_index(BUNDLED_CORPUS, tmp_path_factory.mktemp("bundled-cluster"), limits=TEST_LIMITS, engine=engine)
    assert not report.failed, report.failed
    settled(engine)
    return engine


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> EngineConfig | None:
    """Each engine in turn for a test with a corpus of its own: None (embedded) or this test's collections."""
    return request.getfixturevalue("cluster") if request.param == "cluster" else None


@pytest.fixture(scope="module", params=ENGINES)
def bundled_engine(request: pytest.FixtureRequest) -> tuple[Path, EngineConfig | None]:
    """Each engine in turn over the bundled corpus: (index folder, engine)."""
    if request.param == "cluster":
        return request.getfixturevalue("bundled_index"), request.getfixturevalue("bundled_cluster")
    return request.getfixturevalue("bundled_index"), None
