"""Words to finish what someone is typing, from the index's own vocabulary (the `spelling` field:
every word as written in some document, accents folded), the words most documents use first."""

from __future__ import annotations

from collections import Counter

from whoosh.index import Index

from indexer.analysis.wordforms import fold
from indexer.backends.whoosh.searchers import open_searcher
from indexer.backends.whoosh.term_dictionary import terms
from indexer.backends.whoosh.word_table import SPELLING_FIELD

# At most this many words of the vocabulary are weighed for one prefix (a short prefix has thousands).
MAX_CANDIDATES = 2_000


def complete_word(index: Index, prefix: str, limit: int) -> list[str]:
    """Up to `limit` words of the index that start with `prefix` (case and accents ignored), read
    with their document counts from the term dictionary in one piece (`term_dictionary.terms`)."""
    folded = fold(prefix.strip())
    documents: Counter[str] = Counter()
    with open_searcher(index) as searcher:
        for segment, _ in searcher.reader().leaf_readers():
            for word, count, _ in terms(segment, SPELLING_FIELD, folded):
                if word not in documents and len(documents) >= MAX_CANDIDATES:
                    break
                documents[word] += count
    documents.pop(folded, None)  # the word typed is not a completion of itself
    return [word for word, _ in sorted(documents.items(), key=lambda item: (-item[1], item[0]))[:limit]]
