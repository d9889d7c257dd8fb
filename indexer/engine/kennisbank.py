"""The one way in to a searchable index, for the website and the command line.

`Kennisbank` owns the engine behind the index (`engine.backend_choice`), the query context made from
the taxonomy, and what is derived from the index (upload previews, dossier PDFs). It takes and returns
plain data only (`engine.results`), so its callers never see the engine; today that is the embedded
Whoosh engine (`backends.whoosh`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from pathlib import Path

from indexer.analysis.analyzers import build_word_list_tables
from indexer.analysis.word_lists import release_word_lists
from indexer.analysis.wordforms import fold
from indexer.corpus.review import Preview, preview
from indexer.corpus.staging import Staged
from indexer.dossiers.pdf import cached_dossier_pdf
from indexer.dossiers.texts import Dossier
from indexer.engine.backend_choice import (
    EngineConfig,
    open_backend,
    open_search,
    require_searchable,
    searches_in_process,
)
from indexer.engine.highlighting import highlight_text, query_terms
from indexer.engine.query_context import QueryContext
from indexer.engine.results import SORT_RELEVANCE, Hit, SearchRequest, SearchResults, StoredDocument, normalised_paging
from indexer.errors import KennisbankError
from indexer.indexing.pipeline import CHANGES as CHANGES  # the key of `last_report` the website reads it under
from indexer.indexing.pipeline import REPORT_FILE, with_ocr_cache
from indexer.indexing.workers import Limits
from indexer.themes.taxonomy import Taxonomy, Theme

__all__ = ["MIN_PREFIX_CHARS", "Kennisbank", "index_is_current", "require_searchable"]

# Built dossier PDFs are kept beside the index, one per dossier text and index version.
DOSSIER_CACHE = "dossier-pdf"
# Before a word is completed, at least this many letters of it are typed.
MIN_PREFIX_CHARS = 3
# What a server process searches once before it takes requests: a phrase and a compound, so that the
# index's snapshot, its word table and the caches a search fills are made then, not in a visitor's
# first search, which took up to a second longer (the word-list tables are built after it anyway:
# `analyzers.build_word_list_tables`).
WARM_UP_QUERY = '"veiligheid in de wijk" jeugdcriminaliteit'


def index_is_current(index_root: Path, engine: EngineConfig | None = None) -> bool:
    """Whether an index exists at `index_root` (or in `engine`), written by this version's schema and analysis."""
    return open_backend(index_root, engine).is_current()


class Kennisbank:
    """Search, documents, word completions, upload previews and dossier PDFs over the index at `index_root`."""

    def __init__(self, index_root: Path, taxonomy: Taxonomy, engine: EngineConfig | None = None) -> None:
        self.root = Path(index_root)
        self.engine = engine
        # The run's state folder (the last report), opened once rather than per page view.
        self.run_state = open_backend(self.root, engine)
        self.backend = open_search(self.root, engine)
        self.taxonomy = taxonomy
        self.context = QueryContext.from_taxonomy(taxonomy)

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
        chosen, page, page_size = normalised_paging(selections, page, page_size)
        request = SearchRequest(text, chosen, sort, page, page_size)
        return self.backend.search(request, self.context)

    def warm_up(self) -> None:
        """Search once, on the embedded engine, before the first visitor does (a cluster's front end
        holds no such tables, and a node that does not answer must not hold up a server's start). An
        index that fails here says so on the pages, in Dutch, so this says nothing. The word lists its
        tables were made from are let go after it (`word_lists`)."""
        if searches_in_process(self.engine):
            with suppress(KennisbankError):
                self.search(WARM_UP_QUERY)
            build_word_list_tables()
            release_word_lists()

    def similar(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """The documents most like this one, by the key terms of its text."""
        return self.backend.similar(doc_id, limit)

    def document(self, doc_id: str) -> StoredDocument | None:
        return self.backend.document(doc_id)

    def highlighter(self, query: str) -> Callable[[str], str]:
        """Text to safe HTML with the words `query` looks for marked (no marks without a query)."""
        terms = query_terms(query, self.backend.query_context(self.context)) if query else frozenset()
        return lambda text: highlight_text(text, terms)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """Words of the index that finish `prefix`, the most used first (suggestions while typing)."""
        folded = fold(prefix.strip())
        if len(folded) < MIN_PREFIX_CHARS or not folded.isalpha():
            return []
        return self.backend.completions(folded, limit)

    def dates(self, doc_ids: Iterable[str]) -> dict[str, dt.date]:
        """The date of each of these documents that has one (a feed says when an entry appeared)."""
        return self.backend.dates(doc_ids)

    def preview(self, staged: Staged) -> Preview:
        """How a staged upload reads and would be tagged; OCR is shared with indexing runs."""
        return preview(staged, self.backend.with_content, self.taxonomy, with_ocr_cache(Limits(), self.root))

    def last_report(self) -> dict:
        """The last indexing run's report ({} before the first); the last re-tagging or re-reading,
        perhaps an earlier run's, under `CHANGES`."""
        return self.run_state.read_json(REPORT_FILE)

    def dossier_pdf(self, dossier: Dossier, theme: Theme, documents_dir: Path) -> Path:
        """The dossier's PDF, built when the dossier text or the index changed since the last one."""
        return cached_dossier_pdf(
            dossier, theme, self.backend.version(), self.backend.document, documents_dir, self.root / DOSSIER_CACHE
        )
