"""Which engine an index is kept in: the one place that composes a backend."""

from __future__ import annotations

from pathlib import Path

from indexer.backends.whoosh.reading import WhooshSearching
from indexer.backends.whoosh.writable import WhooshBackend
from indexer.engine.index_backend import IndexBackend, SearchBackend


def open_backend(index_root: Path) -> IndexBackend:
    """The engine behind `index_root` as an indexing run writes it (today always the embedded
    one, kept in that folder)."""
    return WhooshBackend(Path(index_root))


def open_search(index_root: Path) -> SearchBackend:
    """The engine behind `index_root` as searches read it."""
    return WhooshSearching(WhooshBackend(Path(index_root)))
