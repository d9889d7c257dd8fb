"""Facet counts the way good shops do them, over arrays of facet values, for either engine.

Several values in one facet combine with OR, facets combine with AND, and the counts of a facet's
values are computed as if that facet's own selection were not applied: the user sees what widening
would give. Each facet is a pair of arrays (record number, value code), and a count is one
`numpy.bincount` over the matching records' codes. The embedded engine reads the arrays once per
index generation (`backends.whoosh.facets`); the cluster builds them from its candidates
(`backends.typesense.facets`).

A column keeps its codes laid out by record (`FacetColumn._layers`), so a count reads only the
matching records' codes: gathering over every pair cost a rare query more than the rest of its
search, and reading (record, value) pairs through a mask cost a broad one a millisecond per facet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from indexer.engine.facet_specs import FACETS, NEWEST_FIRST, FacetSpec
from indexer.engine.results import NO_VALUE, Facet, FacetValue


@dataclass(frozen=True)
class FacetColumn:
    """One facet field: every (document number, value code) pair; a document may have several."""

    values: tuple[str, ...]
    documents: np.ndarray  # int64 document numbers
    codes: np.ndarray  # int64 index into `values`, one per entry of `documents`

    def having(self, wanted: set[str], size: int) -> np.ndarray:
        """Bool over document numbers: documents with at least one of the wanted values."""
        mask = np.zeros(size, dtype=bool)
        documents, starts = self._by_value
        for code, value in enumerate(self.values):
            if value in wanted:
                mask[documents[starts[code] : starts[code + 1]]] = True
        return mask

    @cached_property
    def _by_value(self) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers grouped by value code, and where each code's group starts: a
        selection marks its values' documents without a pass over every pair."""
        order, starts = _grouped(self.codes, len(self.values))
        return self.documents[order], starts

    @cached_property
    def _layers(self) -> np.ndarray:
        """The codes by record, a row per value a record can have: row i holds each record's i-th
        code, or `len(values)` where the record has fewer. Made once per column, at its first count."""
        records = int(self.documents.max()) + 1 if len(self.documents) else 0
        order, starts = _grouped(self.documents, records)
        documents, codes = self.documents[order], self.codes[order]
        rank = np.arange(len(documents)) - starts[documents]  # i-th value of its record
        rows = int(rank.max()) + 1 if len(documents) else 0
        layers = np.full((rows, records), len(self.values), dtype=np.min_scalar_type(len(self.values)))
        layers[rank, documents] = codes
        return layers

    def counts(self, records: np.ndarray) -> np.ndarray:
        """How many of the documents among `records` (sorted record numbers) have each value."""
        layers = self._layers
        records = records[: np.searchsorted(records, layers.shape[1])]  # records past the last pair have none
        counts = np.zeros(len(self.values) + 1, dtype=np.int64)
        for layer in layers:
            counts += np.bincount(layer[records], minlength=len(self.values) + 1)
        return counts[:-1]


FacetColumns = dict[str, FacetColumn]


def _grouped(keys: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """The order that groups `keys` (each under `groups`), stable within a group, and where each
    group starts in that order (one entry more than the groups)."""
    starts = np.zeros(groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=groups), out=starts[1:])
    return np.argsort(keys, kind="stable"), starts


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
        """For each of the `matching` records (sorted record numbers): whether it passes every selection."""
        allowed = np.ones(len(matching), dtype=bool)
        for mask in self.passing.values():
            allowed &= mask[matching]
        return allowed

    def facets(self, matching: np.ndarray) -> tuple[Facet, ...]:
        """Every facet with disjunctive counts over the `matching` records (sorted record numbers): a
        facet's own selection does not narrow its counts."""
        facets = []
        marked: dict[tuple[str, ...], np.ndarray] = {}
        for spec in FACETS:
            field = spec.field
            column = self.columns[field]
            others = tuple(other for other in self.passing if other != field)
            if others not in marked:  # without selections, every facet counts among the same records
                among = matching
                for other in others:
                    among = among[self.passing[other][among]]
                marked[others] = among
            counts = dict(zip(column.values, column.counts(marked[others]).tolist(), strict=True))
            selected = set(self.selections.get(field, ()))
            values = tuple(
                FacetValue(value, counts.get(value, 0), value in selected)
                for value in facet_order(spec, counts, selected)
            )
            facets.append(Facet(field, values))
        return tuple(facets)
