"""A writer with our posting pool (sorted by one key, runs in chunks, merged in batches) must write
exactly what Whoosh's own pool writes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, TEXT, Schema

import indexer.backends.whoosh.posting_pool as posting_pool
from indexer.backends.whoosh.posting_pool import RUN_CHUNK_POSTINGS, use_chunked_pool

# Field names where one begins the other, and numbers, whose terms are bytes of any value.
SCHEMA = Schema(id=ID(stored=True), text=TEXT(), texts=TEXT(), number=NUMERIC())
# A pool this small spills many runs of a few chunks each for the records below.
POOL_LIMIT_MB = 4
RECORDS = 8_000


def _records() -> list[dict]:
    draw = random.Random(20261203)  # noqa: S311 - test data, not secrets
    words = [f"woord{number}" for number in range(3_000)]
    return [
        {
            "id": str(number),
            # "vaak" in every record: its postings run on across chunks and runs
            "text": " ".join(["vaak", *draw.choices(words, k=25)]),
            "texts": " ".join(draw.choices(words[:50], k=3)),
            "number": draw.randrange(-1_000, 1_000),
        }
        for number in range(RECORDS)
    ]


def _write(folder: Path, records: list[dict], ours: bool, limit_mb: int) -> dict:
    folder.mkdir()
    index = whoosh_index.create_in(str(folder), SCHEMA)
    writer = index.writer(limitmb=limit_mb)
    if ours:
        use_chunked_pool(writer)
    for record in records:
        writer.add_document(**record)
    runs = len(writer.pool.runs)
    writer.commit()
    with index.reader() as reader:
        postings = {
            (field, text): [(docnum, weight) for docnum, weight in reader.postings(field, text).items_as("weight")]
            for field, text in reader.all_terms()
        }
    assert (runs > 1) == (limit_mb == POOL_LIMIT_MB), "the small pool must spill, the large one not"
    return postings


@pytest.mark.parametrize("chunk_postings", [RUN_CHUNK_POSTINGS, 7], ids=["chunks as used", "tiny chunks"])
def test_our_pool_gives_the_index_whoosh_writes(tmp_path: Path, chunk_postings: int, monkeypatch) -> None:
    monkeypatch.setattr(posting_pool, "RUN_CHUNK_POSTINGS", chunk_postings)
    records = _records()
    assert len(records) * 25 > 3 * RUN_CHUNK_POSTINGS
    ours = _write(tmp_path / "ours", records, ours=True, limit_mb=POOL_LIMIT_MB)
    assert ours == _write(tmp_path / "whoosh", records, ours=False, limit_mb=POOL_LIMIT_MB)
    assert len(ours[("text", b"vaak")]) == RECORDS


def test_a_pool_that_never_spills_sorts_in_memory_alike(tmp_path: Path) -> None:
    records = _records()[:500]
    ours = _write(tmp_path / "ours", records, ours=True, limit_mb=256)
    assert ours == _write(tmp_path / "whoosh", records, ours=False, limit_mb=256)
