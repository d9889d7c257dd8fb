"""Facet counts the way good shops do them, over arrays of facet values, for either engine.

Several values in one facet combine with OR, facets combine with AND, and the counts of a facet's
values are computed as if that facet's own selection were not applied: the user sees what widening
would give. Each facet is a pair of arrays (record number, value code), and a count is one
`numpy.bincount` over the pairs whose record matches. The embedded engine reads the arrays once per
index generation (`backends.whoosh.facets`); the cluster builds them from its candidates
(`backends.typesense.facets`).

A rare query matches a few hundred of 200,000 records. Gathering over every pair then cost more than
the rest of its search, so a column also keeps its codes grouped by record, and a small match reads
only its own records' codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from indexer.engine.facet_specs import FACETS, NEWEST_FIRST, FacetSpec
from indexer.engine.results import NO_VALUE, Facet, FacetValue

# Below one marked record per this many (record, value) pairs, counting reads the marked records' own
# codes; above it, one pass over every pair is cheaper.
SPARSE_COUNT_RATIO = 4


@dataclass(frozen=True)
class FacetColumn:
    """One facet field: every (document number, value code) pair; a document may have several."""

    values: tuple[str, ...]
    documents: np.ndarray  # int64 document numbers
    codes: np.ndarray  # int64 index into `values`, one per entry of `documents`

    def having(self, wanted: set[str], size: int) -> np.ndarray:
        """Bool over document numbers: documents with at least one of the wanted values."""
        mask = np.zeros(size, dtype=bool)
        codes = [code for code, value in enumerate(self.values) if value in wanted]
        mask[self.documents[np.isin(self.codes, codes)]] = True
        return mask

    @cached_property
    def _by_record(self) -> tuple[np.ndarray, np.ndarray]:
        """The codes in record order, and where each record's codes start (one entry more than the
        records): made once per column, at its first small count."""
        order = np.argsort(self.documents, kind="stable")
        records = int(self.documents.max()) + 1 if len(self.documents) else 0
        starts = np.zeros(records + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.documents, minlength=records), out=starts[1:])
        return self.codes[order], starts

    def counts(self, among: np.ndarray, records: np.ndarray) -> np.ndarray:
        """How many of the documents in the bool mask `among` have each value; `records` are the
        sorted record numbers the mask marks."""
        if len(records) * SPARSE_COUNT_RATIO > len(self.documents):
            return np.bincount(self.codes[among[self.documents]], minlength=len(self.values))
        codes, starts = self._by_record
        records = records[: np.searchsorted(records, len(starts) - 1)]  # records past the last pair have none
        first = starts[records]
        lengths = starts[records + 1] - first
        # Every marked record's run of codes, laid end to end: each position's run start plus its place in it.
        runs = np.repeat(first - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
        return np.bincount(codes[runs], minlength=len(self.values))


FacetColumns = dict[str, FacetColumn]


def facet_order(spec: FacetSpec, counts: dict[str, int], selected: set[str]) -> list[str]:
    """In the facet's order (newest or most frequent first); documents without a value come last."""
    present = {value for value, count in counts.items() if count} | selected
    if spec.order == NEWEST_FIRST:
        ordered = sorted(present - {NO_VALUE}, reverse=True)
    else:
        ordered = sorted(present - {NO_VALUE}, key=lambda value: (-counts.get(value, 0), value))
    return ordered + [NO_VALUE] * (NO_VALUE in present)


class Selection:
    """The user's facet selections over one index generation: which documents pass them, and the
    facet counts. A request tries several readings of its query (all, most, any words) but counts
    the facets only for the one it shows, so the selections' masks are made once and counting waits."""

    def __init__(self, columns: FacetColumns, selections: Mapping[str, set[str]], size: int) -> None:
        self.columns = columns
        self.selections = selections
        self.passing = {field: columns[field].having(wanted, size) for field, wanted in selections.items() if wanted}

    def allowed(self, matching: np.ndarray) -> np.ndarray:
        """The matching documents that pass every selection."""
        allowed = matching.copy()
        for mask in self.passing.values():
            allowed &= mask
        return allowed

    def facets(self, matching: np.ndarray) -> tuple[Facet, ...]:
        """Every facet with disjunctive counts: a facet's own selection does not narrow its counts."""
        facets = []
        marked: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        for spec in FACETS:
            field = spec.field
            column = self.columns[field]
            others = tuple(other for other in self.passing if other != field)
            if others not in marked:  # without selections, every facet counts among the same records
                among = matching.copy()
                for other in others:
                    among &= self.passing[other]
                marked[others] = among, np.flatnonzero(among)
            counts = dict(zip(column.values, column.counts(*marked[others]).tolist(), strict=True))
            selected = set(self.selections.get(field, ()))
            values = tuple(
                FacetValue(value, counts.get(value, 0), value in selected)
                for value in facet_order(spec, counts, selected)
            )
            facets.append(Facet(field, values))
        return tuple(facets)
