"""What every search in one index generation shares, read once: arrays over document numbers.

A search works on dense numpy arrays indexed by Whoosh document number: which records are live
documents, their field lengths (for BM25F), their dates, their facet values and, for a page
record, the document it belongs to. Building them takes tens of milliseconds, so it happens once
per index generation (each commit makes a new one) and every request after that reuses them.

Whoosh searchers read files through a shared file position, so a searcher serves one request at
a time: requests take an idle one from a small pool (or open one with all its files open, see
`searchers`) and give it back; one that is out of date is closed, not reused.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from indexer.backends.whoosh.facets import facet_columns
from indexer.backends.whoosh.postings import postings
from indexer.backends.whoosh.schema import DOC
from indexer.backends.whoosh.searchers import column, open_searcher
from indexer.backends.whoosh.term_dictionary import terms
from indexer.engine.facet_counts import FacetColumns
from indexer.engine.fields import TEXT_FIELDS, WORD_PAIRS

# Fields ranked with BM25F on the document records.
RANKED_FIELDS = (*TEXT_FIELDS, WORD_PAIRS)
# A DATETIME column holds this for a document without a date.
_NO_DATE = 2**64 - 1
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass(frozen=True)
class Snapshot:
    """Arrays over the document numbers of one index generation (length `size`)."""

    generation: tuple[str, int]
    size: int
    documents: np.ndarray  # bool: a live document record
    document_count: int
    owner: np.ndarray  # int64: for every record, the document record it belongs to (pages follow it)
    lengths: dict[str, np.ndarray]  # field -> float32 length of that field in each record
    average_lengths: dict[str, float]
    dates: np.ndarray  # float64: Whoosh's datetime number, NaN without a date
    page_numbers: np.ndarray  # int64: a page record's page number (meaningless for document records)
    id_ranks: np.ndarray  # int64: a document record's place in the order of document ids (ties in ranking)
    facets: FacetColumns


def _per_segment(
    reader: IndexReader,
    size: int,
    dtype: type,
    column_of: Callable[[IndexReader], Iterable | None],
    missing: int = 0,
) -> np.ndarray | None:
    """One column's values over all segments (`column_of` gives a segment's column, or None when the
    segment has none, as a segment without such records does: its records get `missing`); None when
    no segment has it."""
    values, found = np.full(size, missing, dtype=dtype), False
    for segment, offset in reader.leaf_readers():
        count = segment.doc_count_all()
        column = column_of(segment) if count else None  # an empty index's reader has no columns at all
        if column is not None:
            values[offset : offset + count] = _column_values(column, count, dtype)
            found = True
    return values if found else None


def _column_values(column: Iterable, count: int, dtype: type) -> np.ndarray:
    """A segment's column as an array. A numeric column (field lengths, page numbers, dates) is one
    fixed-width big-endian value per record, records past its end having the default: one read
    instead of a seek and an unpack per record, which took seconds at 50,000 documents."""
    if not isinstance(column, NumericColumn.Reader):
        return np.fromiter(column, dtype=dtype, count=count)
    stored = min(column._count, count)
    raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
    values = np.full(count, column._default, dtype=dtype)
    values[:stored] = np.frombuffer(raw, dtype=np.dtype(column._typecode).newbyteorder(">"))
    return values


def _field_lengths(reader: IndexReader, field: str, size: int) -> np.ndarray:
    def lengths_of(segment: IndexReader) -> Iterable | None:
        return column(segment, _lenfield(field), LENGTHS_COLUMN)  # a column of the W3 per-document store

    codes = _per_segment(reader, size, np.uint8, lengths_of)
    return _LENGTH_OF_BYTE[codes] if codes is not None else np.zeros(size, dtype=np.float32)


def _column(
    reader: IndexReader, field: str, size: int, dtype: type, translate: bool, missing: int = 0
) -> np.ndarray | None:
    """A sortable field's column values (`translate`: as the field's own values, else raw)."""

    def column_of(segment: IndexReader) -> Iterable | None:
        return column(segment, field, reader.schema[field].column_type)

    raw = _per_segment(reader, size, np.uint64, column_of, missing)
    if raw is None:
        return None
    if not translate:
        return raw.astype(dtype, copy=False)
    # The field translates each distinct value once (a page number column has a few hundred).
    distinct, where = np.unique(raw, return_inverse=True)
    to_value = reader.schema[field].from_column_value
    return np.array([to_value(int(value)) for value in distinct], dtype=dtype)[where]


def _dates(reader: IndexReader, size: int) -> np.ndarray:
    # A segment with no dated document has no date column: its records are undated too.
    raw = _column(reader, "date", size, np.uint64, translate=False, missing=_NO_DATE)
    if raw is None:
        return np.full(size, np.nan)
    return np.where(raw == _NO_DATE, np.nan, raw.astype(np.float64))


def _live(reader: IndexReader, size: int) -> np.ndarray:
    live = np.ones(size, dtype=bool)
    for segment, offset in reader.leaf_readers():
        if segment.has_deletions():  # an empty index's reader has no deletion set at all
            live[np.asarray(list(segment.deleted_docs_set), dtype=np.int64) + offset] = False
    return live


def _page_numbers(reader: IndexReader, size: int) -> np.ndarray:
    numbers = _column(reader, "page", size, np.int64, translate=True)
    return numbers if numbers is not None else np.zeros(size, dtype=np.int64)


def _id_ranks(reader: IndexReader, size: int) -> np.ndarray:
    """Per document record, the rank of its id among all ids: an order that, unlike document
    numbers, is the same in every build. A document's id is the `parent` term of it and its
    pages, and within a segment the document record is the first of them."""
    firsts = [
        (text, offset + first)
        for segment, offset in reader.leaf_readers()
        for text, _, first in terms(segment, "parent")
    ]
    rank = {text: number for number, text in enumerate(sorted({text for text, _ in firsts}))}
    ranks = np.zeros(size, dtype=np.int64)
    for text, docnum in firsts:
        ranks[docnum] = rank[text]
    return ranks


def build_snapshot(reader: IndexReader, generation: tuple[str, int]) -> Snapshot:
    size = reader.doc_count_all()
    document_records, _ = postings(reader, "doctype", DOC)
    is_document = np.zeros(size, dtype=bool)
    is_document[document_records] = True
    # The indexer writes a document's pages right after it, and Whoosh keeps that order within a
    # segment when it merges, so a record belongs to the nearest document record at or before it.
    owner = np.maximum.accumulate(np.where(is_document, np.arange(size), -1)) if size else np.zeros(0, np.int64)
    documents = is_document & _live(reader, size)
    lengths = {field: _field_lengths(reader, field, size) for field in RANKED_FIELDS}
    count = int(documents.sum())
    average_lengths = {  # summed in float64: exact, so the same in every build whatever the record order
        field: float(values[documents].mean(dtype=np.float64)) if count and values[documents].any() else 1.0
        for field, values in lengths.items()
    }
    return Snapshot(
        generation=generation,
        size=size,
        documents=documents,
        document_count=count,
        owner=owner,
        lengths=lengths,
        average_lengths=average_lengths,
        dates=_dates(reader, size),
        page_numbers=_page_numbers(reader, size),
        id_ranks=_id_ranks(reader, size),
        facets=facet_columns(reader, documents),
    )


# Indexes searched by one process at once (the web app has one; a test run opens many in turn).
MAX_OPEN_INDEXES = 4
# Idle searchers kept per index: enough for the threads of a web server process.
MAX_IDLE_SEARCHERS = 8
_SNAPSHOTS: dict[str, Snapshot] = {}
_IDLE: dict[str, list[tuple[Index, Searcher]]] = {}
_LOCK = threading.Lock()


def _remember(cache: dict, key: str, value: object) -> list:
    """Put `value` under `key` as the newest entry; return the entries pushed out."""
    cache.pop(key, None)
    cache[key] = value
    pushed_out = []
    while len(cache) > MAX_OPEN_INDEXES:
        pushed_out.append(cache.pop(next(iter(cache))))
    return pushed_out


def _take_searcher(index: Index, name: str, weighting: object) -> Searcher:
    """An idle up-to-date searcher of `index`, or a new one; stale idle ones are closed."""
    with _LOCK:
        idle = _IDLE.get(name, [])
        while idle:
            opened, searcher = idle.pop()
            # Not `Searcher.refresh()`: it reuses a segment reader with its old generation number and
            # deletions when the new commit kept that segment.
            if opened is index and searcher.up_to_date():
                return searcher
            searcher.close()
    return open_searcher(index, weighting)


def _give_back(index: Index, name: str, searcher: Searcher) -> None:
    with _LOCK:
        idle = _IDLE.pop(name, [])
        idle.append((index, searcher))
        closing = idle[:-MAX_IDLE_SEARCHERS]
        for pushed_out in _remember(_IDLE, name, idle[-MAX_IDLE_SEARCHERS:]):
            closing += pushed_out
    for _, old in closing:
        old.close()


@contextmanager
def searching(index: Index, weighting: object) -> Iterator[tuple[Searcher, Snapshot]]:
    """An up-to-date searcher for `index`, for this thread alone while in use, and the snapshot of
    its generation. Searchers are kept for reuse: opening one costs more than a whole search."""
    name = str(getattr(index, "storage", id(index)))
    searcher = _take_searcher(index, name, weighting)
    try:
        generation = (name, searcher.reader().generation())
        with _LOCK:
            snapshot = _SNAPSHOTS.get(name)
        if snapshot is None or snapshot.generation != generation:
            snapshot = build_snapshot(searcher.reader(), generation)
            with _LOCK:
                _remember(_SNAPSHOTS, name, snapshot)  # older generations of an index are not searched again
        yield searcher, snapshot
    finally:
        _give_back(index, name, searcher)
