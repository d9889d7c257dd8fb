"""The data of one posting block, as arrays of bytes that numpy reads without a Python object per posting.

A block (at most W3's 128 postings) is stored, before compression, as:

    id deltas      count x uint32, little-endian (the first is the first document number)
    weight kind    1 byte: ALL_ONE, ONE_WEIGHT (then 1 x float32) or PER_POSTING (then count x float32)
    values         by the field format's fixed value size: nothing for 0; count x size bytes for a fixed
                   size; else count x uint32 lengths, then the values end to end (word positions are
                   such values: `position_format`)

A value is what Whoosh's field format made of a posting (word positions for the fields with
positions); it is kept as those bytes. The codec writes and reads blocks in this format
(`codec.KennisbankCodec`), and `postings` reads them into arrays for searching.
"""

from __future__ import annotations

import sys
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import sub

import numpy as np

_IDS = np.dtype("<u4")
_WEIGHTS = np.dtype("<f4")
_LENGTHS = np.dtype("<u4")
ALL_ONE, ONE_WEIGHT, PER_POSTING = b"1", b"w", b"p"
_ONE = np.ones(1, dtype=_WEIGHTS).tobytes()


@dataclass(frozen=True)
class JoinedValues(Sequence[bytes]):
    """A block's values of varying length, sliced out only when asked for."""

    joined: bytes
    starts: np.ndarray  # one more than the values: where each begins, then the end

    @classmethod
    def of(cls, values: Sequence[bytes]) -> JoinedValues:
        """Separate values joined, as a block stores them (the values of an inlined term)."""
        return cls(b"".join(values), _starts([len(value) for value in values]))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, index: int) -> bytes:  # type: ignore[override]  # no slices needed
        if not 0 <= index < len(self):
            raise IndexError(index)  # also ends iteration, as a Sequence's does
        return self.joined[int(self.starts[index]) : int(self.starts[index + 1])]


@dataclass(frozen=True)
class Block:
    """A decoded block: its postings' document numbers (within the segment) and weights; the values
    are cut out of the data only when asked for, since ranking needs none."""

    ids: np.ndarray  # int64
    weights: np.ndarray  # float32
    data: bytes
    values_start: int

    def values(self, fixed_size: int | None) -> Sequence[bytes]:
        """Each posting's value; `fixed_size` as in `encode`."""
        count, start = len(self.ids), self.values_start
        if fixed_size == 0:
            return (b"",) * count
        if fixed_size is not None and fixed_size > 0:
            ends = range(start + fixed_size, start + (count + 1) * fixed_size, fixed_size)
            return tuple(self.data[end - fixed_size : end] for end in ends)
        return self.joined_values()

    def joined_values(self) -> JoinedValues:
        """The values of varying length, as they are stored: end to end, with where each begins."""
        count, start = len(self.ids), self.values_start
        lengths = np.frombuffer(self.data, dtype=_LENGTHS, count=count, offset=start)
        return JoinedValues(self.data[start + count * _LENGTHS.itemsize :], _starts(lengths))


def _starts(lengths: Sequence[int] | np.ndarray) -> np.ndarray:
    """Where each of values of these lengths begins when they stand end to end, then their end."""
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    return starts


def little_endian(values: array) -> bytes:
    """The array's bytes in little-endian order, as blocks and positions are stored on any machine
    (on a big-endian one the array itself is swapped)."""
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


def encode(ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes], fixed_size: int | None) -> bytes:
    """One block's data; `fixed_size` is the field format's value size (0: no values; None or < 0:
    values of varying length, one per posting). Python's `array` rather than numpy: most blocks hold
    a few postings, and numpy's calls cost more than the work on them (a third of a commit)."""
    parts = [little_endian(array("I", map(sub, ids, chain((0,), ids))))]
    weight_array = array("f", weights)  # compared as the float32 values that are stored
    if weight_array.count(1.0) == len(weight_array):
        parts.append(ALL_ONE)
    elif weight_array.count(weight_array[0]) == len(weight_array):
        parts += [ONE_WEIGHT, little_endian(weight_array[:1])]
    else:
        parts += [PER_POSTING, little_endian(weight_array)]
    if fixed_size is None or fixed_size < 0:
        if len(values) != len(ids):
            raise ValueError(f"{len(values)} values for {len(ids)} postings")
        parts.append(little_endian(array("I", map(len, values))))
    parts += values
    return b"".join(parts)


def decompressed(data: bytes, compression: int) -> bytes:
    """A block's data as the codec stored it: zlib-compressed when W3's `compression` level is set."""
    return zlib.decompress(data) if compression else data


def _layout(data: bytes, count: int) -> tuple[bytes, bytes, int]:
    """A block's id deltas and weights as bytes (one weight repeated where the block stores one),
    and where its values start."""
    end = count * _IDS.itemsize
    kind, weights_start = data[end : end + 1], end + 1
    if kind == ALL_ONE:
        return data[:end], _ONE * count, weights_start
    weights_end = weights_start + (_WEIGHTS.itemsize if kind == ONE_WEIGHT else count * _WEIGHTS.itemsize)
    weights = data[weights_start:weights_end]
    return data[:end], weights * count if kind == ONE_WEIGHT else weights, weights_end


def decode(data: bytes, count: int) -> Block:
    """The block of `count` postings in `data` (decompressed)."""
    deltas, weights, values_start = _layout(data, count)
    ids = np.cumsum(np.frombuffer(deltas, dtype=_IDS), dtype=np.int64)
    return Block(ids, np.frombuffer(weights, dtype=_WEIGHTS), data, values_start)


def decode_list(blocks: Sequence[bytes], counts: Sequence[int], lasts: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The document numbers and weights of a whole posting list, from its blocks (decompressed) with
    their posting counts and last document numbers. The blocks' bytes are joined and read by numpy
    once: a long list has hundreds of blocks, and numpy calls per block were half of decoding it."""
    layouts = [_layout(data, count) for data, count in zip(blocks, counts, strict=True)]
    deltas = np.frombuffer(b"".join(deltas for deltas, _, _ in layouts), dtype=_IDS).astype(np.int64)
    # A block's first delta is its first document number: count it from the previous block's last.
    firsts = np.cumsum(counts[:-1], dtype=np.int64)
    deltas[firsts] -= np.asarray(lasts[:-1], dtype=np.int64)
    weights = np.frombuffer(b"".join(weights for _, weights, _ in layouts), dtype=_WEIGHTS)
    return np.cumsum(deltas), weights
