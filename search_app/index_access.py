"""The index shared by all requests, reopened when an indexing run switches generations."""

from __future__ import annotations

import threading
from pathlib import Path

from whoosh.index import Index

from indexer.backends.whoosh.store import IndexStore


class SharedIndex:
    """Opening a Whoosh index reads its table of contents; do that once, not per request.

    Each search opens its own searcher on this object, which sees the newest commit. A rebuild
    writes a new generation folder, so the handle checks which generation is current and reopens.
    """

    def __init__(self, root: Path) -> None:
        self.store = IndexStore(root)
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._generation: Path | None = None

    def get(self) -> Index:
        generation = self.store.current_dir()
        with self._lock:
            if self._index is None or generation != self._generation:
                self._index = self.store.open()
                self._generation = generation
            return self._index
