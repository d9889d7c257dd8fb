"""A whole posting list read at once equals its blocks read one by one (`block_format`).

A long list is read by joining its blocks' bytes (`decode_list`), where a block's first id is its own
first document number and the weights are stored in one of three ways; a list of several blocks of
each kind must come back as the blocks say."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.backends.whoosh import block_format

BLOCK = 128  # W3's postings per block


def _blocks(ids: np.ndarray, weights: np.ndarray) -> list[tuple[bytes, int, int]]:
    starts = range(0, len(ids), BLOCK)
    return [
        (
            block_format.encode(ids[start : start + BLOCK].tolist(), weights[start : start + BLOCK].tolist(), [], 0),
            len(ids[start : start + BLOCK]),
            int(ids[start : start + BLOCK][-1]),
        )
        for start in starts
    ]


@pytest.mark.parametrize("weighting", ["all one", "one per block", "per posting", "mixed"])
def test_a_list_read_whole_equals_its_blocks_read_one_by_one(weighting: str) -> None:
    generator = np.random.default_rng(7)
    ids = np.sort(generator.choice(100_000, size=5 * BLOCK + 17, replace=False))
    per_posting = generator.integers(1, 9, size=len(ids)).astype(np.float32)
    block_of = np.arange(len(ids)) // BLOCK
    weights = {
        "all one": np.ones(len(ids), dtype=np.float32),
        "one per block": (block_of + 2).astype(np.float32),
        "per posting": per_posting,
        "mixed": np.where(block_of % 3 == 0, 1.0, np.where(block_of % 3 == 1, 2.5, per_posting)).astype(np.float32),
    }[weighting]
    blocks = _blocks(ids, weights)
    one_by_one = [block_format.decode(data, count) for data, count, _ in blocks]
    whole_ids, whole_weights = block_format.decode_list(*zip(*blocks, strict=True))
    assert whole_ids.tolist() == ids.tolist() == np.concatenate([block.ids for block in one_by_one]).tolist()
    assert (
        whole_weights.tolist() == weights.tolist() == np.concatenate([block.weights for block in one_by_one]).tolist()
    )


def test_a_list_of_one_block_reads_whole_too() -> None:
    data = block_format.encode([3, 9, 40], [1.0, 2.0, 1.0], [], 0)
    ids, weights = block_format.decode_list([data], [3], [40])
    assert ids.tolist() == [3, 9, 40] and weights.tolist() == [1.0, 2.0, 1.0]
