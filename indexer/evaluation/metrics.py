"""Ranking metrics over graded judgments: nDCG@10 (exponential gain), MRR and recall@10."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from indexer.evaluation.judgments import JudgedQuery

CUTOFF = 10

Ranker = Callable[[str], list[str]]  # query text -> document ids, best first


def ndcg(ranking: list[str], grades: dict[str, int], cutoff: int = CUTOFF) -> float:
    gains = [(2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranking[:cutoff])]
    ideal = sorted(grades.values(), reverse=True)[:cutoff]
    best = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def reciprocal_rank(ranking: list[str], grades: dict[str, int]) -> float:
    return next((1.0 / (rank + 1) for rank, doc in enumerate(ranking) if grades.get(doc, 0) > 0), 0.0)


def recall(ranking: list[str], grades: dict[str, int], cutoff: int = CUTOFF) -> float:
    relevant = {doc for doc, grade in grades.items() if grade > 0}
    return len(relevant & set(ranking[:cutoff])) / len(relevant) if relevant else 0.0


@dataclass(frozen=True)
class Scores:
    ndcg: float
    mrr: float
    recall: float
    count: int
    # Each query's nDCG@10, in the order scored: the interval of the mean, and the paired difference of
    # two engines scored on the same queries, are drawn from these.
    ndcgs: tuple[float, ...] = ()


def score(rankings: Iterable[tuple[list[str], dict[str, int]]]) -> Scores:
    """Mean metrics over (ranking, grades) pairs."""
    pairs = list(rankings)
    count = max(len(pairs), 1)
    ndcgs = tuple(ndcg(r, g) for r, g in pairs)
    return Scores(
        sum(ndcgs) / count,
        sum(reciprocal_rank(r, g) for r, g in pairs) / count,
        sum(recall(r, g) for r, g in pairs) / count,
        len(pairs),
        ndcgs,
    )


def rank_all(queries: list[JudgedQuery], ranker: Ranker, copies: dict[str, str]) -> dict[str, list[str]]:
    """Each query's ranking, computed once so every breakdown reuses it; a copy of a document
    counts as that document, once."""
    return {query.text: list(dict.fromkeys(copies.get(doc, doc) for doc in ranker(query.text))) for query in queries}
