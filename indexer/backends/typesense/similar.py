"""More like this, on the cluster: the documents that share a document's most telling words.

As in the embedded engine's `similar`, the document's key terms (Whoosh's
Bo1 model: frequent in the document, rare in the collection) become one OR query, ranked by the
same evaluator as a search. The document's term weights stand for its term counts, and a term's
document count for its collection frequency, which the cluster does not keep.
"""

from __future__ import annotations

import math

import numpy as np

from indexer.backends.typesense.collections import TERM_WEIGHTS
from indexer.backends.typesense.searching import ClusterSearch, ordering_of
from indexer.backends.typesense.shown import listed
from indexer.engine.more_like_this import SIMILAR_KEY_TERMS
from indexer.engine.query import ParsedQuery
from indexer.engine.query_model import Or, Term
from indexer.engine.ranking import ordered
from indexer.engine.results import NO_PAGE_HITS, Hit, ranked_hit

# The document's heaviest terms whose document counts are asked, of which the key terms are chosen.
WEIGHED_TERMS = 50


def _key_terms(searcher: ClusterSearch, weights: dict[str, float], document_count: int) -> list[tuple[str, float]]:
    heaviest = sorted(weights, key=lambda term: (-weights[term], term))[:WEIGHED_TERMS]
    counts = searcher.facts.counts([("content", term) for term in heaviest])
    scored = []
    for term in heaviest:
        share = max(1, counts[("content", term)]) / max(1, document_count)
        scored.append((term, weights[term] * math.log2((1.0 + share) / share) + math.log2(1.0 + share)))
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:SIMILAR_KEY_TERMS]


def similar(searcher: ClusterSearch, record: dict, document_count: int, limit: int) -> list[Hit]:
    """The documents most like the one of `record` (with all its term weights)."""
    weights = (record.get(TERM_WEIGHTS) or {}).get("content", {})
    key_terms = _key_terms(searcher, weights, document_count)
    if not key_terms:
        return []
    query = Or([Term("content", term, boost=weight) for term, weight in key_terms])
    attempts = searcher.prepared([ParsedQuery("", query)], {})
    candidates = attempts.candidates
    match = attempts.evaluator.evaluate(query)
    others = match.mask & np.array([found["id"] != record["id"] for found in candidates.records], dtype=bool)
    best = ordered(ordering_of(candidates.records), np.flatnonzero(others), limit, -match.scores[others])
    searcher.displayed(candidates.records, best.tolist(), [])
    return [
        ranked_hit(shown_listing, float(match.scores[number]), NO_PAGE_HITS)
        for number, shown_listing in listed(candidates.records, best.tolist())
    ]
