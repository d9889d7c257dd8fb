"""Disjunctive facets on the cluster: OR within a facet, AND across facets, and each facet's counts
as if its own selection were not applied (the user sees what widening would give).

Two ways to the same counts. When the second stage holds every document the query can match (the
candidates), the counts come from the candidates' facet values with the embedded engine's own
`Selection`, over the documents the query matches, exclusions included. When it cannot (a listing of
every document, or more candidates than are fetched), one multi-search asks Typesense: one search
with every selection for all facets, and one per selected facet with the others' selections; there
"matching" is the documents that pass the query's filter (`filters`), which leaves exclusions out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from indexer.backends.typesense.filters import both, selection_filter
from indexer.backends.typesense.requests import search
from indexer.engine.facet_counts import FacetColumn, FacetColumns, Selection, facet_order
from indexer.engine.facet_specs import FACETS
from indexer.engine.results import Facet, FacetValue

__all__ = ["Selection", "candidate_columns", "facet_searches", "facets_from"]

# Facet values a cluster search counts per facet (more than any facet of ours has).
MAX_FACET_VALUES = 500


def candidate_columns(records: list[dict]) -> FacetColumns:
    """The facet columns of the candidates (every record has at least `NO_VALUE` in each facet field)."""
    columns = {}
    for spec in FACETS:
        values: dict[str, int] = {}
        documents, codes = [], []
        for number, record in enumerate(records):
            for value in record.get(spec.field, ()):
                documents.append(number)
                codes.append(values.setdefault(value, len(values)))
        columns[spec.field] = FacetColumn(
            tuple(values), np.array(documents, dtype=np.int64), np.array(codes, dtype=np.int64)
        )
    return columns


def facet_searches(documents: str, query: str | None, selections: Mapping[str, set[str]]) -> list[dict]:
    """The searches for the counts: every facet under all selections, then each selected facet alone."""
    every = ",".join(spec.field for spec in FACETS)
    searches = [
        search(documents, both(query, selection_filter(dict(selections))), per_page=0, facet_by=every,
               max_facet_values=MAX_FACET_VALUES)
    ]  # fmt: skip
    for field in sorted(selections):
        filter_by = both(query, selection_filter(dict(selections), leave_out=field))
        searches.append(search(documents, filter_by, per_page=0, facet_by=field, max_facet_values=MAX_FACET_VALUES))
    return searches


def facets_from(results: list[dict], selections: Mapping[str, set[str]]) -> tuple[Facet, ...]:
    """The facets from the answers to `facet_searches`, in the order and form of the embedded engine."""
    counts: dict[str, dict[str, int]] = {}
    for result in results:  # a selected facet's own search comes after the one for all, and wins
        for facet in result.get("facet_counts", []):
            counts[facet["field_name"]] = {item["value"]: item["count"] for item in facet["counts"]}
    facets = []
    for spec in FACETS:
        found, selected = counts.get(spec.field, {}), set(selections.get(spec.field, ()))
        values = tuple(
            FacetValue(value, found.get(value, 0), value in selected) for value in facet_order(spec, found, selected)
        )
        facets.append(Facet(spec.field, values))
    return tuple(facets)
