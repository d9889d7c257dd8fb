"""Okapi BM25 over pre-analysed tokens, in memory: the textbook ranking the plain baselines use.

Lucene's formulation (idf = ln(1 + (N - df + 0.5) / (df + 0.5)), k1 = 1.2, b = 0.75), one field,
any query word may match. Small and exact on purpose: a baseline must be what a reader expects.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

K1 = 1.2
B = 0.75

Analyzer = Callable[[str], list[str]]


class Bm25Index:
    """Documents as bags of analysed tokens; `rank` scores a list of query tokens."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lengths: list[int] = []
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)

    def add(self, doc_id: str, tokens: Iterable[str]) -> None:
        number = len(self.ids)
        counts = Counter(tokens)
        self.ids.append(doc_id)
        self.lengths.append(sum(counts.values()))
        for token, count in counts.items():
            self.postings[token][number] = count

    def __contains__(self, token: str) -> bool:
        return token in self.postings

    def rank(self, tokens: Iterable[str], limit: int) -> list[str]:
        total = len(self.ids)
        average = sum(self.lengths) / total if total else 0.0
        scores: dict[int, float] = defaultdict(float)
        for token, weight in Counter(tokens).items():
            posting = self.postings.get(token, {})
            idf = math.log(1 + (total - len(posting) + 0.5) / (len(posting) + 0.5))
            for number, count in posting.items():
                norm = K1 * (1 - B + B * self.lengths[number] / average)
                scores[number] += weight * idf * count * (K1 + 1) / (count + norm)
        best = sorted(scores.items(), key=lambda item: (-item[1], self.ids[item[0]]))[:limit]
        return [self.ids[number] for number, _ in best]
