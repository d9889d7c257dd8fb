"""The cluster's vocabulary by prefix: completions, and the words a pattern (`radicali*`) stands for.

Each document's distinct words as written are a facet (`spelling_tokens`), so Typesense's facet query
(a prefix search over a facet's values) answers what the embedded engine reads from its term
dictionary: the words that start with a prefix, with the number of documents that use each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import SPELLING, token_field
from indexer.backends.typesense.requests import multi_search, search
from indexer.engine.expansion import MAX_SCANNED_TERMS, PatternExpansion

_FIELD = token_field(SPELLING)


def words_with_prefix(client: TypesenseClient, documents: str, prefix: str) -> Counter[str]:
    """Up to `MAX_SCANNED_TERMS` words of the documents that start with `prefix`, with their documents."""
    (found,) = multi_search(
        client,
        [search(documents, per_page=0, facet_by=_FIELD, facet_query=f"{_FIELD}:{prefix}",
                max_facet_values=MAX_SCANNED_TERMS)],
    )  # fmt: skip
    counts = next((facet["counts"] for facet in found.get("facet_counts", []) if facet["field_name"] == _FIELD), [])
    return Counter({item["value"]: item["count"] for item in counts if item["value"].startswith(prefix)})


def complete(client: TypesenseClient, documents: str, prefix: str, limit: int) -> list[str]:
    """Up to `limit` words that finish `prefix` (folded), the most used first."""
    words = words_with_prefix(client, documents, prefix)
    words.pop(prefix, None)  # the word typed is not a completion of itself
    return [word for word, _ in sorted(words.items(), key=lambda item: (-item[1], item[0]))[:limit]]


class ClusterExpansion(PatternExpansion):
    """Pattern expansion (`engine.expansion`) with the words read from the cluster's vocabulary."""

    def __init__(self, client: TypesenseClient, documents: str, deadline: float) -> None:
        super().__init__(deadline)
        self.client = client
        self.documents = documents

    def _words(self, literal: str) -> Iterator[tuple[str, int]]:
        words = words_with_prefix(self.client, self.documents, literal)
        self.limited |= len(words) >= MAX_SCANNED_TERMS
        return iter(words.items())
