"""The search façade: query text and filters in, plain result records out.

Callers (the CLI, the web app) never see Whoosh objects. Documents are ranked on their document
records with BM25F (title and summary weigh more), then a small recency bonus orders near-ties.
The page records of the hits shown tell on which pages each hit matched and give the snippet from
its best page. When too few documents have all the words, documents with all but one (then any) of
them follow; when a word is unknown, a "Bedoelde u" suggestion is made, and used when the query
found nothing. Facet counts come from `facets`, over every matching document.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from whoosh import scoring
from whoosh.index import Index
from whoosh.query import And, Or, Term
from whoosh.searching import Searcher

from indexer.documents import listing_fields
from indexer.facets import Facet, FacetTable, apply, facet_table
from indexer.highlighting import snippet, terms_of
from indexer.query import ParsedQuery, QueryContext, parse_query
from indexer.schema import DOC, PAGE
from indexer.suggest import suggest

__all__ = ["SORT_DATE", "SORT_RELEVANCE", "Hit", "SearchResults", "search", "similar"]

MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 240
# BM25F: how strongly long documents are discounted (0 = not at all, 1 = fully), and term saturation.
# Tuned on the tuning queries: B in 0.3-0.5 was best, but the whole range 0.3-0.9 lies within 0.01 nDCG.
LENGTH_NORMALISATION = 0.5
TERM_SATURATION = 1.2
# Up to this share is added to the score of a document from this year, less for older ones.
RECENCY_BONUS = 0.05
RECENCY_HORIZON_YEARS = 10
# With fewer hits than this for all words, documents with most (then any) of the words follow.
MIN_RESULTS_BEFORE_LOOSENING = 3
# Re-ranking by recency looks at this many top hits at least.
RERANK_DEPTH = 100
WEIGHTING = scoring.BM25F(B=LENGTH_NORMALISATION, K1=TERM_SATURATION)
SORT_RELEVANCE = "relevantie"
SORT_DATE = "datum"


@dataclass(frozen=True)
class Hit:
    id: str
    path: str
    title: str
    kind: str
    themes: tuple[str, ...]
    subthemes: tuple[str, ...]
    year: int | None
    source: str
    summary: str
    score: float
    pages: tuple[int, ...]  # pages whose text matches, in page order
    best_page: int | None
    snippet: str  # safe HTML: the document's text escaped, query terms in <mark>
    page_count: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    page: int
    page_size: int
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...] = ()
    sort: str = SORT_RELEVANCE
    expansions: tuple[str, ...] = ()  # "PGA-R → Persoonsgerichte Aanpak Radicalisering"
    suggestion: str | None = None  # "Bedoelde u …?"
    corrected: bool = False  # the hits are those of the suggestion: the query itself found nothing
    relaxed: bool = False  # not every word matched: documents with most of the words follow

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _recency(date: dt.datetime | None, today: dt.date) -> float:
    if not date or date == dt.datetime.min:
        return 0.0
    age_years = (today - date.date()).days / 365.25
    return max(0.0, 1.0 - age_years / RECENCY_HORIZON_YEARS)


def _matching(searcher: Searcher, parsed: ParsedQuery, table: FacetTable) -> set[int]:
    if parsed.query is None:
        return table.documents
    return set(searcher.docs_for_query(And([parsed.query, Term("doctype", DOC)])))


def _ranked(
    searcher: Searcher, parsed: ParsedQuery, allowed: set[int], table: FacetTable, depth: int
) -> list[tuple[int, float]]:
    """(document number, score), best first: BM25F with the recency bonus."""
    results = searcher.search(parsed.query, limit=depth, filter=allowed)
    today = dt.date.today()
    scored = [
        (hit.docnum, hit.score * (1.0 + RECENCY_BONUS * _recency(table.dates.get(hit.docnum), today)))
        for hit in results
    ]
    scored.sort(key=lambda item: -item[1])
    return scored


def _page_hits(searcher: Searcher, parsed: ParsedQuery, doc_ids: list[str]) -> dict[str, tuple[list[int], int, str]]:
    """Per document: its matching page numbers, the best page and a snippet from that page."""
    if not doc_ids or parsed.page_query is None:
        return {}
    query = And([parsed.page_query, Term("doctype", PAGE), Or([Term("parent", i) for i in doc_ids])])
    results = searcher.search(query, limit=None)
    terms = terms_of(parsed.page_query)
    pages: dict[str, list[int]] = defaultdict(list)
    best: dict[str, tuple[int, str]] = {}
    for hit in results:
        parent = hit["parent"]
        pages[parent].append(hit["page"])
        if parent not in best:  # results come best first
            best[parent] = (hit["page"], snippet(hit["content"], terms))
    return {parent: (sorted(numbers), best[parent][0], best[parent][1]) for parent, numbers in pages.items()}


def _hit(fields: dict, score: float, pages: tuple[list[int], int | None, str]) -> Hit:
    numbers, best_page, snippet = pages
    return Hit(
        **listing_fields(fields),
        score=round(score, 4),
        pages=tuple(numbers),
        best_page=best_page,
        snippet=snippet or html.escape(fields.get("summary", "")[:SNIPPET_CHARS]),
    )


@dataclass
class _Choice:
    """The query whose documents are shown, after loosening or correcting."""

    parsed: ParsedQuery
    matching: set[int]
    allowed: set[int]
    relaxed: bool = False
    corrected: bool = False


def _choose(
    searcher: Searcher,
    text: str,
    context: QueryContext,
    table: FacetTable,
    selections: Mapping[str, set[str]],
    page_size: int,
) -> tuple[_Choice, str | None, list[_Choice]]:
    """Try all words, the suggestion, then looser matching; keep the stricter sets to rank first."""

    def attempt(parsed: ParsedQuery, **flags: bool) -> _Choice:
        matching = _matching(searcher, parsed, table)
        allowed, _ = apply(table, matching, selections)
        return _Choice(parsed, matching, allowed, **flags)

    choice = attempt(parse_query(text, context))
    if choice.parsed.query is None:
        return choice, None, []
    suggestion = suggest(searcher.reader(), text) if len(choice.allowed) < page_size else None
    if not choice.allowed and suggestion:
        fixed = attempt(parse_query(suggestion, context), corrected=True)
        if fixed.allowed:
            return fixed, suggestion, []
    stricter: list[_Choice] = []
    for mode in ("most", "any"):
        if len(choice.allowed) >= MIN_RESULTS_BEFORE_LOOSENING:
            break
        loose = attempt(parse_query(text, context, match=mode), relaxed=True)
        if len(loose.allowed) > len(choice.allowed):
            stricter.append(choice)
            choice = loose
    return choice, suggestion, stricter


def search(
    index: Index,
    text: str,
    context: QueryContext,
    selections: Mapping[str, set[str]] | None = None,
    sort: str = SORT_RELEVANCE,
    page: int = 1,
    page_size: int = 10,
) -> SearchResults:
    """One page of documents for `text` within the selected facet values, with facet counts.

    An empty text lists every document, newest first.
    """
    selections = {field: set(values) for field, values in (selections or {}).items() if values}
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    with index.searcher(weighting=WEIGHTING) as searcher:
        table = facet_table(searcher, str(getattr(index, "storage", "")))
        choice, suggestion, stricter = _choose(searcher, text, context, table, selections, page_size)
        _, facets = apply(table, choice.matching, selections)
        scores: dict[int, float] = {}
        if choice.parsed.query is None or sort == SORT_DATE:
            order = sorted(choice.allowed, key=lambda docnum: table.dates[docnum], reverse=True)
        else:
            depth = max(RERANK_DEPTH, page * page_size)
            for attempt in [*stricter, choice]:  # documents with all the words first
                for docnum, score in _ranked(searcher, attempt.parsed, attempt.allowed, table, depth):
                    scores.setdefault(docnum, score)
            order = list(scores)
        shown = order[(page - 1) * page_size : page * page_size]
        stored = [searcher.stored_fields(docnum) for docnum in shown]
        page_info = _page_hits(searcher, choice.parsed, [fields["id"] for fields in stored])
        hits = tuple(
            _hit(fields, scores.get(docnum, 0.0), page_info.get(fields["id"], ([], None, "")))
            for docnum, fields in zip(shown, stored, strict=True)
        )
        return SearchResults(
            query=text,
            total=len(choice.allowed),
            page=page,
            page_size=page_size,
            hits=hits,
            facets=facets,
            sort=SORT_DATE if sort == SORT_DATE or choice.parsed.query is None else SORT_RELEVANCE,
            expansions=choice.parsed.expansions,
            suggestion=suggestion,
            corrected=choice.corrected,
            relaxed=choice.relaxed,
        )


def similar(index: Index, doc_id: str, limit: int = 5) -> list[Hit]:
    """The documents most like this one, by the key terms of its text."""
    with index.searcher(weighting=WEIGHTING) as searcher:
        docnum = searcher.document_number(id=doc_id, doctype=DOC)
        if docnum is None:
            return []
        fields = searcher.stored_fields(docnum)
        pages = " ".join(page.get("content", "") for page in searcher.documents(parent=doc_id))
        text = f"{fields.get('title', '')} {fields.get('summary', '')} {pages}"[:50_000]
        results = searcher.more_like(docnum, "content", text=text, top=limit, numterms=12, filter=Term("doctype", DOC))
        return [_hit(hit.fields(), hit.score or 0.0, ([], None, "")) for hit in results]
