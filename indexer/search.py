"""The search façade: query text in, plain result records out.

Callers (the CLI, the web app) never see Whoosh objects. Documents are ranked on their document
records; the page records of the hits on the current result page then tell on which pages each
hit matched and give the snippet from its best page.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from dataclasses import dataclass

from whoosh import highlight
from whoosh.index import Index
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, QueryParser
from whoosh.qparser.default import QueryParserError
from whoosh.query import And, Or, Query, Term
from whoosh.searching import Searcher

from indexer.schema import DOC, PAGE, build_schema

__all__ = ["Hit", "SearchResults", "StoredDocument", "get_document", "search", "theme_counts"]

SEARCH_FIELDS = ("title", "summary", "content")
# Dutch names that users type before a colon, mapped to index fields ("thema:mensenhandel").
FIELD_ALIASES = {
    "themes": ["thema"],
    "subthemes": ["subthema"],
    "kind": ["soort"],
    "year": ["jaar"],
    "source": ["bron"],
    "title": ["titel"],
}
MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 240
# Whoosh's highlighter looks at this many characters of a page at most.
HIGHLIGHT_CHARS = 100_000


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


def _parser(fields: tuple[str, ...]) -> QueryParser:
    schema = build_schema()
    parser = MultifieldParser(list(fields), schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


_DOC_PARSER = _parser(SEARCH_FIELDS)
_PAGE_PARSER = _parser(("content",))


def parse(text: str, parser: QueryParser = _DOC_PARSER) -> Query:
    """Parse user input; malformed syntax degrades to its plain words instead of an error."""
    try:
        return parser.parse(text)
    except QueryParserError:
        plain = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text)
        return parser.parse(plain)


def _page_hits(searcher: Searcher, text: str, doc_ids: list[str]) -> dict[str, tuple[list[int], int | None, str]]:
    """Per document: its matching page numbers, the best page and a snippet from that page."""
    if not doc_ids:
        return {}
    query = And([parse(text, _PAGE_PARSER), Term("doctype", PAGE), Or([Term("parent", i) for i in doc_ids])])
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


def _escaped_summary(summary: str) -> str:
    return html.escape(summary[:SNIPPET_CHARS])


def search(index: Index, text: str, page: int = 1, page_size: int = 10) -> SearchResults:
    """One page of ranked documents for `text`; an empty text lists everything, newest first."""
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    with index.searcher() as searcher:
        doc_filter = Term("doctype", DOC)
        if text.strip():
            results = searcher.search_page(parse(text), page, pagelen=page_size, filter=doc_filter)
        else:
            results = searcher.search_page(doc_filter, page, pagelen=page_size, sortedby="date", reverse=True)
        stored = [(hit.fields(), hit.score or 0.0) for hit in results]
        page_info = _page_hits(searcher, text, [fields["id"] for fields, _ in stored]) if text.strip() else {}
        hits = []
        for fields, score in stored:
            numbers, best_page, snippet = page_info.get(fields["id"], ([], None, ""))
            hits.append(
                Hit(
                    id=fields["id"],
                    path=fields["path"],
                    title=fields.get("title", ""),
                    kind=fields.get("kind", ""),
                    themes=tuple(filter(None, fields.get("themes", "").split(","))),
                    subthemes=tuple(filter(None, fields.get("subthemes", "").split(","))),
                    year=int(fields["year"]) if fields.get("year") else None,
                    source=fields.get("source", ""),
                    summary=fields.get("summary", ""),
                    score=round(score, 4),
                    pages=tuple(numbers),
                    best_page=best_page,
                    snippet=snippet or _escaped_summary(fields.get("summary", "")),
                    page_count=fields.get("page_count", 0),
                )
            )
        return SearchResults(query=text, total=len(results), page=page, page_size=page_size, hits=tuple(hits))


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
        themes=tuple(filter(None, fields.get("themes", "").split(","))),
        subthemes=tuple(filter(None, fields.get("subthemes", "").split(","))),
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
            for slug in filter(None, fields.get("themes", "").split(",")):
                counts[slug] += 1
    return dict(counts)
