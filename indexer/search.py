"""The search façade: query text in, plain result records out.

Callers (the CLI, the web app) never see Whoosh objects. Documents are ranked on their document
records with BM25F (title and summary weigh more), then a small recency bonus orders near-ties.
The page records of the hits shown tell on which pages each hit matched and give the snippet from
its best page. When all words together find nothing, documents with most of the words are shown;
when a word is unknown, a "Bedoelde u" suggestion is made, and used when the query found nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import defaultdict
from dataclasses import dataclass, replace

from whoosh import highlight, scoring
from whoosh.index import Index
from whoosh.query import And, Or, Term
from whoosh.searching import Searcher

from indexer.query import ParsedQuery, QueryContext, parse_query
from indexer.schema import DOC, PAGE
from indexer.suggest import suggest

__all__ = ["Hit", "SearchResults", "StoredDocument", "get_document", "search", "similar", "theme_counts"]

MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 240
# Whoosh's highlighter looks at this many characters of a page at most.
HIGHLIGHT_CHARS = 100_000
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
    expansions: tuple[str, ...] = ()  # "PGA-R → Persoonsgerichte Aanpak Radicalisering"
    suggestion: str | None = None  # "Bedoelde u …?"
    corrected: bool = False  # the hits are those of the suggestion: the query itself found nothing
    relaxed: bool = False  # not every word matched: documents with most of the words are shown


def _recency(fields: dict, today: dt.date) -> float:
    date = fields.get("date")
    if not date:
        return 0.0
    age_years = (today - date.date()).days / 365.25
    return max(0.0, 1.0 - age_years / RECENCY_HORIZON_YEARS)


def _ranked(searcher: Searcher, parsed: ParsedQuery, depth: int) -> tuple[int, list[tuple[dict, float]]]:
    """Total and the top `depth` documents as (stored fields, score), recency bonus applied."""
    results = searcher.search(parsed.query, limit=depth, filter=Term("doctype", DOC))
    today = dt.date.today()
    scored = [(hit.fields(), hit.score * (1.0 + RECENCY_BONUS * _recency(hit.fields(), today))) for hit in results]
    scored.sort(key=lambda item: -item[1])
    return len(results), scored


def _page_hits(searcher: Searcher, parsed: ParsedQuery, doc_ids: list[str]) -> dict[str, tuple[list[int], int, str]]:
    """Per document: its matching page numbers, the best page and a snippet from that page."""
    if not doc_ids or parsed.page_query is None:
        return {}
    query = And([parsed.page_query, Term("doctype", PAGE), Or([Term("parent", i) for i in doc_ids])])
    results = searcher.search(query, limit=None)
    results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60, charlimit=HIGHLIGHT_CHARS)
    results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    pages: dict[str, list[int]] = defaultdict(list)
    best: dict[str, tuple[int, str]] = {}
    for hit in results:
        parent = hit["parent"]
        pages[parent].append(hit["page"])
        if parent not in best:  # results come best first
            best[parent] = (hit["page"], hit.highlights("content", top=2))
    return {parent: (sorted(numbers), best[parent][0], best[parent][1]) for parent, numbers in pages.items()}


def _split(value: str) -> tuple[str, ...]:
    return tuple(filter(None, value.split(",")))


def _hit(fields: dict, score: float, pages: tuple[list[int], int | None, str]) -> Hit:
    numbers, best_page, snippet = pages
    return Hit(
        id=fields["id"],
        path=fields["path"],
        title=fields.get("title", ""),
        kind=fields.get("kind", ""),
        themes=_split(fields.get("themes", "")),
        subthemes=_split(fields.get("subthemes", "")),
        year=int(fields["year"]) if fields.get("year") else None,
        source=fields.get("source", ""),
        summary=fields.get("summary", ""),
        score=round(score, 4),
        pages=tuple(numbers),
        best_page=best_page,
        snippet=snippet or html.escape(fields.get("summary", "")[:SNIPPET_CHARS]),
        page_count=fields.get("page_count", 0),
    )


def _browse(searcher: Searcher, page: int, page_size: int) -> SearchResults:
    results = searcher.search_page(Term("doctype", DOC), page, pagelen=page_size, sortedby="date", reverse=True)
    hits = tuple(_hit(hit.fields(), 0.0, ([], None, "")) for hit in results)
    return SearchResults("", len(results), page, page_size, hits)


def search(index: Index, text: str, context: QueryContext, page: int = 1, page_size: int = 10) -> SearchResults:
    """One page of ranked documents for `text`; an empty text lists everything, newest first."""
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    parsed = parse_query(text, context)
    with index.searcher(weighting=WEIGHTING) as searcher:
        if parsed.query is None:
            return replace(_browse(searcher, page, page_size), query=text)
        depth = max(RERANK_DEPTH, page * page_size)
        total, ranked = _ranked(searcher, parsed, depth)
        suggestion = suggest(searcher.reader(), text) if total < page_size else None
        relaxed = corrected = False
        if total == 0 and suggestion:
            fixed = parse_query(suggestion, context)
            if fixed.query is not None:
                total, ranked = _ranked(searcher, fixed, depth)
                parsed, corrected = fixed, total > 0
        for looser in ("most", "any"):
            if total >= MIN_RESULTS_BEFORE_LOOSENING:
                break
            loose = parse_query(text, context, match=looser)
            if loose.query is not None:
                more, extra = _ranked(searcher, loose, depth)
                if more > total:
                    known = {fields["id"] for fields, _ in ranked}
                    ranked = ranked + [item for item in extra if item[0]["id"] not in known]
                    total = more  # a looser query matches everything the stricter one did
                    parsed, relaxed = loose, True
        shown = ranked[(page - 1) * page_size : page * page_size]
        page_info = _page_hits(searcher, parsed, [fields["id"] for fields, _ in shown])
        hits = tuple(_hit(fields, score, page_info.get(fields["id"], ([], None, ""))) for fields, score in shown)
        return SearchResults(text, total, page, page_size, hits, parsed.expansions, suggestion, corrected, relaxed)


def similar(index: Index, doc_id: str, limit: int = 5) -> list[Hit]:
    """The documents most like this one, by the key terms of its text."""
    with index.searcher(weighting=WEIGHTING) as searcher:
        docnum = searcher.document_number(id=doc_id, doctype=DOC)
        if docnum is None:
            return []
        text = " ".join(page.get("content", "") for page in searcher.documents(parent=doc_id))
        fields = searcher.stored_fields(docnum)
        text = f"{fields.get('title', '')} {fields.get('summary', '')} {text}"[:50_000]
        results = searcher.more_like(docnum, "content", text=text, top=limit, numterms=12, filter=Term("doctype", DOC))
        return [_hit(hit.fields(), hit.score or 0.0, ([], None, "")) for hit in results]


@dataclass(frozen=True)
class StoredDocument:
    """Everything the index keeps about one document, its text by page included."""

    id: str
    path: str
    title: str
    kind: str
    themes: tuple[str, ...]
    subthemes: tuple[str, ...]
    themes_curated: bool
    year: int | None
    date: str
    source: str
    language: str
    summary: str
    page_count: int
    word_count: int
    pages: tuple[tuple[int, str], ...]
    tagging: dict


def get_document(index: Index, doc_id: str) -> StoredDocument | None:
    """One document with its pages, or None when the id is unknown."""
    with index.searcher() as searcher:
        fields = searcher.document(id=doc_id, doctype=DOC)
        if fields is None:
            return None
        pages = sorted(
            (page["page"], page.get("content", ""))
            for page in searcher.documents(parent=doc_id)
            if page.get("doctype") == PAGE
        )
    return StoredDocument(
        id=fields["id"],
        path=fields["path"],
        title=fields.get("title", ""),
        kind=fields.get("kind", ""),
        themes=_split(fields.get("themes", "")),
        subthemes=_split(fields.get("subthemes", "")),
        themes_curated=bool(fields.get("themes_curated")),
        year=int(fields["year"]) if fields.get("year") else None,
        date=fields["date"].date().isoformat() if fields.get("date") else "",
        source=fields.get("source", ""),
        language=fields.get("language", ""),
        summary=fields.get("summary", ""),
        page_count=fields.get("page_count", 0),
        word_count=fields.get("word_count", 0),
        pages=tuple(pages),
        tagging=json.loads(fields.get("tagging") or "{}"),
    )


def theme_counts(index: Index) -> dict[str, int]:
    """How many documents each theme has (a document with two themes counts for both)."""
    counts: dict[str, int] = defaultdict(int)
    with index.searcher() as searcher:
        for fields in searcher.documents(doctype=DOC):
            for slug in _split(fields.get("themes", "")):
                counts[slug] += 1
    return dict(counts)
