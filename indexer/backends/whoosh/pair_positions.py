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

import numpy as np
from whoosh.searching import Searcher

from indexer.backends.whoosh.postings import EMPTY_IDS, EMPTY_WEIGHTS, DecodedLists, positions_in, postings
from indexer.backends.whoosh.snapshot import Snapshot
from indexer.engine import record_sets
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
        # The other order needs the same pages and positions: a search that asks for one (a compound's
        # parts, a phrase) often asks for the other, so it is counted and kept at once.
        found, reverse = _found(searcher, snapshot, first, second)
        _FOUND.put(key, found)
        _FOUND.put((repr(snapshot.generation), second, first), reverse)
    return found


Found = tuple[np.ndarray, np.ndarray]


def _found(searcher: Searcher, snapshot: Snapshot, first: str, second: str) -> tuple[Found, Found]:
    """What `pair_frequency` gives for `first second`, and for `second first`."""
    reader = searcher.reader()
    pages = record_sets.intersection(postings(reader, PAGE_TEXT, first)[0], postings(reader, PAGE_TEXT, second)[0])
    pages = pages[snapshot.documents[snapshot.owner[pages]]]
    if not len(pages):
        return (EMPTY_IDS, EMPTY_WEIGHTS), (EMPTY_IDS, EMPTY_WEIGHTS)
    firsts, seconds = (positions_in(reader, PAGE_TEXT, word, pages) for word in (first, second))
    return _followed(snapshot, *firsts, seconds), _followed(snapshot, *seconds, firsts)


def _followed(
    snapshot: Snapshot, at_page: np.ndarray, positions: np.ndarray, nexts: tuple[np.ndarray, np.ndarray]
) -> Found:
    """Per document, how many of the places (`at_page`, `positions`) the places `nexts` directly follow."""
    # Every place on every page as one number, (page << 32) + position, in order as positions_in
    # gives them: the places just after one word where the other stands are one sorted lookup.
    after = (at_page << 32) + positions + 1
    following = (nexts[0] << 32) + nexts[1]
    where = np.minimum(np.searchsorted(following, after), len(following) - 1)
    owners = snapshot.owner[at_page[following[where] == after]]
    if not len(owners):
        return EMPTY_IDS, EMPTY_WEIGHTS
    # Owners of pages in page order are in order too: each document's count is the length of its run.
    starts = np.flatnonzero(record_sets.first_of_runs(owners))
    return owners[starts], np.diff(np.append(starts, len(owners))).astype(np.float32)
