"""Words to finish what someone is typing, from the index's own vocabulary (the `spelling` field:
every word as written in some document, accents folded), the words most documents use first."""

from __future__ import annotations

from itertools import islice

from whoosh.index import Index

from indexer.analysis.wordforms import fold
from indexer.backends.whoosh.searchers import open_searcher
from indexer.backends.whoosh.suggest import SPELLING_FIELD

# Before a word is completed, at least this many letters of it are typed.
MIN_PREFIX_CHARS = 3
# At most this many words of the vocabulary are weighed for one prefix (a short prefix has thousands).
MAX_CANDIDATES = 2_000


def complete_word(index: Index, prefix: str, limit: int) -> list[str]:
    """Up to `limit` words of the index that start with `prefix` (case and accents ignored)."""
    folded = fold(prefix.strip())
    if len(folded) < MIN_PREFIX_CHARS or not folded.isalpha():
        return []
    with open_searcher(index) as searcher:
        reader = searcher.reader()
        candidates = [
            word.decode("utf-8") if isinstance(word, bytes) else word
            for word in islice(reader.expand_prefix(SPELLING_FIELD, folded), MAX_CANDIDATES)
        ]
        counted = [(reader.doc_frequency(SPELLING_FIELD, word), word) for word in candidates if word != folded]
    return [word for _, word in sorted(counted, key=lambda item: (-item[0], item[1]))[:limit]]
