"""The one way in to a searchable index, for the website and the command line.

`Kennisbank` owns the index handle (reopened when an indexing run switches generations), the query
context made from the taxonomy, and the engine's caches. It takes and returns plain data only
(`engine.results`), so its callers never see the engine behind it; today that is the embedded
Whoosh engine (`backends.whoosh`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from whoosh.index import Index

from indexer.backends.whoosh import search as whoosh_search
from indexer.backends.whoosh.acronym_table import index_context
from indexer.backends.whoosh.completion import MIN_PREFIX_CHARS, complete_word
from indexer.backends.whoosh.documents import get_document, stored_dates
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.review import Preview, preview
from indexer.corpus.staging import Staged
from indexer.dossiers.pdf import cached_dossier_pdf
from indexer.dossiers.texts import Dossier
from indexer.engine.highlighting import highlight_text, query_terms
from indexer.engine.query_context import QueryContext
from indexer.engine.results import SORT_RELEVANCE, Hit, SearchResults, StoredDocument
from indexer.indexing.pipeline import REPORT_FILE, with_ocr_cache
from indexer.indexing.workers import Limits
from indexer.themes.taxonomy import Taxonomy, Theme

__all__ = ["MIN_PREFIX_CHARS", "Kennisbank", "index_is_current"]

# Built dossier PDFs are kept beside the index, one per dossier text and index generation.
DOSSIER_CACHE = "dossier-pdf"


def index_is_current(index_root: Path) -> bool:
    """Whether an index exists at `index_root`, written by this version's schema and analysis."""
    return IndexStore(index_root).is_current()


class Kennisbank:
    """Search, documents, word completions, upload previews and dossier PDFs over the index at `index_root`."""

    def __init__(self, index_root: Path, taxonomy: Taxonomy) -> None:
        self.store = IndexStore(index_root)
        self.taxonomy = taxonomy
        self.context = QueryContext.from_taxonomy(taxonomy)
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._generation: Path | None = None

    @property
    def root(self) -> Path:
        return self.store.root

    def _opened(self) -> Index:
        """The index, opened once and again only when a run has switched generations: opening
        reads the table of contents, which every request would otherwise repeat."""
        generation = self.store.current_dir()
        with self._lock:
            if self._index is None or generation != self._generation:
                self._index = self.store.open()
                self._generation = generation
            return self._index

    def search(
        self,
        text: str = "",
        selections: Mapping[str, set[str] | tuple[str, ...]] | None = None,
        sort: str = SORT_RELEVANCE,
        page: int = 1,
        page_size: int = 10,
    ) -> SearchResults:
        """One page of documents for `text` within the selected facet values; an empty text lists
        every document, newest first."""
        chosen = {field: set(values) for field, values in (selections or {}).items()}
        return whoosh_search.search(self._opened(), text, self.context, chosen, sort, page, page_size)

    def similar(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """The documents most like this one, by the key terms of its text."""
        return whoosh_search.similar(self._opened(), doc_id, limit)

    def document(self, doc_id: str) -> StoredDocument | None:
        return get_document(self._opened(), doc_id)

    def highlighter(self, query: str) -> Callable[[str], str]:
        """Text to safe HTML with the words `query` looks for marked (no marks without a query)."""
        terms = query_terms(query, index_context(self.context, self._opened())) if query else frozenset()
        return lambda text: highlight_text(text, terms)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """Words of the index that finish `prefix`, the most used first (suggestions while typing)."""
        return complete_word(self._opened(), prefix, limit)

    def dates(self, doc_ids: Iterable[str]) -> dict[str, dt.date]:
        """The date of each of these documents that has one (a feed says when an entry appeared)."""
        return stored_dates(self._opened(), doc_ids)

    def preview(self, staged: Staged) -> Preview:
        """How a staged upload reads and would be tagged; OCR is shared with indexing runs."""
        return preview(staged, self._opened(), self.taxonomy, with_ocr_cache(Limits(), self.root))

    def last_report(self) -> dict:
        """The last indexing run's report ({} before the first)."""
        return self.store.read_json(REPORT_FILE)

    def dossier_pdf(self, dossier: Dossier, theme: Theme, documents_dir: Path) -> Path:
        """The dossier's PDF, built when the dossier text or the index changed since the last one."""
        return cached_dossier_pdf(dossier, theme, self._opened(), documents_dir, self.root / DOSSIER_CACHE)
