"""A term's posting list as two numpy arrays: document numbers and weights.

Whoosh's matchers walk postings one document at a time in Python, and its collectors score each
document the same way; over thousands of matching documents that is most of a search. Ranking and
facet counting only need every (document, weight) pair of a term at once, so this module reads the
posting blocks of a segment directly and decodes each block in one go.

It reads the blocks our codec writes (`codec`, `block_format`) in Whoosh's W3 layout: a 4-byte
magic, then blocks of [signed 4-byte length][pickled block info][block data], the data zlib-compressed
arrays; a term with one to three postings is inlined in its term info. `tests/test_matching.py`
compares the result with Whoosh's own matchers, so a change on either side fails there first.

The long posting lists of frequent words ("gemeente", "veiligheid") come back in query after query,
and decoding them block by block was the largest cost of a search with such words. A segment never
changes once written (deletions are masked by the snapshot), so the decoded arrays of long lists are
kept, least recently used first out, within a memory budget per process.
"""

from __future__ import annotations

import io
import pickle  # Whoosh's block info; the index is written by us
import threading
from collections import OrderedDict
from collections.abc import Iterator

import numpy as np
from whoosh.reading import IndexReader, TermNotFound

from indexer.backends.whoosh import block_format
from indexer.backends.whoosh.block_format import JoinedValues
from indexer.backends.whoosh.position_format import POSITION

# Decoded posting lists kept per process (bytes of their arrays), and the shortest list kept:
# shorter ones decode in a few microseconds from a block or two.
DECODED_CACHE_BYTES = 64 * 1024 * 1024
DECODED_CACHE_FROM_POSTINGS = 512
_MAGIC_BYTES = 4
_INT_BYTES = 4
EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def _blocks(data: bytes) -> Iterator[tuple[int, int, bytes, int]]:
    """(postings, last document number, data, compression) of each block of one posting list, without
    unpacking the data: a reader that wants a few documents skips the blocks that cannot hold them."""
    stream = io.BytesIO(data)
    stream.seek(_MAGIC_BYTES)
    while True:
        length = int.from_bytes(stream.read(_INT_BYTES), "big", signed=True)
        start = stream.tell()
        count, last, _, compression, _, _ = pickle.load(stream)  # noqa: S301
        yield count, last, data[stream.tell() : start + abs(length)], compression
        if length < 0:  # the last block has a negative length
            break
        stream.seek(start + length)


def _unpacked(block: bytes, compression: int, count: int) -> block_format.Block:
    return block_format.decode(block_format.decompressed(block, compression), count)


def _decode(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """All blocks of one posting list, read from its bytes."""
    counts, lasts, blocks = [], [], []
    for count, last, block, compression in _blocks(data):
        counts.append(count)
        lasts.append(last)
        blocks.append(block_format.decompressed(block, compression))
    return block_format.decode_list(blocks, counts, lasts)


def positions_in(reader: IndexReader, field: str, text: str, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(record, position) of every position of the term in the `wanted` records (sorted document
    numbers, in a field with positions), in record then position order. Only the blocks that hold a
    wanted record are unpacked: few, when the records are a rare word's. Their values are positions
    end to end (`position_format`), so every wanted record's are taken out in one go."""
    ids: list[np.ndarray] = [EMPTY_IDS]
    values: list[JoinedValues] = []
    for segment, offset in reader.leaf_readers():
        local = wanted[(wanted >= offset) & (wanted < offset + segment.doc_count_all())] - offset
        if not len(local):
            continue
        try:
            info = segment.term_info(field, text)
        except TermNotFound:  # no record of this segment has the term
            continue
        if info.is_inlined():
            inlined_ids, _, inlined_values = info.inlined_postings()
            blocks = [(np.asarray(inlined_ids, dtype=np.int64), JoinedValues.of(inlined_values))]
        else:
            blocks = _wanted_blocks(segment._terms._postfile.get(*_extent(info)), local)
        for block_ids, block_values in blocks:
            ids.append(block_ids + offset)
            values.append(block_values)
    every_id = np.concatenate(ids)  # sorted and distinct: segments and their blocks are in order
    if not len(every_id):
        return EMPTY_IDS, EMPTY_IDS
    counts = np.concatenate([np.diff(joined.starts) for joined in values]) // POSITION.itemsize
    joined_values = b"".join(joined.joined[: joined.starts[-1]] for joined in values)
    positions = np.frombuffer(joined_values, dtype=POSITION)
    where = np.minimum(np.searchsorted(every_id, wanted), len(every_id) - 1)
    chosen = where[every_id[where] == wanted]  # a wanted record without the term has no positions
    chosen_counts = counts[chosen]
    # Each chosen record's positions are a run in `positions`; the result puts the runs end to end.
    source_starts = (np.cumsum(counts) - counts)[chosen]
    result_starts = np.cumsum(chosen_counts) - chosen_counts
    taken = np.repeat(source_starts - result_starts, chosen_counts) + np.arange(int(chosen_counts.sum()))
    return np.repeat(every_id[chosen], chosen_counts), positions[taken].astype(np.int64)


def _wanted_blocks(data: bytes, local: np.ndarray) -> Iterator[tuple[np.ndarray, JoinedValues]]:
    """(document numbers, values) of the blocks holding one of the sorted `local` records, in a field
    with positions (values of varying length)."""
    first = 0
    for count, last, block, compression in _blocks(data):
        if np.searchsorted(local, last, side="right") > np.searchsorted(local, first):
            unpacked = _unpacked(block, compression, count)
            yield unpacked.ids, unpacked.joined_values()
        first = last + 1


def _extent(info: object) -> tuple[int, int]:
    offset, length = info.extent()
    if isinstance(length, tuple):  # term infos read back from disk keep struct.unpack's tuple
        (length,) = length
    return offset, length


class DecodedLists:
    """Decoded posting lists by (segment, field, term), least recently used evicted first; also
    other pairs of arrays that never change once made (`pair_positions`)."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self._lists: OrderedDict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the web server searches from several threads

    def get(self, key: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
            return found

    def put(self, key: tuple[str, ...], arrays: tuple[np.ndarray, np.ndarray]) -> None:
        for array in arrays:
            array.flags.writeable = False  # shared by every later request: never changed in place
        with self._lock:
            if key in self._lists:
                return
            self._lists[key] = arrays
            self._bytes += sum(array.nbytes for array in arrays)
            while self._bytes > self.budget_bytes and self._lists:
                _, evicted = self._lists.popitem(last=False)
                self._bytes -= sum(array.nbytes for array in evicted)


_DECODED = DecodedLists(DECODED_CACHE_BYTES)


def _segment_postings(segment: IndexReader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        info = segment.term_info(field, text)
    except TermNotFound:
        return EMPTY_IDS, EMPTY_WEIGHTS
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
    offset, length = _extent(info)
    if info.doc_frequency() < DECODED_CACHE_FROM_POSTINGS:
        return _decode(segment._terms._postfile.get(offset, length))
    key = (segment.segment().segment_id(), field, text)
    decoded = _DECODED.get(key)
    if decoded is None:
        decoded = _decode(segment._terms._postfile.get(offset, length))
        _DECODED.put(key, decoded)
    return decoded


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
