"""Every ranking weight in one place, each marked as applied when the index is written or when a query runs.

Index-time weights are multiplied into the postings, so an index holds them: they are part of the
schema version (`schema.schema_version`), and changing one makes existing indexes stale and rebuilds
them. Query-time weights apply from the next search. The modules that use a weight read it from
here when they use it, so `scripts/sweep_ranking.py indexer.engine.ranking_weights.NAME ...` can set it.
"""

from __future__ import annotations

# Index time ------------------------------------------------------------------------------------

# How much a match in each field counts compared with a match in the body text.
TITLE_BOOST = 3.0
SUMMARY_BOOST = 1.5
# Weight of a compound part relative to a whole word (token boosts add up in term frequencies).
COMPOUND_PART_BOOST = 0.35

INDEX_TIME = ("TITLE_BOOST", "SUMMARY_BOOST", "COMPOUND_PART_BOOST")

# Query time ------------------------------------------------------------------------------------

# BM25F per field: how strongly long documents are discounted (0 = not at all, 1 = fully). Real tuning
# queries: 0.6-0.9 for the words lie within 0.005 nDCG (0.75, the textbook value); word pairs at 0.75
# lost 0.01, mostly on known titles. Pages (Whoosh scores them for page hits) keep 0.5. Keyed by the
# index's field names (`schema`; `schema.WORD_PAIRS`, `schema.PAGE_TEXT`).
LENGTH_NORMALISATION = {"title": 0.75, "summary": 0.75, "content": 0.75, "word_pairs": 0.5, "page_text": 0.5}
TERM_SATURATION = 1.2
# A compound found as separate words ("zorg" ... "criminaliteit") counts this much of a real match.
COMPOUND_SPLIT_BOOST = 0.5
# Two query words written as one compound in a document: each word counts this much of it, so the
# compound counts once for the pair.
JOINED_WORDS_BOOST = 0.5
# As a last resort, one part of a compound on its own counts this much,
COMPOUND_PART_ALONE_BOOST = 0.25
# unless more than this share of the documents has that part: "inbraakpreventieadviseur" would find
# every document with "adviseur" or "preventie" (52 of the 65 bundled ones) instead of the 3 about
# "inbraak". The whole word, or all parts together, still match. The judged queries score the same
# from 0.5 down to 0.2 (`kennisbank evalueer-zoeken`).
MAX_PART_ALONE_SHARE = 0.2
# An acronym's expansion (or the acronym for an expansion) counts for this share of the word itself:
# a long form is a phrase of several rare words, and at full weight the long reports that write it out
# outrank the documents that use the acronym the searcher typed ("NRM"). Real tuning queries: 1.0 was
# worst; 0.1-0.4 score alike.
SYNONYM_BOOST = 0.4
# A document's score grows by this share for each stricter attempt it also matches (all words,
# all but one): coordination instead of hard tiers. Chosen on the real tuning queries (0.5-1.0 best).
COORDINATION_BONUS = 1.0
# Up to this share is added to the score of a document from this year, less for older ones.
RECENCY_BONUS = 0.05
RECENCY_HORIZON_YEARS = 10

QUERY_TIME = (
    "LENGTH_NORMALISATION",
    "TERM_SATURATION",
    "COMPOUND_SPLIT_BOOST",
    "JOINED_WORDS_BOOST",
    "COMPOUND_PART_ALONE_BOOST",
    "MAX_PART_ALONE_SHARE",
    "SYNONYM_BOOST",
    "COORDINATION_BONUS",
    "RECENCY_BONUS",
    "RECENCY_HORIZON_YEARS",
)


def index_time_values() -> dict[str, float]:
    """The index-time weights as they are now (read at call time, so a changed value counts)."""
    return {name: globals()[name] for name in INDEX_TIME}
