"""What the engine is asked and answers, as plain data: a search request, search results with their
hits and facets, and a stored document. The website, the JSON API and the command line read these,
whichever engine answered."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from indexer.engine.highlighting import SNIPPET_CHARS

SORT_RELEVANCE = "relevantie"
SORT_DATE = "datum"
# A page never holds more hits than this, whatever is asked.
MAX_PAGE_SIZE = 100

# The facet value of a document that has none (no theme, no year): selectable like any other.
NO_VALUE = "(geen)"


def normalised_paging(
    selections: Mapping[str, Iterable[str]] | None, page: int, page_size: int
) -> tuple[dict[str, set[str]], int, int]:
    """What a request's selections and paging may be: facets without a chosen value dropped, the page at
    least 1, the page size from 1 to `MAX_PAGE_SIZE` (a URL can ask anything)."""
    chosen = {field: set(values) for field, values in (selections or {}).items() if values}
    return chosen, max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)


@dataclass(frozen=True)
class SearchRequest:
    """What someone asked for: words, the chosen facet values (field -> values), order and page."""

    text: str
    selections: Mapping[str, set[str]]
    sort: str = SORT_RELEVANCE
    page: int = 1
    page_size: int = 10


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    field: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class Listed:
    """What every view of a document shows, a hit in a list as much as its own page."""

    id: str
    path: str
    title: str
    kind: str
    themes: tuple[str, ...]
    subthemes: tuple[str, ...]
    year: int | None
    source: str
    summary: str
    page_count: int


@dataclass(frozen=True)
class Hit(Listed):
    score: float
    pages: tuple[int, ...]  # pages whose text matches, in page order
    best_page: int | None
    snippet: str  # safe HTML: the document's text escaped, query terms in <mark>


def last_page_of(total: int, per_page: int) -> int:
    """The last page of a list of `total` items, `per_page` a page; an empty list has its first page."""
    return max(1, -(-total // per_page))


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
    notes: tuple[str, ...] = ()  # how the query was read: words left out, patterns cut short

    @property
    def last_page(self) -> int:
        return last_page_of(self.total, self.page_size)


@dataclass(frozen=True)
class StoredDocument(Listed):
    """Everything the index keeps about one document, its text by page included."""

    themes_curated: bool
    date: str
    language: str
    word_count: int
    pages: tuple[tuple[int, str], ...]  # (page number, text)
    ocr_pages: tuple[int, ...]
    tagging: dict

    def form_values(self) -> dict[str, object]:
        """Its metadata under the sidecar keys, as the staff form shows it and an edit is compared with."""
        return {
            "titel": self.title,
            "soort": self.kind,
            "datum": self.date,
            "bron": self.source,
            "samenvatting": self.summary,
            "themas": self.themes,
            "subthemas": self.subthemes,
        }


# A shown document's matching pages: (page numbers in order, the best page, its snippet as safe HTML).
PageHits = tuple[list[int], int | None, str]
NO_PAGE_HITS: PageHits = ([], None, "")


def ranked_hit(listed: Mapping[str, object], score: float, pages: PageHits) -> Hit:
    """A hit from what a listing shows of a document (`Listed`'s fields); without a matching page the
    snippet is the start of its summary."""
    numbers, best_page, snippet = pages
    summary = str(listed.get("summary", ""))
    return Hit(
        **listed,
        score=round(score, 4),
        pages=tuple(numbers),
        best_page=best_page,
        snippet=snippet or html.escape(summary[:SNIPPET_CHARS]),
    )
