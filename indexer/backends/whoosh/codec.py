"""Whoosh's W3 codec with two repairs that make writing an index faster.

1. Short posting lists are kept in the term dictionary. Most terms occur in one or two records
   (word pairs, rare words, names). W3 writes each of them as its own compressed block in the
   postings file; writing those blocks was the largest part of an index build. W3 can keep such
   postings inside the term's entry instead ("inlining", read back by its own reader), but its
   writer calls a method that does not exist, so the feature is off by default.
2. Field lengths are read once per record. W3 looks up the length of the record's field for every
   posting it writes (for the blocks' length bounds), in the column file it has just written:
   15% of a writer's time. The lengths are now read into a list per field before the postings.

Every segment's table of contents stores this codec by its class name, so renaming
`KennisbankCodec` needs a new SCHEMA_REVISION.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.codec.base import PerDocumentReader
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.fields import Schema

# Posting lists shorter than this are inlined.
INLINE_LIMIT = 4


class _InliningPostingsWriter(W3PostingsWriter):
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


class KennisbankCodec(W3Codec):
    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE_LIMIT)

    def field_writer(self, storage, segment) -> W3FieldWriter:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False) -> W3PostingsWriter:
        return _InliningPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )
