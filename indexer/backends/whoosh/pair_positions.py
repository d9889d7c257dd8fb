"""How often two words stand next to each other in each document, from the word positions of its pages.

The index stores a pair of adjacent words as one `word_pairs` term only when both words are frequent
(`analysis.analyzers.is_stored_pair`): most pairs have a rare word, occur in a document or two, and
stored they made more than half of the index. Such a pair is found here instead, from the positions
that the page records' `page_text` keeps. The pages with both words come from the two posting lists
as arrays (`postings`); only the blocks of the frequent word's list that hold one of those pages are
unpacked for their positions, so the cost follows the rare word's pages. Whoosh's own phrase matcher
took 60 ms for a pair whose rare word stands on a few hundred pages, walking posting by posting.

Pages are analysed as the document's pairs were, with one difference: compound parts stand at their
compound's position in `page_text`, so "monitor rapport" also stands in "mensenhandelmonitor rapport",
which no stored pair would have found. A pair across a page break is not found.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from whoosh.searching import Searcher

from indexer.backends.whoosh.postings import EMPTY_IDS, EMPTY_WEIGHTS, DecodedLists, positions_in, postings
from indexer.backends.whoosh.snapshot import Snapshot
from indexer.engine.fields import PAGE_TEXT

# What pairs were found where, kept per process for the index generation they were found in (bytes
# of their arrays): the long forms of acronyms and the taxonomy's terms come back query after query,
# and a pair whose rare word stands on thousands of pages takes tens of milliseconds.
FOUND_PAIRS_CACHE_BYTES = 8 * 1024 * 1024
_FOUND = DecodedLists(FOUND_PAIRS_CACHE_BYTES)


def pair_frequency(searcher: Searcher, snapshot: Snapshot, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    """(live document records, how often `first` is directly followed by `second` on their pages),
    for every document where it is."""
    key = (repr(snapshot.generation), first, second)
    found = _FOUND.get(key)
    if found is None:
        found = _found(searcher, snapshot, first, second)
        _FOUND.put(key, found)
    return found


def _found(searcher: Searcher, snapshot: Snapshot, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    reader = searcher.reader()
    pages = np.intersect1d(postings(reader, PAGE_TEXT, first)[0], postings(reader, PAGE_TEXT, second)[0])
    pages = pages[snapshot.documents[snapshot.owner[pages]]]
    if not len(pages):
        return EMPTY_IDS, EMPTY_WEIGHTS
    befores, afters = (positions_in(reader, PAGE_TEXT, word, pages) for word in (first, second))
    # Every place on every page as one number, (page << 32) + position: the places just after
    # `first` where `second` stands are one array lookup, not a set per page.
    after_first, at_page = _places(befores, pages, 1)
    followed = np.isin(after_first, _places(afters, pages, 0)[0])
    documents, where = np.unique(snapshot.owner[at_page[followed]], return_inverse=True)
    return documents, np.bincount(where, minlength=len(documents)).astype(np.float32)


def _places(positions: dict[int, list[int]], pages: np.ndarray, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """(page << 32) + position + `shift` for every position on `pages` (distinct per page), and the
    page of each."""
    lists = [positions[page] for page in pages.tolist()]
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    at_page = np.repeat(pages.astype(np.int64), counts)
    places = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    return (at_page << 32) + places + shift, at_page
