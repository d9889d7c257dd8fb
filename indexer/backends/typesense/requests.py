"""The searches the cluster is asked, in multi-searches: global statistics, term counts, candidates;
and those of the statistics and counts that stay until the next write (`ServedFacts`).

Typesense answers a multi-search with one result per search, in order; a search it refused is a
result with an error, raised here as a `ClusterError`. A multi-search takes at most
`MULTI_SEARCH_LIMIT` searches (Typesense's default), so longer lists go in several.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from indexer.backends.typesense.candidates import ClusterStatistics
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import LENGTH_FIELDS, token_field
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.backends.typesense.filters import key_filter
from indexer.engine.facet_specs import FACETS
from indexer.engine.fields import SOURCE_WORDS, TEXT_FIELDS
from indexer.engine.matching import RANKED_FIELDS, TermKey

K = TypeVar("K")
V = TypeVar("V")

MULTI_SEARCH_LIMIT = 50
# Term counts a `TermCounts` keeps at most (the least recently used go first): about 10 MiB.
MAX_CACHED_COUNTS = 50_000
# Query texts whose "Bedoelde u" is kept at most.
MAX_CACHED_TEXTS = 10_000
# Typesense returns at most this many records per page.
PER_PAGE = 250
# What a candidate brings along: what it is ordered, scored and filtered with (and the weights of the
# query's terms, `candidates.weight_paths`); the facets are also shown.
CANDIDATE_FIELDS = ",".join(
    [
        "id",
        "date_days",
        token_field(SOURCE_WORDS),
        *(spec.field for spec in FACETS),
        *(field.name for field in LENGTH_FIELDS),
    ]
)
# What only a shown document needs besides: read for the page's documents, not for every candidate
# (about half of a candidate's answer).
DISPLAY_FIELDS = "id,path,title,summary,source_as_written,page_count"
# Everything a listed document is shown with.
LISTED_FIELDS = f"{CANDIDATE_FIELDS},{DISPLAY_FIELDS.removeprefix('id,')}"


# The token fields of the ranked text, for Typesense's own text match of the query's words.
MATCHED_FIELDS = ",".join(token_field(field) for field in TEXT_FIELDS)


def multi_search(
    client: TypesenseClient, searches: list[dict], incomplete: Callable[[list[dict]], bool] | None = None
) -> list[dict]:
    """Each search's result, in order. A node whose results miss a collection, or are `incomplete`,
    may lag behind the others, which are asked first (`TypesenseClient.request`)."""

    def lacks(answer: dict) -> bool:
        results = answer["results"]
        return any(result.get("code") == 404 for result in results) or bool(incomplete and incomplete(results))

    results = []
    for start in range(0, len(searches), MULTI_SEARCH_LIMIT):
        body = {"searches": searches[start : start + MULTI_SEARCH_LIMIT]}
        answer = client.request("POST", "/multi_search", body=body, idempotent=True, lacks=lacks)
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


class Remembered(Generic[K, V]):
    """At most `limit` answers, the least recently used forgotten first; a front end's threads share it
    (two threads may both ask for a missing answer: the same answer, kept once)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def known(self, keys: Iterable[K]) -> dict[K, V]:
        with self._lock:
            return {key: self._values[key] for key in keys if key in self._values}

    def keep(self, values: dict[K, V]) -> None:
        with self._lock:
            for key, value in values.items():
                self._values[key] = value
                self._values.move_to_end(key)
            while len(self._values) > self.limit:
                self._values.popitem(last=False)

    def get(self, key: K, ask: Callable[[K], V]) -> V:
        """The answer for `key`, asked with `ask` the first time."""
        known = self.known([key])
        value = known[key] if known else ask(key)
        self.keep({key: value})
        return value


class ServedFacts:
    """What stays the same for one served version of the collections, asked once: the `statistics` of
    BM25F (kept by the first search that asks for them), the `acronyms` the documents define (kept by
    the first query that reads them), each term's count (`counts`), each stem's share of the documents
    (`shares`) and each text's "Bedoelde u" (`suggestions`). All change only with a write, and whoever
    watches the version (`searchable`) makes a new one when it changes."""

    def __init__(self, client: TypesenseClient, documents: str, limit: int = MAX_CACHED_COUNTS) -> None:
        self.client = client
        self.documents = documents
        self.statistics: ClusterStatistics | None = None
        self.acronyms: tuple[tuple[str, str], ...] | None = None
        self._counts: Remembered[TermKey, int] = Remembered(limit)
        self.shares: Remembered[str, float] = Remembered(limit)
        self.suggestions: Remembered[str, str | None] = Remembered(MAX_CACHED_TEXTS)

    def counts(self, keys: Iterable[TermKey]) -> dict[TermKey, int]:
        """`term_counts`, each term asked of the cluster once."""
        keys = set(keys)
        known = self._counts.known(keys)
        fetched = term_counts(self.client, self.documents, keys - known.keys())
        self._counts.keep(known | fetched)
        return known | fetched
