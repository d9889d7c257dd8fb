"""Records united with their scores added: the same floats however the parts come, so a ranking does
not change with how a term's fields or an OR's terms are held."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.engine import record_sets


def _added_one_by_one(parts: list[tuple[np.ndarray, np.ndarray]]) -> dict[int, np.float32]:
    sums: dict[int, np.float32] = {}
    for records, values in parts:
        for record, value in zip(records.tolist(), values.astype(np.float32), strict=True):
            sums[record] = np.float32(sums.get(record, np.float32(0)) + value)
    return sums


def _part(rng: np.random.Generator, count: int, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    records = np.sort(rng.choice(1_000, size=count, replace=False)).astype(np.int64)
    return records, rng.random(count).astype(dtype)


@pytest.mark.parametrize(
    ("counts", "dtype"),
    [
        ((300,), np.float32),
        ((300, 40, 5), np.float32),
        ((0, 20), np.float32),
        ((0, 0), np.float32),
        ((50, 50), np.float64),
    ],
)
def test_summed_adds_each_records_values_part_by_part(counts: tuple[int, ...], dtype: type) -> None:
    rng = np.random.default_rng(sum(counts))
    parts = [_part(rng, count, dtype) for count in counts]
    records, sums = record_sets.summed(parts)
    expected = _added_one_by_one(parts)
    assert records.tolist() == sorted(expected)
    assert sums.dtype == np.float32
    assert sums.tobytes() == np.array([expected[record] for record in sorted(expected)], dtype=np.float32).tobytes()
