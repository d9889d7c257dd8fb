"""'Bedoelde u …?': spelling suggestions from the index's own vocabulary.

A query word that occurs in no document is replaced by the closest word that does, by edit distance
and then by how many documents use it.

Whoosh's own `terms_within` walks the whole term dictionary with a Levenshtein automaton in Python
(0.2-0.5 s over the 190,000 words of 10,000 documents). Instead, each index generation has a table
of its words with a letter histogram per word (`word_table`). An edit changes the histogram by at
most two, so one vectorised comparison leaves the few words worth computing the real edit distance for.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader

from indexer.backends.whoosh.word_table import SPELLING_FIELD, WordTable, histograms, word_table
from indexer.engine.spelling import corrected, edits, max_edits


def closest(table: WordTable, reader: IndexReader, word: str, max_distance: int) -> str | None:
    """The nearest word of the index with the same first letter, by edit distance, then by how
    many documents use it (in the reader's generation: none for a word that is gone)."""
    start = bisect_left(table.words, word[0])
    stop = bisect_left(table.words, chr(ord(word[0]) + 1))
    rows = np.arange(start, stop)
    rows = rows[np.abs(table.lengths[rows] - len(word)) <= max_distance]
    changes = np.abs(table.histograms[rows].astype(np.int16) - histograms([word])[0]).sum(axis=1)
    best = None
    for row in rows[changes <= 2 * max_distance].tolist():
        candidate = table.words[row]
        distance = edits(word, candidate, max_distance)
        documents = reader.doc_frequency(SPELLING_FIELD, candidate) if distance <= max_distance else 0
        if documents:
            key = (distance, -documents, candidate)
            best = min(best, key) if best else key
    return best[2] if best else None


def suggest(reader: IndexReader, text: str, folder: Path) -> str | None:
    """The query text with unknown words replaced by their closest known word, or None.

    `folder` is the folder of the reader's index, where the indexer stored its word tables."""

    def correction(word: str) -> str | None:
        if reader.doc_frequency(SPELLING_FIELD, word) > 0:
            return None
        table = word_table(reader, folder)
        return closest(table, reader, word, max_edits(word)) if table else None

    return corrected(text, correction)
