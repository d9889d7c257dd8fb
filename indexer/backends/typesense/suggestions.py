"""'Bedoelde u …?' on the cluster: a query word that no document has is replaced by the closest word
that documents do have, as in the embedded engine (`engine.spelling`): by edit distance, then by how
many documents use it, with the same first letter.

The words as written are a token field of each document (`spelling_tokens`). Typesense's typo
tolerance finds the documents with a word near the unknown one, and names the word it matched in
each; the one correction per word is chosen here from those. Two multi-searches: which words are
known, then the near words of the unknown ones.
"""

from __future__ import annotations

from collections import Counter

from indexer.analysis.wordforms import fold
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import SPELLING, token_field
from indexer.backends.typesense.filters import term_filter
from indexer.backends.typesense.requests import multi_search, search
from indexer.engine.spelling import correctable_words, corrected, edits, max_edits

# Documents read per unknown word for the words near it.
NEAR_DOCUMENTS = 100
_FIELD = token_field(SPELLING)


def _closest(word: str, result: dict) -> str | None:
    """The nearest matched word of the same first letter, by edit distance, then by documents."""
    documents: Counter[str] = Counter()
    for hit in result.get("hits", []):
        for highlight in hit.get("highlights", []):
            if highlight.get("field") == _FIELD:
                matched = highlight.get("matched_tokens", [])  # per array element that matched, a list
                documents.update({fold(token) for tokens in matched for token in tokens})
    max_distance = max_edits(word)
    candidates = [
        (edits(word, candidate, max_distance), -count, candidate)
        for candidate, count in documents.items()
        if candidate[:1] == word[:1] and candidate != word
    ]
    best = min((key for key in candidates if key[0] <= max_distance), default=None)
    return best[2] if best else None


def suggest(client: TypesenseClient, documents: str, text: str) -> str | None:
    """The query text with unknown words replaced by their closest known word, or None."""
    words = correctable_words(text)
    if not words:
        return None
    known = multi_search(client, [search(documents, term_filter(SPELLING, word), per_page=0) for word in words])
    unknown = [word for word, result in zip(words, known, strict=True) if not result["found"]]
    if not unknown:
        return None
    near = multi_search(
        client,
        [
            search(documents, None, _FIELD, q=word, num_typos=max_edits(word),
                   prefix="false", per_page=NEAR_DOCUMENTS, include_fields="id", highlight_fields=_FIELD,
                   drop_tokens_threshold=0)
            for word in unknown
        ],
    )  # fmt: skip
    replacements = {word: _closest(word, result) for word, result in zip(unknown, near, strict=True)}
    return corrected(text, replacements.get)
