"""Facet counts the way good shops do them, computed from a per-index table of facet values.

Several values in one facet combine with OR, facets combine with AND, and the counts of a facet's
values are computed as if that facet's own selection were not applied: the user sees what widening
would give. Whoosh's grouping cannot express this, so we count over the set of matching documents
with a table (document number -> its values) built once per index generation.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from whoosh.searching import Searcher

from indexer.schema import DOC

# Index fields offered as facets, in the order they are shown.
FACET_FIELDS = ("themes", "subthemes", "kind", "year", "source")
MULTI_VALUED = frozenset({"themes", "subthemes"})
# The facet value of a document that has none (no theme, no year): selectable like any other.
NO_VALUE = "(geen)"


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    field: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class FacetTable:
    """Facet values and date of every document record in one index generation."""

    values: dict[int, dict[str, tuple[str, ...]]]
    dates: dict[int, dt.datetime]

    @property
    def documents(self) -> set[int]:
        return set(self.values)


_TABLES: dict[tuple[str, int], FacetTable] = {}
_TABLES_LOCK = threading.Lock()


def _split(field: str, value: object) -> tuple[str, ...]:
    if field in MULTI_VALUED:
        values = tuple(part for part in str(value or "").split(",") if part)
    else:
        values = (str(value),) if value else ()
    return values or (NO_VALUE,)


def facet_table(searcher: Searcher, index_name: str) -> FacetTable:
    """The table for the searcher's index generation, built on first use and then reused."""
    reader = searcher.reader()
    key = (index_name, reader.generation())
    with _TABLES_LOCK:
        table = _TABLES.get(key)
    if table is not None:
        return table
    values, dates = {}, {}
    for docnum, fields in reader.iter_docs():
        if fields.get("doctype") != DOC:
            continue
        values[docnum] = {field: _split(field, fields.get(field)) for field in FACET_FIELDS}
        dates[docnum] = fields.get("date") or dt.datetime.min
    table = FacetTable(values, dates)
    with _TABLES_LOCK:
        _TABLES.clear()  # only the newest generation is worth keeping
        _TABLES[key] = table
    return table


def _matches(values: dict[str, tuple[str, ...]], selections: Mapping[str, set[str]], skip: str | None) -> bool:
    return all(
        not wanted or not wanted.isdisjoint(values[field]) for field, wanted in selections.items() if field != skip
    )


def _order(field: str, counts: Counter[str], selected: set[str]) -> list[str]:
    present = set(counts) | selected
    if field == "year":
        return sorted(present, reverse=True)
    return sorted(present, key=lambda value: (-counts[value], value))


def apply(
    table: FacetTable, matching: Iterable[int], selections: Mapping[str, set[str]]
) -> tuple[set[int], tuple[Facet, ...]]:
    """The documents that pass every selection, and the facets with disjunctive counts."""
    base = [docnum for docnum in matching if docnum in table.values]
    allowed = {docnum for docnum in base if _matches(table.values[docnum], selections, None)}
    facets = []
    for field in FACET_FIELDS:
        selected = set(selections.get(field, ()))
        counts: Counter[str] = Counter()
        for docnum in base:
            if _matches(table.values[docnum], selections, field):
                counts.update(table.values[docnum][field])
        values = tuple(FacetValue(value, counts[value], value in selected) for value in _order(field, counts, selected))
        facets.append(Facet(field, values))
    return allowed, tuple(facets)
