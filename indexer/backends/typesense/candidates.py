"""The cluster's candidates as a posting source (`engine.matching.PostingSource`): the second stage.

Typesense returns the candidate documents with their term weights and field lengths (`records`);
the global statistics BM25F needs come from the cluster too, not from the candidates: the number of
documents and the average field lengths (`ClusterStatistics`), and each term's document count. So a
candidate scores as it would in the embedded index, and the same evaluator ranks it.

Only the weights of the query's terms travel: an evaluation over no candidates at all reads the
postings of every term the readings need, and those are the weights the candidates are fetched with
(`weight_paths`). The term counts are asked for all at once: an evaluation first runs with `counts`
None, noting every term it needs (`asked`), the caller fetches those in one multi-search, and the
evaluation runs again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from indexer.backends.typesense.collections import TERM_WEIGHTS, length_field, weight_path
from indexer.engine.matching import RANKED_FIELDS, Evaluator, TermKey
from indexer.engine.query_model import Node, Phrase

_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


@dataclass(frozen=True)
class ClusterStatistics:
    """What BM25F needs of the whole collection."""

    document_count: int
    average_lengths: dict[str, float]


class Candidates:
    """Candidate document records (as Typesense returned them), their postings built on first use."""

    def __init__(self, records: list[dict], statistics: ClusterStatistics) -> None:
        self.records = records
        self.size = len(records)
        self.documents = np.ones(self.size, dtype=bool)
        self.document_count = statistics.document_count
        self.average_lengths = statistics.average_lengths
        self.lengths = {
            field: np.array([record.get(length_field(field), 0) for record in records], dtype=np.float32)
            for field in RANKED_FIELDS
        }
        self._weights = [record.get(TERM_WEIGHTS) or {} for record in records]
        self._postings: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self.counts: dict[TermKey, int] | None = None
        self.asked: set[TermKey] = set()
        self.complete = True  # every record the filter matched is here

    @property
    def read(self) -> set[tuple[str, str]]:
        """Each (field, text) whose postings were read."""
        return set(self._postings)

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        if key not in self._postings:
            self._postings[key] = self._read(field, text)
        return self._postings[key]

    def _read(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        if field in RANKED_FIELDS:
            found = [(n, terms[field][text]) for n, terms in enumerate(self._weights) if text in terms.get(field, {})]
        else:  # a filter field: the facet values, or the source's words
            found = [(n, 1.0) for n, record in enumerate(self.records) if _holds(record, field, text)]
        if not found:
            return _EMPTY
        numbers, weights = zip(*found, strict=True)
        return np.array(numbers, dtype=np.int64), np.array(weights, dtype=np.float32)

    def found(self, key: TermKey, matching: int) -> int:
        if self.counts is None:
            self.asked.add(key)
            return matching
        return max(matching, self.counts.get(key, matching))

    def pair(self, first: str, second: str) -> tuple[TermKey, np.ndarray, np.ndarray]:
        """Every pair of adjacent words is a `word_pairs` term of the records."""
        text = f"{first} {second}"
        return (WORD_PAIRS_KEY, text), *self.postings(WORD_PAIRS_KEY, text)

    def field_phrase(self, node: Phrase) -> np.ndarray:
        """Records whose field has every word of the phrase: the records keep no positions."""
        present = np.ones(self.size, dtype=bool)
        for word in node.words:
            here = np.zeros(self.size, dtype=bool)
            here[self.postings(node.field, word)[0]] = True
            present &= here
        return np.flatnonzero(present)


WORD_PAIRS_KEY = RANKED_FIELDS[-1]


def weight_paths(queries: Iterable[Node]) -> list[str]:
    """The `include_fields` paths of the term weights that evaluating `queries` reads."""
    nothing = Candidates([], ClusterStatistics(0, {}))
    evaluator = Evaluator(nothing)
    for query in queries:
        evaluator.evaluate(query)
    return [weight_path(field, text) for field, text in sorted(nothing.read) if field in RANKED_FIELDS]


def _holds(record: dict, field: str, text: str) -> bool:
    value = record.get(field)
    if value is None:
        value = record.get(f"{field}_tokens", "")
    if isinstance(value, str):
        return text in value.split()
    return text in value
