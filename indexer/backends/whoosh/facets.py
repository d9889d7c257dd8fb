"""The facet columns of an index generation, read once from the facet fields' posting lists.

Whoosh's grouping cannot count facets disjunctively, and it visits documents one by one in Python;
the counting itself is the engines' shared `engine.facet_counts`.
"""

from __future__ import annotations

import numpy as np
from whoosh.reading import IndexReader

from indexer.backends.whoosh.postings import postings
from indexer.engine.facet_counts import FacetColumn, FacetColumns
from indexer.engine.facet_specs import FACETS
from indexer.engine.results import NO_VALUE


def _column(reader: IndexReader, field: str, documents: np.ndarray) -> FacetColumn:
    values, doc_parts, code_parts = [], [], []
    has_value = np.zeros(len(documents), dtype=bool)
    for term in reader.lexicon(field):
        docnums, _ = postings(reader, field, term)
        docnums = docnums[documents[docnums]]
        if len(docnums):
            has_value[docnums] = True
            doc_parts.append(docnums)
            code_parts.append(np.full(len(docnums), len(values), dtype=np.int64))
            values.append(term.decode("utf-8"))
    missing = np.flatnonzero(documents & ~has_value)
    if len(missing):
        doc_parts.append(missing)
        code_parts.append(np.full(len(missing), len(values), dtype=np.int64))
        values.append(NO_VALUE)
    empty = np.zeros(0, dtype=np.int64)
    return FacetColumn(
        tuple(values),
        np.concatenate(doc_parts) if doc_parts else empty,
        np.concatenate(code_parts) if code_parts else empty,
    )


def facet_columns(reader: IndexReader, documents: np.ndarray) -> FacetColumns:
    """The facet columns of the live document records marked in `documents`."""
    return {spec.field: _column(reader, spec.field, documents) for spec in FACETS}
