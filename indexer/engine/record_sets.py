"""Sets of records as sorted arrays of distinct record numbers, as posting lists give them.

Both operations sort the arrays put end to end with a stable sort: numpy's is Timsort for these
integers, which merges sorted runs in linear time. `np.union1d` and `np.intersect1d` sort the same
arrays as if they were in no order, ten times slower for lists of thousands of records.
"""

from __future__ import annotations

import numpy as np


def _merged(arrays: list[np.ndarray]) -> np.ndarray:
    return np.sort(np.concatenate(arrays), kind="stable")


def first_of_runs(ordered: np.ndarray) -> np.ndarray:
    """For a sorted array, whether each entry is the first of its run of equal values."""
    if not len(ordered):
        return np.zeros(0, dtype=bool)
    return np.concatenate(([True], ordered[1:] != ordered[:-1]))


def union(arrays: list[np.ndarray]) -> np.ndarray:
    """The records in any of the arrays."""
    if len(arrays) == 1:
        return arrays[0]
    merged = _merged(arrays)
    return merged[first_of_runs(merged)]


def summed(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The records in any of the (records, values) parts, and for each the float32 sum of its values,
    added part by part in order: the same floats as adding each part's values into the union in turn.
    Each record's place in the union comes from the one stable sort that makes it, where looking up
    every part's records in the union afterwards took twice as long."""
    if len(parts) == 1:
        return parts[0][0], parts[0][1].astype(np.float32, copy=False)
    every = np.concatenate([records for records, _ in parts])
    order = np.argsort(every, kind="stable")
    ordered = every[order]
    first = first_of_runs(ordered)
    place = np.empty(len(every), dtype=np.int64)
    place[order] = np.cumsum(first) - 1
    sums = np.zeros(int(first.sum()), dtype=np.float32)
    start = 0
    for records, values in parts:
        sums[place[start : start + len(records)]] += values  # a part's records are distinct
        start += len(records)
    return ordered[first], sums


def intersection(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The records in both arrays."""
    merged = _merged([first, second])
    return merged[:-1][merged[1:] == merged[:-1]]


# Below one looked-up record per this many records of the index, a binary search per record is
# cheaper than a table over the index; above it, numpy's search (which does not use that the
# records looked up are sorted too) took 2 ms for 50,000 of them, the table 0.1 ms.
SEARCHED_BELOW = 64


def places(records: np.ndarray, wanted: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each of the `wanted` records stands in `records` (both sorted, distinct, under `size`),
    and whether it is there at all (where it is not, its place is 0)."""
    if not len(records):
        return np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted), dtype=bool)
    if len(wanted) * SEARCHED_BELOW < size:
        where = np.minimum(np.searchsorted(records, wanted), len(records) - 1)
        inside = records[where] == wanted
    else:
        present = np.zeros(size, dtype=bool)  # zeroed pages come from the system: only those written cost
        present[records] = True
        table = np.empty(size, dtype=np.int64)  # read only where `present` says it was written
        table[records] = np.arange(len(records))
        inside = present[wanted]
        where = table[wanted]
    return np.where(inside, where, 0), inside
