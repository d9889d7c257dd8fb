"""A writer whose pool spills to chunked run files must write exactly what Whoosh's own pool writes."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema

from indexer.backends.whoosh.posting_pool import RUN_CHUNK_POSTINGS, use_chunked_pool

SCHEMA = Schema(id=ID(stored=True), text=TEXT())
# A pool this small spills many runs of a few chunks each for the records below.
POOL_LIMIT_MB = 4


def _records() -> list[dict]:
    draw = random.Random(20261203)  # noqa: S311 - test data, not secrets
    words = [f"woord{number}" for number in range(3_000)]
    return [{"id": str(number), "text": " ".join(draw.choices(words, k=25))} for number in range(8_000)]


def _write(folder: Path, records: list[dict], chunked: bool) -> dict[tuple[str, bytes], list[tuple[int, float]]]:
    folder.mkdir()
    index = whoosh_index.create_in(str(folder), SCHEMA)
    writer = index.writer(limitmb=POOL_LIMIT_MB)
    if chunked:
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
    assert runs > 1, "the pool must have spilled for the comparison to mean anything"
    return postings


def test_chunked_runs_give_the_index_whoosh_writes(tmp_path: Path) -> None:
    records = _records()
    assert len(records) * 25 > 3 * RUN_CHUNK_POSTINGS
    assert _write(tmp_path / "chunked", records, chunked=True) == _write(tmp_path / "whoosh", records, chunked=False)
