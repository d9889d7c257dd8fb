"""The order of the documents shown, whichever engine matched them: coordination over the looser
attempts, a small recency bonus, and ties broken the same way in every build.

Arrays are over record numbers: the embedded index's document numbers, or the cluster's candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.engine import ranking_weights, record_sets
from indexer.engine.query import ParsedQuery


@dataclass(frozen=True)
class Ordering:
    """What ordering needs of the records: their dates (NaN: undated) in a unit of the engine's,
    `now` and one year in that unit, and each document's rank among all ids (ties)."""

    dates: np.ndarray
    id_ranks: np.ndarray
    now: float
    per_year: float

    def recency(self, records: np.ndarray) -> np.ndarray:
        """Per record: 1 for a document dated today, falling to 0 at the horizon and for no date."""
        age_years = (self.now - self.dates[records]) / self.per_year
        return np.nan_to_num(np.clip(1.0 - age_years / ranking_weights.RECENCY_HORIZON_YEARS, 0.0, 1.0), nan=0.0)


@dataclass
class Choice:
    """The query whose documents are shown, after loosening or correcting: the documents it matches
    (sorted record numbers), each one's score and whether it passes the facet selections. Held as the
    matches rather than as arrays over every record: a request with a rare word made several passes
    over the whole index for a few hundred documents."""

    parsed: ParsedQuery
    matching: np.ndarray  # sorted record numbers, before the facet selections
    allowed: np.ndarray  # bool, one per matching record
    scores: np.ndarray  # float32, one per matching record
    relaxed: bool = False
    corrected: bool = False

    def allowed_matches(self) -> tuple[np.ndarray, np.ndarray]:
        """The matching records that pass the facet selections, and their scores."""
        return self.matching[self.allowed], self.scores[self.allowed]

    @property
    def total(self) -> int:
        return int(np.count_nonzero(self.allowed))


def by_relevance(
    ordering: Ordering, choice: Choice, stricter: list[Choice], wanted: int
) -> tuple[np.ndarray, np.ndarray]:
    """The `wanted` best allowed documents, best first, and their scores: a document's score from the
    strictest attempt it matches, raised for every stricter attempt it matches
    (`ranking_weights.COORDINATION_BONUS`)."""
    candidates, scores = choice.allowed_matches()
    coordination = np.ones(len(candidates), dtype=np.float32)
    for attempt in reversed(stricter):  # the strictest attempt a document is in gives its score
        where, inside = record_sets.places(attempt.matching, candidates, len(ordering.dates))
        inside[inside] = attempt.allowed[where[inside]]
        scores[inside] = attempt.scores[where[inside]]
        coordination[inside] += ranking_weights.COORDINATION_BONUS
    scores *= coordination * (1.0 + ranking_weights.RECENCY_BONUS * ordering.recency(candidates))
    shown = ordered_places(ordering, candidates, wanted, -scores)
    return candidates[shown], scores[shown]


def newest(ordering: Ordering, choice: Choice, wanted: int) -> tuple[np.ndarray, np.ndarray]:
    """The `wanted` newest allowed documents, and their scores as the query gave them."""
    candidates, scores = choice.allowed_matches()
    shown = ordered_places(ordering, candidates, wanted)
    return candidates[shown], scores[shown]


def page_of(
    ordering: Ordering, choice: Choice, stricter: list[Choice], by_date: bool, page: int, page_size: int
) -> list[tuple[int, float]]:
    """The records shown on `page` (from 1), with their scores: newest first, or by relevance."""
    wanted = page * page_size
    order, scores = newest(ordering, choice, wanted) if by_date else by_relevance(ordering, choice, stricter, wanted)
    start = (page - 1) * page_size
    return list(zip(order[start:].tolist(), scores[start:].tolist(), strict=True))


def ordered(ordering: Ordering, candidates: np.ndarray, wanted: int, *keys: np.ndarray) -> np.ndarray:
    """The first `wanted` of `candidates` in the order of `ordered_places`."""
    return candidates[ordered_places(ordering, candidates, wanted, *keys)]


def ordered_places(ordering: Ordering, candidates: np.ndarray, wanted: int, *keys: np.ndarray) -> np.ndarray:
    """Where in `candidates` the first `wanted` of them stand, sorted by `keys` (the first decides
    most), then newest first (undated last), then by id: the same order in every build of the same
    documents. Only the candidates that can be among the first `wanted` on the first key (ties
    included) are sorted."""
    places = np.arange(len(candidates))
    dates = -np.nan_to_num(ordering.dates[candidates], nan=-np.inf)
    first = keys[0] if keys else dates
    if len(candidates) > wanted > 0:
        keep = first <= np.partition(first, wanted - 1)[wanted - 1]
        places, dates, keys = places[keep], dates[keep], tuple(key[keep] for key in keys)
    order = np.lexsort((ordering.id_ranks[candidates[places]], dates, *reversed(keys)))
    return places[order[:wanted]]
