"""'Bedoelde u …?': spelling suggestions from the index's own vocabulary.

Every document's words are indexed as written (folded, not stemmed) in the `spelling` field. A query
word that occurs in no document is replaced by the closest word that does, by edit distance and
then by how many documents use it.
"""

from __future__ import annotations

import re

from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance

from indexer.wordforms import STOP_WORDS, fold

SPELLING_FIELD = "spelling"
# Words shorter than this are left alone: too many short words are one letter apart.
MIN_CORRECTABLE_CHARS = 4
# Edit distance allowed: one for short words, two from this length on.
TWO_EDITS_FROM_CHARS = 7
_QUERY_WORD = re.compile(r"(?<![\w:*])([^\W\d_]+)(?![\w:*])")


def _best_replacement(reader: IndexReader, word: str) -> str | None:
    max_distance = 2 if len(word) >= TWO_EDITS_FROM_CHARS else 1
    candidates = list(reader.terms_within(SPELLING_FIELD, word, max_distance, prefix=1))
    if not candidates:
        return None

    def rank(candidate: str) -> tuple[int, int]:
        return distance(word, candidate), -reader.doc_frequency(SPELLING_FIELD, candidate)

    return min(candidates, key=rank)


def suggest(reader: IndexReader, text: str) -> str | None:
    """The query text with unknown words replaced by their closest known word, or None."""
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        original = match.group(1)
        word = fold(original)
        if word in STOP_WORDS or len(word) < MIN_CORRECTABLE_CHARS or (word.upper() == original and len(word) <= 5):
            return original
        if reader.doc_frequency(SPELLING_FIELD, word) > 0:
            return original
        replacement = _best_replacement(reader, word)
        if replacement is None:
            return original
        changed = True
        return replacement

    corrected = _QUERY_WORD.sub(replace, text)
    return corrected if changed else None
