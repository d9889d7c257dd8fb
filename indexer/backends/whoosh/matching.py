"""The embedded index as a posting source (`engine.matching`): every record of one generation.

Whoosh evaluates a query document by document, calling a Python scorer for each; with thousands
of matching documents that takes hundreds of milliseconds. The engine's evaluator instead scores each
term from its whole posting list (`postings`) at once, and the snapshot gives the lengths and live
documents; a term's documents are those the index holds, so its idf needs nothing more.

Where both words of a phrase's pair are frequent, the indexer stores the pair as one term ("zorg en
veiligheid" is "zorg veilig" in `word_pairs`), which needs no word positions: checking them would
walk the pages of two frequent words. Every other pair has a rare word, and is found on that word's
few pages by position (`pair_positions`), scored with the same length normalisation, so both kinds
of pair rank alike. A phrase in the title or summary (most long forms of acronyms are in no title at
all) is checked by the words' positions, only in the documents whose field has all its words.
"""

from __future__ import annotations

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis.analyzers import is_stored_pair
from indexer.backends.whoosh.pair_positions import pair_frequency
from indexer.backends.whoosh.postings import EMPTY_IDS, positions_in, postings
from indexer.backends.whoosh.snapshot import Snapshot
from indexer.engine import matching, record_sets
from indexer.engine.fields import PAGE_TEXT, WORD_PAIRS
from indexer.engine.matching import Match, TermKey
from indexer.engine.query_model import Phrase

__all__ = ["Evaluator", "Match", "WhooshPostings"]


class WhooshPostings:
    """Every record of one searcher's index generation (`engine.matching.PostingSource`)."""

    def __init__(self, searcher: Searcher, snapshot: Snapshot) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.snapshot = snapshot
        self.size = snapshot.size
        self.documents = snapshot.documents
        self.document_count = snapshot.document_count
        self.lengths = snapshot.lengths
        self.average_lengths = snapshot.average_lengths

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        return postings(self.reader, field, text)

    def found(self, key: TermKey, matching: int) -> int:
        return matching

    def pair(self, first: str, second: str) -> tuple[TermKey, np.ndarray, np.ndarray]:
        """A stored pair term when both words are frequent, else the pair found on the pages of its
        rare word (`pair_frequency`)."""
        if is_stored_pair(first, second):
            return (WORD_PAIRS, f"{first} {second}"), *self.postings(WORD_PAIRS, f"{first} {second}")
        return (PAGE_TEXT, f"{first} {second}"), *pair_frequency(self.searcher, self.snapshot, first, second)

    def field_phrase(self, node: Phrase) -> np.ndarray:
        """The live records whose field has the words one after the other, from the words' positions
        in the records whose field has every word: the places where word i stands at the first
        word's place plus i, as Whoosh's phrase matcher (slop 1) finds them. That matcher walked its
        candidates one by one in Python, most of the time of a search for a phrase of two frequent
        words ("nederlandse staat") over 116,824 news posts."""
        with_word = [self.postings(node.field, word)[0] for word in node.words]
        if not with_word:
            return EMPTY_IDS
        candidates = with_word[0][self.documents[with_word[0]]]
        for other in with_word[1:]:
            candidates = record_sets.intersection(candidates, other)
        starts = candidates
        for offset, word in enumerate(node.words):
            if not len(starts):
                break
            records, positions = positions_in(self.reader, node.field, word, candidates)
            # One number per place, (record << 32) + where the phrase would begin: distinct and in order.
            places = (records << 32) + (positions - offset)
            starts = places if offset == 0 else record_sets.intersection(starts, places)
        return np.unique(starts >> 32)


class Evaluator(matching.Evaluator):
    """The engine's evaluator over one searcher and the snapshot of its index generation."""

    def __init__(self, searcher: Searcher, snapshot: Snapshot) -> None:
        super().__init__(WhooshPostings(searcher, snapshot))
        self.searcher = searcher
        self.reader = searcher.reader()
        self.snapshot = snapshot
