"""The search façade: query text and filters in, plain result records out.

Callers (the CLI, the web app) never see Whoosh objects. The query is evaluated once over every
document record (`matching`): that one result gives the total, the facet counts and the ranking,
BM25F (title and summary weigh more) with a small recency bonus for near-ties. The page records of
the hits shown tell on which pages each hit matched and give the snippet from its best page. When
too few documents have all the words, documents with all but one (then any) of them follow; when a
word is unknown, a "Bedoelde u" suggestion is made, and used when it finds more than the query.
"""

from __future__ import annotations

import datetime as dt
import html
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from whoosh import scoring
from whoosh.index import Index
from whoosh.matching import Matcher
from whoosh.query import Or, Term
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long

from indexer.documents import listing_fields
from indexer.facets import Facet, apply
from indexer.highlighting import snippet, terms_of
from indexer.matching import LENGTH_NORMALISATION, TERM_SATURATION, Evaluator
from indexer.query import ParsedQuery, QueryContext, parse_query
from indexer.schema import DOC, PAGE_TEXT
from indexer.snapshot import Snapshot, searching
from indexer.suggest import prepare as prepare_suggestions
from indexer.suggest import suggest

__all__ = ["SORT_DATE", "SORT_RELEVANCE", "Hit", "SearchResults", "search", "similar"]

MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 240
# Up to this share is added to the score of a document from this year, less for older ones.
RECENCY_BONUS = 0.05
RECENCY_HORIZON_YEARS = 10
# With fewer hits than this for all words, documents with most (then any) of the words follow.
MIN_RESULTS_BEFORE_LOOSENING = 3
# "More like this": this many key terms of a document's text.
SIMILAR_KEY_TERMS = 12
SIMILAR_TEXT_CHARS = 50_000
# Whoosh's own scoring, where Whoosh still matches (phrases, page hits): the same BM25F settings.
WEIGHTING = scoring.BM25F(B=LENGTH_NORMALISATION, K1=TERM_SATURATION)
SORT_RELEVANCE = "relevantie"
SORT_DATE = "datum"
_MICROSECONDS_PER_YEAR = 365.25 * 86_400 * 1_000_000


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


def _recency(snapshot: Snapshot, today: dt.date) -> np.ndarray:
    """Per record: 1 for a document dated today, falling to 0 at the horizon and for no date."""
    now = datetime_to_long(dt.datetime.combine(today, dt.time()))
    age_years = (now - snapshot.dates) / _MICROSECONDS_PER_YEAR
    return np.nan_to_num(np.clip(1.0 - age_years / RECENCY_HORIZON_YEARS, 0.0, 1.0), nan=0.0)


def _leapfrog(matcher: Matcher, candidates: list[int]) -> Iterator[tuple[int, float]]:
    """(record, score) for every candidate record (sorted) the matcher matches; both skip ahead, so
    the cost follows the few candidates, not the many records the matcher matches elsewhere."""
    position = 0
    while position < len(candidates) and matcher.is_active():
        matcher.skip_to(candidates[position])
        if not matcher.is_active():
            return
        current = matcher.id()
        if current == candidates[position]:
            yield current, matcher.score()
            position += 1
        else:
            position = bisect_left(candidates, current, position)


def _page_hits(
    searcher: Searcher, snapshot: Snapshot, parsed: ParsedQuery, shown: list[int]
) -> dict[int, tuple[list[int], int, str]]:
    """Per document shown: its matching page numbers, the best page and a snippet from that page.

    Which pages of a multi-page document match, and the best of them, comes from Whoosh's page
    query over those pages. A document with one page needs no choice: its page counts as matching
    when the snippet finds a query word on it. Most documents are short, and walking the page
    query's posting lists was the larger part of a search request."""
    if not shown or parsed.page_query is None:
        return {}
    terms = terms_of(parsed.page_query)
    found = {}
    candidates = []
    for docnum in shown:
        # A document's pages are the records right after it (see `snapshot`).
        pages = range(docnum + 1, int(np.searchsorted(snapshot.owner, docnum, side="right")))
        if len(pages) != 1:
            candidates += pages
        elif text := snippet(searcher.stored_fields(pages[0])[PAGE_TEXT], terms):
            number = int(snapshot.page_numbers[pages[0]])
            found[docnum] = ([number], number, text)
    matches: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    if candidates:
        for record, score in _leapfrog(parsed.page_query.matcher(searcher), sorted(candidates)):
            matches[int(snapshot.owner[record])].append((score, record, int(snapshot.page_numbers[record])))
    for docnum, pages in matches.items():
        _, best_record, best_page = max(pages, key=lambda page: (page[0], -page[2]))
        text = searcher.stored_fields(best_record)[PAGE_TEXT]
        found[docnum] = (sorted(number for _, _, number in pages), best_page, snippet(text, terms))
    return found


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
    """The query whose documents are shown, after loosening or correcting (bool arrays and scores
    over document numbers)."""

    parsed: ParsedQuery
    allowed: np.ndarray
    scores: np.ndarray
    facets: tuple[Facet, ...]
    relaxed: bool = False
    corrected: bool = False

    @property
    def total(self) -> int:
        return int(self.allowed.sum())


def _choose(
    evaluator: Evaluator,
    text: str,
    context: QueryContext,
    selections: Mapping[str, set[str]],
    page_size: int,
) -> tuple[_Choice, str | None, list[_Choice]]:
    """Try all words, the suggestion, then looser matching; keep the stricter sets to rank first."""
    snapshot = evaluator.snapshot

    def attempt(parsed: ParsedQuery, **flags: bool) -> _Choice:
        if parsed.query is None:
            matching, scores = snapshot.documents, np.zeros(snapshot.size, dtype=np.float32)
        else:
            match = evaluator.evaluate(parsed.query)
            matching, scores = match.mask & snapshot.documents, match.scores
        allowed, facets = apply(snapshot.facets, matching, selections)
        return _Choice(parsed, allowed, scores, facets, **flags)

    choice = attempt(parse_query(text, context))
    if choice.parsed.query is None:
        return choice, None, []
    suggestion = suggest(evaluator.reader, text, snapshot.generation) if choice.total < page_size else None
    if suggestion:
        # A word in no document is likely a typo, even when its compound parts find something
        # ("mensehandel": "mens" and "handel"); the correction wins when it finds more.
        fixed = attempt(parse_query(suggestion, context), corrected=True)
        if fixed.total > choice.total:
            return fixed, suggestion, []

    def share_of(stem: str) -> float:
        """The share of the documents whose text has this stem (a compound part too common to count alone)."""
        return int(evaluator.evaluate(Term("content", stem)).mask.sum()) / max(1, snapshot.document_count)

    stricter: list[_Choice] = []
    for mode in ("most", "any"):
        if choice.total >= MIN_RESULTS_BEFORE_LOOSENING:
            break
        loose = attempt(parse_query(text, context, match=mode, share_of=share_of), relaxed=True)
        if loose.total > choice.total:
            stricter.append(choice)
            choice = loose
    return choice, suggestion, stricter


def _by_relevance(snapshot: Snapshot, choice: _Choice, stricter: list[_Choice]) -> tuple[np.ndarray, np.ndarray]:
    """Allowed documents best first, those of stricter attempts before the rest; and the scores."""
    scores = choice.scores.copy()
    tier = np.full(snapshot.size, len(stricter), dtype=np.int64)
    for level in reversed(range(len(stricter))):  # the strictest attempt a document is in decides
        allowed = stricter[level].allowed
        tier[allowed] = level
        scores[allowed] = stricter[level].scores[allowed]
    scores = scores * (1.0 + RECENCY_BONUS * _recency(snapshot, dt.date.today()))
    candidates = np.flatnonzero(choice.allowed)
    order = candidates[np.lexsort((candidates, -scores[candidates], tier[candidates]))]
    return order, scores


def _by_date(snapshot: Snapshot, choice: _Choice) -> np.ndarray:
    """Allowed documents newest first; undated ones last."""
    candidates = np.flatnonzero(choice.allowed)
    dates = np.nan_to_num(snapshot.dates[candidates], nan=-np.inf)
    return candidates[np.lexsort((candidates, -dates))]


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
    with searching(index, WEIGHTING) as (searcher, snapshot):
        evaluator = Evaluator(searcher, snapshot)
        choice, suggestion, stricter = _choose(evaluator, text, context, selections, page_size)
        by_date = choice.parsed.query is None or sort == SORT_DATE
        if by_date:
            order, scores = _by_date(snapshot, choice), choice.scores
        else:
            order, scores = _by_relevance(snapshot, choice, stricter)
        shown = order[(page - 1) * page_size : page * page_size].tolist()
        page_info = _page_hits(searcher, snapshot, choice.parsed, shown)
        hits = tuple(
            _hit(searcher.stored_fields(docnum), float(scores[docnum]), page_info.get(docnum, ([], None, "")))
            for docnum in shown
        )
        # Only now: the build shares the interpreter with this thread and would slow its answer.
        prepare_suggestions(index, snapshot.generation)
        return SearchResults(
            query=text,
            total=choice.total,
            page=page,
            page_size=page_size,
            hits=hits,
            facets=choice.facets,
            sort=SORT_DATE if by_date else SORT_RELEVANCE,
            expansions=choice.parsed.expansions,
            suggestion=suggestion,
            corrected=choice.corrected,
            relaxed=choice.relaxed,
        )


def similar(index: Index, doc_id: str, limit: int = 5) -> list[Hit]:
    """The documents most like this one, by the key terms of its text."""
    with searching(index, WEIGHTING) as (searcher, snapshot):
        docnum = searcher.document_number(id=doc_id, doctype=DOC)
        if docnum is None:
            return []
        fields = searcher.stored_fields(docnum)
        pages = " ".join(page.get(PAGE_TEXT, "") for page in searcher.documents(parent=doc_id))
        text = f"{fields.get('title', '')} {fields.get('summary', '')} {pages}"[:SIMILAR_TEXT_CHARS]
        key_terms = searcher.key_terms_from_text("content", text, numterms=SIMILAR_KEY_TERMS)
        if not key_terms:
            return []
        query = Or([Term("content", term, boost=weight) for term, weight in key_terms])
        match = Evaluator(searcher, snapshot).evaluate(query)
        match.mask[docnum] = False
        candidates = np.flatnonzero(match.mask & snapshot.documents)
        best = candidates[np.lexsort((candidates, -match.scores[candidates]))][:limit].tolist()
        return [_hit(searcher.stored_fields(other), float(match.scores[other]), ([], None, "")) for other in best]
