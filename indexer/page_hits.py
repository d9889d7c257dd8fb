"""On which pages a shown document matches, its best page, and a snippet from that page.

Which pages of a multi-page document match, and the best of them, comes from Whoosh's page query
(with positions, for phrases) over those pages only. A document with one page needs no choice:
its page counts as matching when the snippet finds a query word on it. Most documents are short,
and walking the page query's posting lists was the larger part of a search request. The page
query holds plain terms only: its prefixes and wildcards were expanded first (`expansion`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator

import numpy as np
from whoosh.matching import Matcher
from whoosh.query import Query
from whoosh.searching import Searcher

from indexer.highlighting import snippet, terms_of
from indexer.schema import PAGE_TEXT
from indexer.snapshot import Snapshot

# Per document shown: the matching page numbers, the best page (None: no page matched) and a snippet.
PageHits = tuple[list[int], int | None, str]


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


def page_hits(
    searcher: Searcher, snapshot: Snapshot, page_query: Query | None, shown: list[int]
) -> dict[int, PageHits]:
    """Per document shown (document numbers): its matching pages, best page and snippet."""
    if not shown or page_query is None:
        return {}
    terms = terms_of(page_query)
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
        for record, score in _leapfrog(page_query.matcher(searcher), sorted(candidates)):
            matches[int(snapshot.owner[record])].append((score, record, int(snapshot.page_numbers[record])))
    for docnum, pages in matches.items():
        _, best_record, best_page = max(pages, key=lambda page: (page[0], -page[2]))
        text = searcher.stored_fields(best_record)[PAGE_TEXT]
        found[docnum] = (sorted(number for _, _, number in pages), best_page, snippet(text, terms))
    return found
