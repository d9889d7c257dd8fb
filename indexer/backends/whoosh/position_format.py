"""Word positions in a posting as little-endian 32-bit numbers, instead of Whoosh's pickled list.

Whoosh's `Positions` stores a posting's positions as a 4-byte count and a pickled list of the gaps
between them: a Python loop and a pickle per posting to write, and one Python object per posting to
read back. A phrase over a title or a summary reads the positions of every candidate record, and a
pair with a rare word those of its pages (`pair_positions`): over 116,824 news posts that unpickling
was half of a phrase search. Here a posting's value is its positions themselves, four bytes each,
so the values of a block are one array that numpy reads at once (`postings.positions_in`), and a
word found once takes 4 bytes instead of about 12.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np
from whoosh.formats import Positions

from indexer.backends.whoosh.block_format import little_endian

POSITION = np.dtype("<u4")


class PositionArray(Positions):
    """Whoosh's `Positions` with each posting's value stored as its positions, 4 bytes each.

    The index's table of contents pickles this class by its module path: moving or renaming it needs
    a new `schema.SCHEMA_REVISION`."""

    def encode(self, poslist: Sequence[int]) -> bytes:
        return little_endian(array("I", poslist))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return np.frombuffer(valuestring, dtype=POSITION).tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // POSITION.itemsize
