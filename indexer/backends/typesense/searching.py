"""One search on the cluster: Typesense finds the candidates, our second stage ranks them.

1. The query is parsed as the embedded engine parses it (all words, then all but one, then any), and
   each reading compiled to a Typesense filter (`filters`). The loosest reading's filter holds every
   document any reading can match; those documents are the candidates, fetched with the weights of
   the readings' terms and their field lengths in one multi-search (with the collection's statistics
   the first time, `requests`).
   Beyond `MAX_CANDIDATES` of them, the best `MAX_CANDIDATES` by Typesense's own text match of the
   query's words are ranked (the newest, when sorted by date).
2. Each reading is evaluated over the candidates by the embedded engine's evaluator
   (`engine.matching`), with the cluster's own counts of the documents of each term (asked once per
   served version of the collections, as the statistics: `requests.ServedFacts`), so BM25F sees
   the same idf and average lengths as in the embedded index; the choice between readings, the
   coordination and recency bonuses and the order are the embedded engine's (`engine.ranking`).
3. Facet counts come from the candidates (`facets`); the shown documents' display fields (`shown`),
   pages and snippets (`page_hits`) in one multi-search, with the cluster's counts when the candidates
   cannot give them.

An empty query lists every document newest first straight from Typesense, with its facet counts
from one multi-search. Patterns (`radicali*`) are replaced by the words they stand for from the
cluster's vocabulary (`vocabulary`), as the embedded engine does from its own. A query that finds
less than a page is also tried as "Bedoelde u" suggests (`suggestions`); the correction's documents
are shown when it finds more, as in the embedded engine.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from indexer.backends.typesense.candidates import Candidates, ClusterStatistics, weight_paths
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import ID_ORDER
from indexer.backends.typesense.facets import Selection, candidate_columns, facet_searches, facets_from
from indexer.backends.typesense.filters import query_filter, selection_filter
from indexer.backends.typesense.page_hits import page_hits, page_search
from indexer.backends.typesense.requests import (
    CANDIDATE_FIELDS,
    LISTED_FIELDS,
    MATCHED_FIELDS,
    PER_PAGE,
    ServedFacts,
    multi_search,
    search,
    statistics,
    statistics_search,
)
from indexer.backends.typesense.shown import listed, listing, with_display
from indexer.backends.typesense.suggestions import suggest
from indexer.backends.typesense.vocabulary import ClusterExpansion
from indexer.engine.attempts import MIN_RESULTS_BEFORE_LOOSENING, looser_modes, notes
from indexer.engine.expansion import REQUEST_BUDGET_S
from indexer.engine.fields import TEXT_FIELDS
from indexer.engine.matching import Evaluator
from indexer.engine.query import ParsedQuery, parse_query
from indexer.engine.query_context import QueryContext
from indexer.engine.query_model import Node, field_terms
from indexer.engine.ranking import Choice, Ordering, page_of
from indexer.engine.results import (
    NO_PAGE_HITS,
    SORT_DATE,
    SORT_RELEVANCE,
    SearchResults,
    normalised_paging,
    ranked_hit,
)

# Candidates the second stage ranks at most (chosen with `bench.cluster_quality`, see docs/typesense.md);
# beyond it the best by Typesense's text match are ranked, and the total and facet counts come from the cluster.
MAX_CANDIDATES = 250
_EPOCH = dt.date(1970, 1, 1)
# Newest first (undated documents have day 0, so they come last), then by id, as in the embedded engine.
NEWEST_FIRST = f"date_days:desc,{ID_ORDER}:asc"
# Typesense's text match of the query's exact words, rarest first (it drops words from the end until
# it has enough documents), title over summary over text.
BY_TEXT_MATCH = {
    "query_by": MATCHED_FIELDS,
    "query_by_weights": "3,2,1",
    "sort_by": f"_text_match:desc,{NEWEST_FIRST}",
    "num_typos": 0,
    "prefix": "false",
}


@dataclass(frozen=True)
class Collections:
    """The collections (or aliases) a search reads."""

    documents: str
    pages: str


def ordering_of(records: list[dict]) -> Ordering:
    days = np.array([record.get("date_days") or np.nan for record in records], dtype=np.float64)
    ranks = np.argsort(np.argsort(np.array([record["id"] for record in records], dtype=object)))
    return Ordering(days, ranks.astype(np.int64), float((dt.date.today() - _EPOCH).days), 365.25)


class Attempts:
    """The candidates of a query's readings and the user's selections over them."""

    def __init__(self, candidates: Candidates, selection: Selection) -> None:
        self.candidates = candidates
        self.selection = selection
        self.evaluator = Evaluator(candidates)

    def attempt(self, parsed: ParsedQuery, **flags: bool) -> Choice:
        matched = self.evaluator.matched(parsed.query)
        return Choice(parsed, matched.docnums, self.selection.allowed(matched.docnums), matched.scores, **flags)


class ClusterSearch:
    """Searches of one cluster's served collections."""

    def __init__(
        self, client: TypesenseClient, collections: Collections, share_of: Callable[[str], float], facts: ServedFacts
    ) -> None:
        self.client = client
        self.collections = collections
        self.share_of = share_of
        self.facts = facts

    def _candidates(self, readings: list[ParsedQuery], by_date: bool) -> Candidates:
        """The documents that pass the loosest reading's filter, with the statistics and the weights of
        the readings' terms: all of them up to `MAX_CANDIDATES`, else the best `MAX_CANDIDATES` by text
        match (by date: the newest), in one multi-search (two when the text match misses some)."""
        query = readings[-1].query
        documents, filter_by = self.collections.documents, query_filter(query)
        fields = ",".join([CANDIDATE_FIELDS, *weight_paths(reading.query for reading in readings)])
        newest = {"include_fields": fields, "per_page": min(PER_PAGE, MAX_CANDIDATES), "sort_by": NEWEST_FIRST}
        words = [] if by_date else self._words(query)
        if not words:
            (first,), known = self._with_statistics([search(documents, filter_by, **newest)])
            found = int(first["found"])
            records = self._pages(filter_by, newest, found, first)
        else:
            # The filter's count beside the best by text match: past the cut-off those are the candidates,
            # within it they are when they are all the filter's documents (a document matched by none of
            # the words Typesense kept, or through another field, is not among them).
            best = newest | BY_TEXT_MATCH | {"q": " ".join(words), "drop_tokens_threshold": MAX_CANDIDATES}
            (counted, first), known = self._with_statistics(
                [search(documents, filter_by, per_page=0), search(documents, filter_by, **best)]
            )
            found, matched = int(counted["found"]), int(first["found"])
            if found > MAX_CANDIDATES or matched == found:
                records = self._pages(filter_by, best, matched, first)
            else:
                records = self._pages(filter_by, newest, found)
        candidates = Candidates(records, known)
        candidates.complete = found <= MAX_CANDIDATES
        return candidates

    def _with_statistics(self, searches: list[dict]) -> tuple[list[dict], ClusterStatistics]:
        """The results of `searches`, and the collection's statistics: asked in the same multi-search
        the first time for this version of the collections."""
        known = self.facts.statistics
        if known is not None:
            return multi_search(self.client, searches), known
        stats, *results = multi_search(self.client, [statistics_search(self.collections.documents), *searches])
        self.facts.statistics = statistics(stats)
        return results, self.facts.statistics

    def _pages(self, filter_by: str | None, fetch: dict, found: int, first: dict | None = None) -> list[dict]:
        """The records of `fetch`'s pages up to `found` (at most `MAX_CANDIDATES`); page 1 is `first`
        when it was read already."""
        records = [hit["document"] for hit in first["hits"]] if first else []
        pages = range(2 if first else 1, -(-min(found, MAX_CANDIDATES) // fetch["per_page"]) + 1)
        if len(pages):
            more = multi_search(
                self.client, [search(self.collections.documents, filter_by, page=page, **fetch) for page in pages]
            )
            records += [hit["document"] for result in more for hit in result["hits"]]
        return records

    def _words(self, query: Node) -> list[str]:
        """The query's words in the ranked text fields, rarest first."""
        words = {text for field, text in field_terms(query) if field in TEXT_FIELDS}
        return sorted(words, key=lambda word: (self.share_of(word), word))

    def _suggestion(self, text: str) -> str | None:
        """ "Bedoelde u" for `text`, asked of the cluster once per served version."""
        return self.facts.suggestions.get(text, lambda asked: suggest(self.client, self.collections.documents, asked))

    def prepared(self, readings: list[ParsedQuery], selections: dict[str, set[str]], by_date: bool = False) -> Attempts:
        """The candidates of `readings` with the counts of their terms, ready to evaluate each reading."""
        candidates = self._candidates(readings, by_date)
        evaluator = Evaluator(candidates)
        for reading in readings:  # note the terms whose counts are needed
            evaluator.evaluate(reading.query)
        candidates.counts = self.facts.counts(candidates.asked)
        return Attempts(candidates, Selection(candidate_columns(candidates.records), selections, candidates.size))

    def search(
        self,
        text: str,
        context: QueryContext,
        selections: Mapping[str, set[str]] | None = None,
        sort: str = SORT_RELEVANCE,
        page: int = 1,
        page_size: int = 10,
    ) -> SearchResults:
        """One page of documents for `text` within the selected facet values, with facet counts."""
        selections, page, page_size = normalised_paging(selections, page, page_size)
        expansion = ClusterExpansion(self.client, self.collections.documents, time.monotonic() + REQUEST_BUDGET_S)
        readings = self._readings(text, context, expansion)
        if readings[0].query is None:
            return self._listing(text, selections, page, page_size, notes(readings[0], expansion.limited))
        by_date = sort == SORT_DATE
        attempts = self.prepared(readings, selections, by_date)
        choice, stricter = attempts.attempt(readings[0]), []
        suggestion = self._suggestion(text) if choice.total < page_size else None
        corrected = self._readings(suggestion, context, expansion)[:1] if suggestion else []
        fixed = self.prepared(corrected, selections, by_date) if corrected and corrected[0].query is not None else None
        if fixed is not None and (fixed_choice := fixed.attempt(corrected[0], corrected=True)).total > choice.total:
            # A word in no document is likely a typo; the correction wins when it finds more.
            attempts, choice = fixed, fixed_choice
        else:
            too_few = choice.total < MIN_RESULTS_BEFORE_LOOSENING
            for reading in readings[1:]:
                loose = attempts.attempt(reading, relaxed=too_few)
                if loose.total > choice.total:
                    stricter.append(choice)
                    choice = loose
        candidates = attempts.candidates
        ordering = ordering_of(candidates.records)
        score_of = dict(page_of(ordering, choice, stricter, by_date, page, page_size))
        shown = list(score_of)
        page_query = expansion.rewrite(choice.parsed.page_query)
        ids = [candidates.records[number]["id"] for number in shown]
        grouped = page_search(self.collections.pages, page_query, ids)
        counting = [] if candidates.complete else self._counting(choice.parsed.query, selections)
        answers = self.displayed(candidates.records, shown, ([grouped] if grouped else []) + counting)
        pages = page_hits(self.client, self.collections.pages, page_query, answers[0] if grouped else None)
        if counting:  # the cluster counts what the candidates cannot (exclusions aside)
            counted = answers[-len(counting) :]
            total, facets = int(counted[0]["found"]), facets_from(counted, selections)
        else:
            total, facets = choice.total, attempts.selection.facets(choice.matching)
        return SearchResults(
            query=text,
            total=total,
            page=page,
            page_size=page_size,
            hits=tuple(
                ranked_hit(shown_listing, score_of[number], pages.get(str(shown_listing["id"]), NO_PAGE_HITS))
                for number, shown_listing in listed(candidates.records, shown)
            ),
            facets=facets,
            sort=sort if sort == SORT_DATE else SORT_RELEVANCE,
            expansions=choice.parsed.expansions,
            suggestion=suggestion,
            corrected=choice.corrected,
            relaxed=choice.relaxed,
            notes=notes(choice.parsed, expansion.limited),
        )

    def _counting(self, query: Node, selections: dict[str, set[str]]) -> list[dict]:
        """The searches for the total and facet counts of the query's filter."""
        return facet_searches(self.collections.documents, query_filter(query), selections)

    def displayed(self, records: list[dict], shown: list[int], searches: list[dict]) -> list[dict]:
        """`shown.with_display` of these collections."""
        return with_display(self.client, self.collections.documents, records, shown, searches)

    def _readings(self, text: str, context: QueryContext, expansion: ClusterExpansion) -> list[ParsedQuery]:
        """The strict reading, then the looser ones the text has words for, patterns expanded."""
        strict = parse_query(text, context)
        readings = [strict]
        if strict.query is not None:
            readings += [parse_query(text, context, match=mode, share_of=self.share_of) for mode in looser_modes(text)]
        return [replace(reading, query=expansion.rewrite(reading.query)) for reading in readings]

    def _listing(
        self,
        text: str,
        selections: dict[str, set[str]],
        page: int,
        page_size: int,
        said: tuple[str, ...],
    ) -> SearchResults:
        """Every document within the selections, newest first, straight from the cluster."""
        documents = self.collections.documents
        shown = search(
            documents,
            selection_filter(selections),
            include_fields=LISTED_FIELDS,
            per_page=page_size,
            page=page,
            sort_by=NEWEST_FIRST,
        )
        first, *counted = multi_search(self.client, [shown, *facet_searches(documents, None, selections)])
        hits = tuple(ranked_hit(listing(found["document"]), 0.0, NO_PAGE_HITS) for found in first["hits"])
        return SearchResults(
            query=text,
            total=int(first["found"]),
            page=page,
            page_size=page_size,
            hits=hits,
            facets=facets_from(counted, selections),
            sort=SORT_DATE,
            notes=said,
        )
