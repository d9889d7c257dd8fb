"""Opening a searcher whose files a commit cannot take away while it is in use.

Whoosh opens a segment's terms and postings when it opens a reader, but its column files (stored
fields, field lengths, sortable columns) only on first use, and every commit deletes the files
of the segments it merged away. A searcher opened just before a commit then found a segment's
stored fields gone mid-request (`stored_fields` failed with "'NoneType' object is not
subscriptable") or took a column for absent. Here every column file of every segment is opened
with the searcher; an open file stays readable after it is deleted, so the searcher answers from
its own generation for as long as it lives. The files are listed first, and the listing is only
trusted when no newer commit existed after it: a commit writes its table of contents before it
deletes anything, so such a listing lacks no file of the searcher's generation.
"""

from __future__ import annotations

import weakref

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec
from whoosh.columns import Column, ColumnReader
from whoosh.index import Index
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from indexer.backends.whoosh.stored_fields import STORED, column_for
from indexer.errors import KennisbankError

# A commit during the opening costs one more attempt; this many in a row means commits follow
# each other faster than a searcher opens, which no indexing run does.
OPEN_ATTEMPTS = 10
# Columns Whoosh reads through its per-segment reader cache (`_cached_reader`) rather than by name:
# the stored fields (`stored_fields.STORED`) and the field lengths.
_LENGTHS_SUFFIX = "_len"
# The per-segment column stores whose files were all opened with their searcher.
_OPENED: weakref.WeakSet = weakref.WeakSet()


class IndexChangingError(KennisbankError):
    def __init__(self) -> None:
        super().__init__("De index wordt op dit moment bijgewerkt. Probeer het over een paar seconden opnieuw.")


def open_searcher(index: Index, weighting: object | None = None) -> Searcher:
    """A searcher of the latest generation with all its segments' files open (Whoosh's default
    weighting unless one is given: reading stored fields needs none)."""
    options = {"weighting": weighting} if weighting is not None else {}
    for _ in range(OPEN_ATTEMPTS):
        searcher = index.searcher(**options)
        try:
            if _open_columns(index, searcher.reader()):
                return searcher
        except FileNotFoundError:
            pass  # deleted between the listing and the opening: a newer commit exists, try that one
        searcher.close()
    raise IndexChangingError()


def _open_columns(index: Index, reader: IndexReader) -> bool:
    """Open every column file of the reader's segments; False when the listing cannot be trusted."""
    if not reader.doc_count_all():
        return True  # an empty index: no segment, no file (and Whoosh's empty reader has no generation)
    listed = index.storage.list()
    if index.latest_generation() != reader.generation():
        return False
    for segment, _ in reader.leaf_readers():
        per_document = segment._perdoc  # the W3 codec's column store of this segment
        prefix = segment.segment().make_filename(".")
        for filename in listed:
            if filename.startswith(prefix) and filename.endswith(W3Codec.COLUMN_EXT):
                name = filename[len(prefix) : -len(W3Codec.COLUMN_EXT)]
                per_document._colfiles[name] = per_document._get_column_file(name)
                if name == STORED or name.endswith(_LENGTHS_SUFFIX):
                    # Whoosh would look for the file again before reading it through its cache.
                    column = column_for(name, LENGTHS_COLUMN)
                    per_document._readers[name] = per_document.column_reader(name, column)
        _OPENED.add(per_document)
    return True


def column(segment: IndexReader, name: str, column_type: Column) -> ColumnReader | None:
    """A segment's column as opened with its searcher; None when the segment has none (a segment
    without records that have the field). Not `has_column` for a searcher from `open_searcher`: it
    asks the disk, where a commit may have deleted the file the searcher holds open."""
    per_document = segment._perdoc
    present = name in per_document._colfiles if per_document in _OPENED else per_document.has_column(name)
    return per_document.column_reader(name, column_type) if present else None
