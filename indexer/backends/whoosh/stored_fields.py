"""The column that holds each record's stored fields, compressed with LZ4 instead of Whoosh's zlib.

A search reads the stored fields of every document and page it shows: a page's text, for its
snippet, is most of them (10.8 KB for a page record of the peer corpus). zlib took 45 µs of the 70 µs
reading such a record took; LZ4 takes 4 µs, for stored fields at 0.41 of their pickled size instead
of 0.33. The codec (`codec`) writes and reads this column under Whoosh's own name for it; so does
`searchers`, which opens the column itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import lz4.block
from whoosh.columns import Column, PickleColumn, VarBytesColumn

# Whoosh's name for the column of stored fields: one pickled dict per record.
STORED = "_stored"
# LZ4's high-compression level: at 3, packing a record is still faster than zlib's level 3 was
# (118 against 155 µs); higher levels gain under 1% for half as long again.
COMPRESSION_LEVEL = 3


class _Lz4BytesColumn(VarBytesColumn):
    """Whoosh's `CompressedBytesColumn` with LZ4. That column takes a module name, but calls its
    `compress(value, level)`, which `lz4.block.compress` does not take."""

    class Writer(VarBytesColumn.Writer):
        def add(self, docnum: int, v: bytes) -> None:
            super().add(docnum, lz4.block.compress(v, mode="high_compression", compression=COMPRESSION_LEVEL))

    class Reader(VarBytesColumn.Reader):
        def __getitem__(self, docnum: int) -> bytes:
            return _unpacked(super().__getitem__(docnum))

        def __iter__(self) -> Iterator[bytes]:
            return map(_unpacked, super().__iter__())


def _unpacked(packed: bytes) -> bytes:
    # A record without stored fields reads as b"": left as it is (Whoosh's zlib column fails on it).
    return lz4.block.decompress(packed) if packed else packed


STORED_COLUMN = PickleColumn(_Lz4BytesColumn())


def column_for(name: str, whoosh_column: Column) -> Column:
    """The column type to write or read the column `name` with: ours for the stored fields, the one
    Whoosh asks for (field lengths, sortable values) for every other."""
    return STORED_COLUMN if name == STORED else whoosh_column
