"""Whoosh's W3 codec with four repairs that make writing and reading an index faster.

1. Short posting lists are kept in the term dictionary. Most terms occur in one or two records
   (word pairs, rare words, names). W3 writes each of them as its own compressed block in the
   postings file; writing those blocks was the largest part of an index build. W3 can keep such
   postings inside the term's entry instead ("inlining", read back by its own reader), but its
   writer calls a method that does not exist, so the feature is off by default.
2. Field lengths are read once per record. W3 looks up the length of the record's field for every
   posting it writes (for the blocks' length bounds), in the column file it has just written:
   15% of a writer's time. The lengths are now read into a list per field before the postings.
3. A block's postings are arrays of bytes (`block_format`), not tuples of Python numbers. W3 pickles
   a block as a tuple of id deltas, a tuple of weights and a tuple of values, with pickle protocol 2,
   which spells every bytes value as a call to `codecs.encode`. Unpickling those was the largest cost
   of a search over 116,824 posts, and pickling them a large cost of writing. Whoosh's own matchers
   read blocks through `_BlockMatcher`, so merges and Whoosh's phrase matcher see what they always saw.
4. A record's stored fields are compressed with LZ4 instead of zlib (`stored_fields`): a search
   reads those of every document and page it shows, and zlib was two thirds of reading them.

Every segment's table of contents stores this codec by its class name, so renaming
`KennisbankCodec` needs a new SCHEMA_REVISION, as does a change of the block format or of how
stored fields are compressed.
"""

from __future__ import annotations

import pickle  # the block info tuple stays Whoosh's; the index is written by us
import zlib
from array import array
from collections.abc import Iterable

from whoosh.codec.base import PerDocumentReader
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.columns import Column
from whoosh.fields import Schema
from whoosh.matching import Matcher
from whoosh.util.numeric import length_to_byte

from indexer.backends.whoosh import block_format
from indexer.backends.whoosh.stored_fields import column_for

# Posting lists shorter than this are inlined.
INLINE_LIMIT = 4


class _PostingsWriter(W3PostingsWriter):
    def finish_postings(self) -> W3TermInfo:
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        # A field without values (an ID) gets empty bytes per posting: Whoosh's reader would
        # otherwise hand a merge the str "" where bytes are required.
        terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
        self._terminfo = None
        return terminfo

    def _write_block(self, last: bool = False) -> None:
        """W3's block layout (length, pickled block info, data) with `block_format`'s data."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = block_format.encode(self._ids, self._weights, self._values, self._format.fixed_value_size())
        if self._compression:
            data = zlib.compress(data, self._compression)
        info = (
            len(self._ids),
            self._ids[-1],
            self._maxweight,
            self._compression,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        info_bytes = pickle.dumps(info, 2)
        length = len(info_bytes) + len(data)
        self._postfile.write_int(-length if last else length)  # the last block has a negative length
        self._postfile.write(info_bytes)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class _BlockMatcher(W3LeafMatcher):
    """Whoosh's matcher over our blocks: for merges, and for Whoosh's own queries in the tests."""

    def _read_data(self) -> None:
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        self._data = block_format.decode(block_format.decompressed(data, self._compression), self._blocklength)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = tuple(self._data.ids.tolist())

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = array("f", self._data.weights.tobytes())

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if self._fixedsize == 0:
            self._values = (None,) * self._blocklength  # as W3 gives them
        else:
            self._values = tuple(self._data.values(self._fixedsize))


class _ListedLengths:
    """A segment's field lengths, each field's column read into a list when first asked for."""

    def __init__(self, lengths: PerDocumentReader) -> None:
        self._lengths = lengths
        self._by_field: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str) -> int:
        listed = self._by_field.get(fieldname)
        if listed is None:
            count = self._lengths.doc_count_all()
            listed = self._by_field[fieldname] = [
                self._lengths.doc_field_length(number, fieldname) for number in range(count)
            ]
        return listed[docnum]


class _FieldWriter(W3FieldWriter):
    def add_postings(self, schema: Schema, lengths: PerDocumentReader | None, items: Iterable[tuple]) -> None:
        super().add_postings(schema, _ListedLengths(lengths) if lengths else None, items)


class _PerDocWriter(W3PerDocWriter):
    def _create_column(self, fieldname: str, column: Column) -> None:
        super()._create_column(fieldname, column_for(fieldname, column))


class _PerDocReader(W3PerDocReader):
    def _cached_reader(self, fieldname: str, column: Column):
        return super()._cached_reader(fieldname, column_for(fieldname, column))


class KennisbankCodec(W3Codec):
    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE_LIMIT)

    def per_document_writer(self, storage, segment) -> W3PerDocWriter:
        return _PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage, segment) -> W3PerDocReader:
        return _PerDocReader(storage, segment)

    def field_writer(self, storage, segment) -> W3FieldWriter:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False) -> W3PostingsWriter:
        if byteids:  # term vectors, which no field of ours keeps
            raise NotImplementedError("term vectors are not written by this codec")
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None) -> Matcher:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return _BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
