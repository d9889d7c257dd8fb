"""Which engine an index is kept in: the one place that composes a backend."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from indexer.backends.config import EmbeddedEngine, EngineConfig, TypesenseEngine, engine_config
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import cluster_health, collection_counts
from indexer.backends.typesense.searchable import TypesenseSearching
from indexer.backends.typesense.writable import TypesenseBackend
from indexer.backends.whoosh.reading import WhooshSearching
from indexer.backends.whoosh.writable import WhooshBackend
from indexer.engine.index_backend import IndexBackend, SearchBackend

__all__ = [
    "REPORT_FILE",
    "EmbeddedEngine",
    "EngineConfig",
    "engine_config",
    "engine_status",
    "open_backend",
    "open_search",
    "require_searchable",
]

# What the last indexing run did, in the run's state folder (written by `indexing.pipeline`). Issues are
# kept as data (`Issue.as_dict`); versions that kept Dutch sentences wrote last-report.json.
REPORT_FILE = "last-run.json"


def open_backend(index_root: Path, engine: EngineConfig | None = None) -> IndexBackend:
    """The engine an indexing run writes to; `index_root` holds the embedded index, or for a cluster
    the run's own state (lock, file hashes, last report, OCR results) on this machine."""
    if isinstance(engine, TypesenseEngine):
        return TypesenseBackend(Path(index_root), engine)
    return WhooshBackend(Path(index_root))


def open_search(index_root: Path, engine: EngineConfig | None = None) -> SearchBackend:
    """The engine behind `index_root` as searches read it (for a cluster: its served collections)."""
    if isinstance(engine, TypesenseEngine):
        return TypesenseSearching(engine)
    return WhooshSearching(WhooshBackend(Path(index_root)))


def searches_in_process(engine: EngineConfig | None) -> bool:
    """Whether a searching process holds the index's tables itself (the embedded engine: its snapshot
    and word tables), not a cluster's nodes."""
    return not isinstance(engine, TypesenseEngine)


def require_searchable(engine: EngineConfig | None) -> None:
    """Refuse, before a server starts, a cluster that cannot be searched: unreachable, a wrong key, or
    collections that are missing or of another schema revision (one Dutch line)."""
    if isinstance(engine, TypesenseEngine):
        TypesenseSearching(engine).check()


def engine_status(index_root: Path, engine: EngineConfig | None = None) -> dict[str, object]:
    """What `kennisbank status` shows, as plain data: for the embedded engine the index folder and its
    documents, for a cluster each node's health and the collections with their counts and aliases;
    for both whether the index is current and what the last run did."""
    backend = open_backend(index_root, engine)
    status: dict[str, object] = {"state_folder": str(index_root), "last_run": backend.read_json(REPORT_FILE)}
    if isinstance(engine, TypesenseEngine):
        client = TypesenseClient.from_config(engine)
        health = cluster_health(client)
        status |= {
            "engine": "typesense",
            "nodes": [asdict(node) for node in health.nodes],
            "leader": health.leader,
            "quorum": health.quorum,
        }
        if not health.quorum:
            return status | {"current": None, "collections": []}
        counts = collection_counts(client)
        prefix = f"{engine.prefix}-"
        status["collections"] = [asdict(count) for count in counts if count.name.startswith(prefix)]
    else:
        status["engine"] = "ingebouwd"
    current = backend.is_current()
    status["current"] = current
    if current:
        with backend.live().contents() as contents:
            status["documents"] = len(contents.manifest())
    return status
