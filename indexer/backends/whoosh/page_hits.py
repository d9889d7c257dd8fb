"""On which pages a shown document matches, its best page, and a snippet from that page.

Which pages of a multi-page document match, and the best of them, comes from Whoosh's page query
(with positions, for phrases) over those pages only. A document with one page needs no choice:
its page counts as matching when the snippet finds a query word on it. Most documents are short,
and walking the page query's posting lists was the larger part of a search request. The page
query holds plain terms only: its prefixes and wildcards were expanded first (`expansion`). Many
terms over the many pages of long reports still make a slow walk, so it stops at the request's
deadline: the documents not reached yet are shown with their summary.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import defaultdict

import numpy as np
from whoosh.matching import Matcher
from whoosh.searching import Searcher

from indexer.backends.whoosh.queries import to_whoosh
from indexer.backends.whoosh.snapshot import Snapshot
from indexer.engine.fields import PAGE_TEXT
from indexer.engine.highlighting import snippet, terms_of
from indexer.engine.query_model import Node
from indexer.engine.results import PageHits

# Per document shown: the matching page numbers, the best page (None: no page matched) and a snippet.
# Steps of the walk that never stop at the deadline: an ordinary query's walk over a page of results
# takes fewer, so its hits show their pages whatever else slowed the request (a cold process, a busy
# machine); only a walk this long, as a flood of broad patterns makes, can be cut short.
STEPS_BEFORE_DEADLINE = 500


def _leapfrog(matcher: Matcher, candidates: list[int], deadline: float) -> tuple[list[tuple[int, float]], bool]:
    """(record, score) for every candidate record (sorted) the matcher matches, and False when the
    deadline came first. Both skip ahead, so the cost follows the few candidates, not the many
    records the matcher matches elsewhere."""
    found, position, steps = [], 0, 0
    while position < len(candidates) and matcher.is_active():
        steps += 1
        if steps > STEPS_BEFORE_DEADLINE and time.monotonic() > deadline:
            return found, False
        matcher.skip_to(candidates[position])
        if not matcher.is_active():
            break
        current = matcher.id()
        if current == candidates[position]:
            found.append((current, matcher.score()))
            position += 1
        else:
            position = bisect_left(candidates, current, position)
    return found, True


def page_hits(
    searcher: Searcher, snapshot: Snapshot, page_query: Node | None, shown: list[int], deadline: float
) -> tuple[dict[int, PageHits], bool]:
    """Per document shown (document numbers): its matching pages, best page and snippet; and
    whether every document was looked at before the deadline."""
    if not shown or page_query is None:
        return {}, True
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
    walked, complete = [], True
    if candidates:
        walked, complete = _leapfrog(to_whoosh(page_query).matcher(searcher), sorted(candidates), deadline)
    for record, score in walked:
        matches[int(snapshot.owner[record])].append((score, record, int(snapshot.page_numbers[record])))
    for docnum, pages in matches.items():
        _, best_record, best_page = max(pages, key=lambda page: (page[0], -page[2]))
        text = searcher.stored_fields(best_record)[PAGE_TEXT]
        found[docnum] = (sorted(number for _, _, number in pages), best_page, snippet(text, terms))
    return found, complete
