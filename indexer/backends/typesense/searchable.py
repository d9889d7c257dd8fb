"""The cluster as the seam reads it (`engine.index_backend.SearchBackend`): searches through the
aliases, so a rebuild's switch reaches every front end at once, and documents read back from their
stored fields.

What a search needs besides the query is asked for once per version of the served collections
(`version`): the acronyms the documents define, the share of the documents that has a stem
(which compound parts may count alone when loosening), the statistics and term counts of BM25F and the
"Bedoelde u" of each text (`ServedFacts`).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from collections.abc import Iterable
from urllib.parse import quote

from indexer.analysis.acronyms import SEPARATOR
from indexer.backends.config import TypesenseEngine
from indexer.backends.typesense import stamps
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import DOCUMENTS, PAGES, served_collection
from indexer.backends.typesense.contents import TypesenseContents, exact
from indexer.backends.typesense.errors import ClusterError
from indexer.backends.typesense.filters import any_of, term_filter
from indexer.backends.typesense.requests import ServedFacts, multi_search, search
from indexer.backends.typesense.searching import ClusterSearch, Collections
from indexer.backends.typesense.shown import listing
from indexer.backends.typesense.similar import similar
from indexer.backends.typesense.vocabulary import complete
from indexer.engine.acronym_choice import choose
from indexer.engine.index_backend import IndexedFile
from indexer.engine.query_context import QueryContext
from indexer.engine.results import Hit, SearchRequest, SearchResults, StoredDocument

_EPOCH = dt.date(1970, 1, 1)
# Seconds between looks at which builds the aliases serve: a rebuild's new acronyms and word counts
# are used this long after its switch at the latest.
VERSION_CHECK_S = 1.0


class TypesenseSearching:
    """Searches, documents and word lists of the collections the aliases serve."""

    def __init__(self, config: TypesenseEngine) -> None:
        self.client = TypesenseClient.from_config(config)
        self.prefix = config.prefix
        self.collections = Collections(DOCUMENTS.alias(config.prefix), PAGES.alias(config.prefix))
        self._lock = threading.Lock()
        self._version: str | None = None
        self._facts = ServedFacts(self.client, self.collections.documents)
        self._checked = -VERSION_CHECK_S

    def check(self) -> None:
        """Refuse, in Dutch, collections that are missing or of another schema revision."""
        self.version()

    def _refresh(self) -> None:
        """Forget what was derived from an older version of the collections (looked at once per
        `VERSION_CHECK_S`: the check costs four requests, a search about as many)."""
        now = time.monotonic()
        if now - self._checked < VERSION_CHECK_S:
            return
        version = self.version()
        with self._lock:
            self._checked = now
            if version != self._version:
                self._version = version
                self._facts = ServedFacts(self.client, self.collections.documents)

    def version(self) -> str:
        """The served builds, their record counts and the last write's stamp: changes when an alias
        moves, a document is added or removed, or one is replaced in place (`stamps`)."""
        parts = []
        for spec in (DOCUMENTS, PAGES):
            name = served_collection(self.client, spec, self.prefix)
            found = self.client.request("GET", f"/collections/{name}")
            parts.append(f"{name}:{found['num_documents']}")
        return "|".join([*parts, stamps.current(self.client, self.prefix)])

    def share_of(self, stem: str) -> float:
        """The share of the documents whose text has `stem`."""
        return self._facts.shares.get(stem, self._share)

    def _share(self, stem: str) -> float:
        counted, everything = multi_search(
            self.client,
            [
                search(self.collections.documents, term_filter("content", stem), per_page=0),
                search(self.collections.documents, per_page=0),
            ],
        )
        return int(counted["found"]) / max(1, int(everything["found"]))

    def query_context(self, context: QueryContext) -> QueryContext:
        self._refresh()
        facts = self._facts
        if facts.acronyms is None:
            counts: Counter[tuple[str, str]] = Counter()
            path = f"/collections/{self.collections.documents}/documents/export"
            for record in self.client.request("GET", path, params={"include_fields": "acronyms"}, answer_lines=True):
                for line in set(record.get("acronyms") or ()):
                    short, _, long_form = line.partition(SEPARATOR)
                    if long_form:
                        counts[(short, long_form)] += 1
            facts.acronyms = choose(dict(counts))
        return context.with_corpus(facts.acronyms)

    def search(self, request: SearchRequest, context: QueryContext) -> SearchResults:
        context = self.query_context(context)
        searcher = ClusterSearch(self.client, self.collections, self.share_of, self._facts)
        return searcher.search(request.text, context, request.selections, request.sort, request.page, request.page_size)

    def similar(self, doc_id: str, limit: int) -> list[Hit]:
        record = self._record(doc_id)
        if record is None:
            return []
        facts = self._facts
        if facts.statistics is not None:  # a search of this version counted the documents
            count = facts.statistics.document_count
        else:
            count = self.client.request("GET", f"/collections/{self.collections.documents}")["num_documents"]
        return similar(ClusterSearch(self.client, self.collections, self.share_of, facts), record, count, limit)

    def _record(self, doc_id: str) -> dict | None:
        try:
            return self.client.request(
                "GET", f"/collections/{self.collections.documents}/documents/{quote(doc_id, safe='')}"
            )
        except ClusterError as exc:
            if exc.status == 404:
                return None
            raise

    def document(self, doc_id: str) -> StoredDocument | None:
        record = self._record(doc_id)
        if record is None:
            return None
        path = f"/collections/{self.collections.pages}/documents/export"
        pages = self.client.request(
            "GET", path, params={"filter_by": exact("parent", doc_id), "include_fields": "page,text"}, answer_lines=True
        )
        days = record.get("date_days") or 0
        return StoredDocument(
            **listing(record),
            themes_curated=bool(record.get("themes_curated")),
            date=(_EPOCH + dt.timedelta(days=days)).isoformat() if days else "",
            language=record.get("language", ""),
            word_count=record.get("word_count", 0),
            pages=tuple(sorted((page["page"], page.get("text", "")) for page in pages)),
            ocr_pages=tuple(record.get("ocr_pages") or ()),
            tagging=json.loads(record.get("tagging") or "{}"),
        )

    def completions(self, prefix: str, limit: int) -> list[str]:
        return complete(self.client, self.collections.documents, prefix, limit)

    def dates(self, doc_ids: Iterable[str]) -> dict[str, dt.date]:
        ids = list(doc_ids)
        if not ids:
            return {}
        filter_by = any_of("id", ids)
        (found,) = multi_search(
            self.client,
            [search(self.collections.documents, filter_by, per_page=min(250, len(ids)), include_fields="id,date_days")],
        )
        return {
            hit["document"]["id"]: _EPOCH + dt.timedelta(days=hit["document"]["date_days"])
            for hit in found["hits"]
            if hit["document"].get("date_days")
        }

    def with_content(self, sha256: str) -> IndexedFile | None:
        return TypesenseContents(self.client, self.collections.documents, self.collections.pages).with_content(sha256)
