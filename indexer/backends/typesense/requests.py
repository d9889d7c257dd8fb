"""The searches the cluster is asked, in multi-searches: global statistics, term counts, candidates;
and those of the statistics and counts that stay until the next write (`ServedFacts`).

Typesense answers a multi-search with one result per search, in order; a search it refused is a
result with an error, raised here as a `ClusterError`. A multi-search takes at most
`MULTI_SEARCH_LIMIT` searches (Typesense's default), so longer lists go in several.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from indexer.backends.typesense.candidates import ClusterStatistics
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import LENGTH_FIELDS, token_field
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.backends.typesense.filters import key_filter
from indexer.engine.facet_specs import FACETS
from indexer.engine.fields import SOURCE_WORDS, TEXT_FIELDS
from indexer.engine.matching import RANKED_FIELDS, TermKey

MULTI_SEARCH_LIMIT = 50
# Term counts a `TermCounts` keeps at most (the least recently used go first): about 10 MiB.
MAX_CACHED_COUNTS = 50_000
# Typesense returns at most this many records per page.
PER_PAGE = 250
# What a candidate brings along: what it is shown with, what it is scored and filtered with (and the
# weights of the query's terms, `candidates.weight_paths`).
CANDIDATE_FIELDS = ",".join(
    [
        "id",
        "path",
        "title",
        "summary",
        "source_as_written",
        "page_count",
        "date_days",
        token_field(SOURCE_WORDS),
        *(spec.field for spec in FACETS),
        *(field.name for field in LENGTH_FIELDS),
    ]
)


# The token fields of the ranked text, for Typesense's own text match of the query's words.
MATCHED_FIELDS = ",".join(token_field(field) for field in TEXT_FIELDS)


def multi_search(client: TypesenseClient, searches: list[dict]) -> list[dict]:
    """Each search's result, in order."""
    results = []
    for start in range(0, len(searches), MULTI_SEARCH_LIMIT):
        body = {"searches": searches[start : start + MULTI_SEARCH_LIMIT]}
        answer = client.request("POST", "/multi_search", body=body, idempotent=True)
        for result in answer["results"]:
            if "error" in result:
                status = result.get("code", 400)
                raise ClusterError(ClusterProblem.REJECTED, node="multi_search", status=status, message=result["error"])
            results.append(result)
    return results


# The field a search of each collection names (Typesense wants one, even for `q=*`).
DOCUMENT_TEXT = token_field("content")
PAGE_TEXT_TOKENS = token_field("page_text")


def search(collection: str, filter_by: str | None = None, query_by: str = DOCUMENT_TEXT, **params: object) -> dict:
    """One search of a multi-search: every record (`q=*`) that passes `filter_by`, unless `params` say more."""
    found = {"collection": collection, "q": "*", "query_by": query_by}
    if filter_by:
        found["filter_by"] = filter_by
    return found | params


def statistics_search(documents: str) -> dict:
    """The number of documents and the sums of the ranked fields' lengths (facet stats)."""
    fields = ",".join(field.name for field in LENGTH_FIELDS)
    return search(documents, per_page=0, facet_by=fields, max_facet_values=1)


def statistics(result: dict) -> ClusterStatistics:
    count = int(result["found"])
    sums = {facet["field_name"]: facet.get("stats", {}).get("sum", 0.0) for facet in result.get("facet_counts", [])}
    averages = {}
    for field, length in zip(RANKED_FIELDS, LENGTH_FIELDS, strict=True):
        total = float(sums.get(length.name, 0.0))
        averages[field] = total / count if count and total else 1.0
    return ClusterStatistics(count, averages)


def term_counts(client: TypesenseClient, documents: str, keys: Iterable[TermKey]) -> dict[TermKey, int]:
    """How many documents of the whole collection hold each term: one `per_page=0` search per term."""
    keys = sorted(keys)
    results = multi_search(client, [search(documents, key_filter(key), per_page=0) for key in keys])
    return {key: int(result["found"]) for key, result in zip(keys, results, strict=True)}


class ServedFacts:
    """What BM25F needs of one served version of the collections, asked once: the `statistics` (kept by
    the first search that asks for them) and each term's count (`counts`). Both change only with a
    write, and whoever watches the version (`searchable`) makes a new one when it changes."""

    def __init__(self, client: TypesenseClient, documents: str, limit: int = MAX_CACHED_COUNTS) -> None:
        self.client = client
        self.documents = documents
        self.limit = limit
        self.statistics: ClusterStatistics | None = None
        self._counts: OrderedDict[TermKey, int] = OrderedDict()
        self._lock = threading.Lock()  # a front end's threads share it

    def counts(self, keys: Iterable[TermKey]) -> dict[TermKey, int]:
        """`term_counts`, each term asked of the cluster once."""
        keys = set(keys)
        with self._lock:
            known = {key: self._counts[key] for key in keys if key in self._counts}
        fetched = term_counts(self.client, self.documents, keys - known.keys())
        with self._lock:
            for key, count in [*known.items(), *fetched.items()]:
                self._counts[key] = count
                self._counts.move_to_end(key)
            while len(self._counts) > self.limit:
                self._counts.popitem(last=False)
        return known | fetched
