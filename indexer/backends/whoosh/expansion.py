"""Pattern expansion (`engine.expansion`) over the embedded index: the words a pattern may stand for
are read from the term dictionary of the `spelling` field (the words as written, see `word_table`)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from whoosh.reading import IndexReader

from indexer.backends.whoosh.term_dictionary import terms
from indexer.backends.whoosh.word_table import SPELLING_FIELD
from indexer.engine.expansion import MAX_SCANNED_TERMS, PatternExpansion

# The deadline is checked once per this many words scanned.
_DEADLINE_EVERY_TERMS = 256


class Expansion(PatternExpansion):
    """A request's expansions over one reader of the embedded index."""

    def __init__(self, reader: IndexReader, deadline: float) -> None:
        super().__init__(deadline)
        self.reader = reader

    def _words(self, literal: str) -> Iterator[tuple[str, int]]:
        """Each segment's scan stops at `MAX_SCANNED_TERMS` or the deadline."""
        for segment, _ in self.reader.leaf_readers():
            for scanned, (word, documents, _) in enumerate(terms(segment, SPELLING_FIELD, literal)):
                if scanned >= MAX_SCANNED_TERMS or (
                    scanned % _DEADLINE_EVERY_TERMS == 0 and time.monotonic() > self.deadline
                ):
                    self.limited = True
                    break
                yield word, documents
