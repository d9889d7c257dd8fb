"""How often two words stand next to each other in each document, from the word positions of its pages.

The index stores a pair of adjacent words as one `word_pairs` term only when both words are frequent
(`analysis.analyzers.is_stored_pair`): most pairs have a rare word, occur in a document or two, and
stored they made more than half of the index. Such a pair is found here instead, from the positions
that the page records' `page_text` keeps: Whoosh's phrase matcher leapfrogs over the two words'
page lists, so the cost follows the rare word's few pages, not the frequent word's many.

Pages are analysed as the document's pairs were, with one difference: compound parts stand at their
compound's position in `page_text`, so "monitor rapport" also stands in "mensenhandelmonitor rapport",
which no stored pair would have found. A pair across a page break is not found.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as whoosh
from whoosh.searching import Searcher

from indexer.backends.whoosh.postings import EMPTY_IDS, EMPTY_WEIGHTS
from indexer.backends.whoosh.snapshot import Snapshot
from indexer.engine.fields import PAGE_TEXT


def pair_frequency(searcher: Searcher, snapshot: Snapshot, first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    """(document records, how often `first` is directly followed by `second` on their pages), for
    every document where it is, deleted documents included (as `postings` gives them)."""
    matcher = whoosh.Phrase(PAGE_TEXT, [first, second]).matcher(searcher)
    pages, counts = [], []
    while matcher.is_active():
        pages.append(matcher.id())
        counts.append(len(matcher.spans()))
        matcher.next()
    if not pages:
        return EMPTY_IDS, EMPTY_WEIGHTS
    documents, where = np.unique(snapshot.owner[np.asarray(pages, dtype=np.int64)], return_inverse=True)
    return documents, np.bincount(where, weights=counts).astype(np.float32)
