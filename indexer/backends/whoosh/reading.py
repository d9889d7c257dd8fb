"""The embedded engine as the seam reads it (`engine.index_backend.SearchBackend`): one Whoosh index
handle per process, reopened when an indexing run switches generations."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

from whoosh.index import Index

from indexer.backends.whoosh import search as whoosh_search
from indexer.backends.whoosh.acronym_table import index_context
from indexer.backends.whoosh.completion import complete_word
from indexer.backends.whoosh.documents import get_document, stored_dates
from indexer.backends.whoosh.searchers import open_searcher
from indexer.backends.whoosh.store import IndexStore
from indexer.backends.whoosh.writable import WhooshContents
from indexer.engine.index_backend import IndexedFile
from indexer.engine.query_context import QueryContext
from indexer.engine.results import Hit, SearchRequest, SearchResults, StoredDocument


class WhooshSearching:
    """Searches, documents and word lists of the active generation of the index at `store`."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._generation: str | None = None

    def _opened(self) -> Index:
        """The index, opened once and again only when a run has switched generations: opening
        reads the table of contents, which every request would otherwise repeat."""
        directory = self.store.current_dir()
        generation = directory.name if directory else None
        with self._lock:
            if self._index is None or generation != self._generation:
                self._index = self.store.open()
                self._generation = generation
            return self._index

    def search(self, request: SearchRequest, context: QueryContext) -> SearchResults:
        return whoosh_search.search(
            self._opened(), request.text, context, request.selections, request.sort, request.page, request.page_size
        )

    def similar(self, doc_id: str, limit: int) -> list[Hit]:
        return whoosh_search.similar(self._opened(), doc_id, limit)

    def document(self, doc_id: str) -> StoredDocument | None:
        return get_document(self._opened(), doc_id)

    def query_context(self, context: QueryContext) -> QueryContext:
        return index_context(context, self._opened())

    def completions(self, prefix: str, limit: int) -> list[str]:
        return complete_word(self._opened(), prefix, limit)

    def dates(self, doc_ids: Iterable[str]) -> dict[str, dt.date]:
        return stored_dates(self._opened(), doc_ids)

    def with_content(self, sha256: str) -> IndexedFile | None:
        with open_searcher(self._opened()) as searcher:
            return WhooshContents(searcher).with_content(sha256)

    def version(self) -> str:
        """Changes with every commit and every generation."""
        index = self._opened()
        with open_searcher(index) as searcher:
            return f"{self._generation}.{searcher.reader().generation()}"
