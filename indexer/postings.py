"""A term's posting list as two numpy arrays: document numbers and weights.

Whoosh's matchers walk postings one document at a time in Python, and its collectors score each
document the same way; over thousands of matching documents that is most of a search. Ranking and
facet counting only need every (document, weight) pair of a term at once, so this module reads the
posting blocks of a segment directly and decodes each block in one go.

It reads the on-disk format of Whoosh's W3 codec (whoosh-reloaded 2.7.5, pinned in
pyproject.toml): a 4-byte magic, then blocks of [signed 4-byte length][pickled block info][block
data], the data a zlib-compressed pickle of (delta-encoded ids, weights, values); a term with one
posting is inlined in its term info. `tests/test_matching.py` compares the result with Whoosh's own
matchers, so an upgrade that changes the format fails there first.
"""

from __future__ import annotations

import io
import pickle  # Whoosh's own block format; the index is written by us
import zlib

import numpy as np
from whoosh.reading import IndexReader, TermNotFound

_MAGIC_BYTES = 4
_INT_BYTES = 4
EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _block_arrays(ids: tuple, weights: object, count: int) -> tuple[np.ndarray, np.ndarray]:
    docnums = np.cumsum(np.asarray(ids, dtype=np.int64))
    if weights is None:
        return docnums, np.ones(count, dtype=np.float32)
    if isinstance(weights, float):
        return docnums, np.full(count, weights, dtype=np.float32)
    return docnums, np.asarray(weights, dtype=np.float32)


def _decode(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """All blocks of one posting list, read from its bytes."""
    stream = io.BytesIO(data)
    stream.seek(_MAGIC_BYTES)
    all_ids, all_weights = [], []
    while True:
        length = int.from_bytes(stream.read(_INT_BYTES), "big", signed=True)
        start = stream.tell()
        count, _, _, compression, _, _ = pickle.load(stream)  # noqa: S301
        block = data[stream.tell() : start + abs(length)]
        if compression:
            block = zlib.decompress(block)
        ids, weights, _ = pickle.loads(block)  # noqa: S301
        ids_array, weights_array = _block_arrays(ids, weights, count)
        all_ids.append(ids_array)
        all_weights.append(weights_array)
        if length < 0:  # the last block has a negative length
            break
        stream.seek(start + length)
    return np.concatenate(all_ids), np.concatenate(all_weights)


def _segment_postings(segment: IndexReader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        info = segment.term_info(field, text)
    except TermNotFound:
        return EMPTY_IDS, EMPTY_WEIGHTS
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
    offset, length = info.extent()
    if isinstance(length, tuple):  # term infos read back from disk keep struct.unpack's tuple
        (length,) = length
    return _decode(segment._terms._postfile.get(offset, length))


def postings(reader: IndexReader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of every posting of the term, deleted documents included:
    callers mask those out with the live documents of their snapshot."""
    parts = [
        (ids + offset, weights)
        for segment, offset in reader.leaf_readers()
        for ids, weights in [_segment_postings(segment, field, text)]
        if len(ids)
    ]
    if not parts:
        return EMPTY_IDS, EMPTY_WEIGHTS
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([ids for ids, _ in parts]), np.concatenate([weights for _, weights in parts])
