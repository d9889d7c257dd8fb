"""One search on the cluster: Typesense finds the candidates, our second stage ranks them.

1. The query is parsed as the embedded engine parses it (all words, then all but one, then any), and
   each reading compiled to a Typesense filter (`filters`). The loosest reading's filter holds every
   document any reading can match; those documents are the candidates, fetched with their term
   weights and field lengths (up to `MAX_CANDIDATES`, newest first beyond that), in the same
   multi-search as the collection's statistics (`requests`).
2. Each reading is evaluated over the candidates by the embedded engine's evaluator
   (`engine.matching`), with the cluster's own counts of the documents of each term, so BM25F sees
   the same idf and average lengths as in the embedded index; the choice between readings, the
   coordination and recency bonuses and the order are the embedded engine's (`engine.ranking`).
3. Facet counts come from the candidates (`facets`); the shown documents' pages and snippets from the
   pages collection (`page_hits`).

An empty query lists every document newest first straight from Typesense, with its facet counts
from one multi-search. Patterns (`radicali*`) are not expanded on the cluster yet: they are left out,
with a note; "Bedoelde u" suggestions are not made.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from indexer.analysis.wordforms import WORD_PATTERN
from indexer.backends.typesense.candidates import Candidates
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.facets import Selection, candidate_columns, facet_searches, facets_from
from indexer.backends.typesense.filters import query_filter, selection_filter
from indexer.backends.typesense.page_hits import PageHits, page_hits
from indexer.backends.typesense.requests import (
    CANDIDATE_FIELDS,
    PER_PAGE,
    multi_search,
    search,
    statistics,
    statistics_search,
    term_counts,
)
from indexer.engine.matching import Evaluator
from indexer.engine.query import MOST_WORDS_FROM, ParsedQuery, parse_query
from indexer.engine.query_context import QueryContext
from indexer.engine.query_model import NOTHING, Node, Prefix, Wildcard, with_children
from indexer.engine.ranking import Choice, Ordering, by_relevance, ordered
from indexer.engine.results import MAX_PAGE_SIZE, NO_VALUE, SORT_DATE, SORT_RELEVANCE, Hit, SearchResults

# As in the embedded engine (`backends.whoosh.search`).
MIN_RESULTS_BEFORE_LOOSENING = 3
LOOSER_MODES = (("most", MOST_WORDS_FROM), ("any", 1))
SNIPPET_CHARS = 240
# Candidates the second stage ranks at most: every document a query can match on the bundled and the
# real corpus; beyond it the newest are ranked, and totals and facets are those of the candidates.
MAX_CANDIDATES = 2_000
PATTERN_NOTE = "Zoekwoorden met * of ? worden op het Typesense-cluster nog niet gezocht; typ het hele woord."
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Collections:
    """The collections (or aliases) a search reads."""

    documents: str
    pages: str


def _without_patterns(node: Node | None) -> Node | None:
    if node is None or isinstance(node, (Prefix, Wildcard)):
        return NOTHING if node is not None else None
    return with_children(node, _without_patterns)


def _has_patterns(text: str) -> bool:
    return bool(re.search(r"\w[*?]|[*?]\w", text))


def listing(record: dict) -> dict[str, object]:
    """What every view shows of a document, from its record."""
    values = {name: tuple(value for value in record.get(name, ()) if value != NO_VALUE) for name in ("kind", "year")}
    return {
        "id": record["id"],
        "path": record["path"],
        "title": record.get("title", ""),
        "kind": next(iter(values["kind"]), ""),
        "themes": tuple(value for value in record.get("themes", ()) if value != NO_VALUE),
        "subthemes": tuple(value for value in record.get("subthemes", ()) if value != NO_VALUE),
        "year": int(values["year"][0]) if values["year"] else None,
        "source": record.get("source_as_written", ""),
        "summary": record.get("summary", ""),
        "page_count": record.get("page_count", 0),
    }


def hit(record: dict, score: float, pages: PageHits) -> Hit:
    numbers, best_page, snippet = pages
    return Hit(
        **listing(record),
        score=round(score, 4),
        pages=tuple(numbers),
        best_page=best_page,
        snippet=snippet or html.escape(record.get("summary", "")[:SNIPPET_CHARS]),
    )


def _ordering(records: list[dict]) -> Ordering:
    days = np.array([record.get("date_days") or np.nan for record in records], dtype=np.float64)
    ranks = np.argsort(np.argsort(np.array([record["id"] for record in records], dtype=object)))
    return Ordering(days, ranks.astype(np.int64), float((dt.date.today() - _EPOCH).days), 365.25)


class ClusterSearch:
    """Searches of one cluster's served collections."""

    def __init__(self, client: TypesenseClient, collections: Collections, share_of: Callable[[str], float]) -> None:
        self.client = client
        self.collections = collections
        self.share_of = share_of

    def _candidates(self, filter_by: str | None) -> tuple[Candidates, bool]:
        """The documents that pass `filter_by` (newest first), with the statistics; and whether all came."""
        documents = self.collections.documents
        fetch = {"include_fields": CANDIDATE_FIELDS, "per_page": PER_PAGE, "sort_by": "date_days:desc"}
        stats, first = multi_search(self.client, [statistics_search(documents), search(documents, filter_by, **fetch)])
        records = [hit["document"] for hit in first["hits"]]
        wanted = min(int(first["found"]), MAX_CANDIDATES)
        pages = range(2, -(-wanted // PER_PAGE) + 1)
        if len(pages):
            more = multi_search(self.client, [search(documents, filter_by, page=page, **fetch) for page in pages])
            records += [hit["document"] for result in more for hit in result["hits"]]
        return Candidates(records, statistics(stats)), int(first["found"]) <= MAX_CANDIDATES

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
        selections = {field: set(values) for field, values in (selections or {}).items() if values}
        page = max(1, page)
        page_size = min(max(1, page_size), MAX_PAGE_SIZE)
        readings = self._readings(text, context)
        notes = (PATTERN_NOTE,) if _has_patterns(text) else ()
        if readings[0].query is None:
            return self._listing(text, selections, page, page_size, readings[0], notes)
        candidates, _complete = self._candidates(query_filter(readings[-1].query))
        evaluator = Evaluator(candidates)
        for reading in readings:  # note the terms whose counts are needed
            evaluator.evaluate(reading.query)
        candidates.counts = term_counts(self.client, self.collections.documents, candidates.asked)
        evaluator = Evaluator(candidates)
        selection = Selection(candidate_columns(candidates.records), selections, candidates.size)

        def attempt(parsed: ParsedQuery, **flags: bool) -> Choice:
            match = evaluator.evaluate(parsed.query)
            return Choice(parsed, match.mask, selection.allowed(match.mask), match.scores, **flags)

        choice, stricter = attempt(readings[0]), []
        too_few = choice.total < MIN_RESULTS_BEFORE_LOOSENING
        for reading in readings[1:]:
            loose = attempt(reading, relaxed=too_few)
            if loose.total > choice.total:
                stricter.append(choice)
                choice = loose
        ordering = _ordering(candidates.records)
        if sort == SORT_DATE:
            order, scores = ordered(ordering, np.flatnonzero(choice.allowed), page * page_size), choice.scores
        else:
            order, scores = by_relevance(ordering, choice, stricter, page * page_size)
        shown = [candidates.records[number] for number in order[(page - 1) * page_size :].tolist()]
        page_query = _without_patterns(choice.parsed.page_query)
        pages = page_hits(self.client, self.collections.pages, page_query, [record["id"] for record in shown])
        numbers = {record["id"]: number for number, record in enumerate(candidates.records)}
        return SearchResults(
            query=text,
            total=choice.total,
            page=page,
            page_size=page_size,
            hits=tuple(
                hit(record, float(scores[numbers[record["id"]]]), pages.get(record["id"], ([], None, "")))
                for record in shown
            ),
            facets=selection.facets(choice.matching),
            sort=sort if sort == SORT_DATE else SORT_RELEVANCE,
            expansions=choice.parsed.expansions,
            relaxed=choice.relaxed,
            notes=notes,
        )

    def _readings(self, text: str, context: QueryContext) -> list[ParsedQuery]:
        """The strict reading, then the looser ones the text has words for, patterns left out."""
        strict = parse_query(text, context)
        readings = [strict]
        if strict.query is not None:
            typed = len(re.findall(WORD_PATTERN, text))
            for mode in [mode for mode, needed in LOOSER_MODES if typed >= needed]:
                readings.append(parse_query(text, context, match=mode, share_of=self.share_of))
        return [
            ParsedQuery(
                reading.text, _without_patterns(reading.query), reading.expansions, reading.refused, reading.read_pages
            )
            for reading in readings
        ]

    def _listing(
        self,
        text: str,
        selections: dict[str, set[str]],
        page: int,
        page_size: int,
        parsed: ParsedQuery,
        notes: tuple[str, ...],
    ) -> SearchResults:
        """Every document within the selections, newest first, straight from the cluster."""
        documents = self.collections.documents
        shown = search(
            documents,
            selection_filter(selections),
            include_fields=CANDIDATE_FIELDS,
            per_page=page_size,
            page=page,
            sort_by="date_days:desc",
        )
        first, *counted = multi_search(self.client, [shown, *facet_searches(documents, None, selections)])
        hits = tuple(hit(found["document"], 0.0, ([], None, "")) for found in first["hits"])
        return SearchResults(
            query=text,
            total=int(first["found"]),
            page=page,
            page_size=page_size,
            hits=hits,
            facets=facets_from(counted, selections),
            sort=SORT_DATE,
            notes=notes,
        )
