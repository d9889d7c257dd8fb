"""Stored fields on disk are LZ4-compressed (`whoosh.stored_fields`), and read back through every
path Whoosh has: a searcher's records, and segments merged by a later run."""

from __future__ import annotations

import pickle
from pathlib import Path

import lz4.block
from whoosh.columns import VarBytesColumn

from indexer.backends.whoosh.searchers import open_searcher
from indexer.backends.whoosh.store import IndexStore
from indexer.backends.whoosh.stored_fields import STORED
from tests.builders import write_texts


def _stored(index_root: Path) -> tuple[list[dict], list[dict]]:
    """Every record's stored fields as a searcher gives them, and as the raw column bytes unpack with LZ4."""
    searcher = open_searcher(IndexStore(index_root).open())
    try:
        read = [searcher.stored_fields(number) for number in range(searcher.doc_count_all())]
        unpacked = []
        for segment, _ in searcher.reader().leaf_readers():
            raw = segment._perdoc.column_reader(STORED, VarBytesColumn())
            unpacked += [pickle.loads(lz4.block.decompress(raw[number])) for number in range(segment.doc_count_all())]  # noqa: S301
        return read, unpacked
    finally:
        searcher.close()


def test_stored_fields_are_lz4_on_disk_and_read_back_after_a_merge(docs: Path, reindex, index_root: Path) -> None:
    write_texts(docs, {f"verslag-{number}": f"Verslag {number} van het casusoverleg in de wijk" for number in range(3)})
    reindex()
    read, unpacked = _stored(index_root)
    assert read == unpacked
    assert sorted(fields["path"] for fields in read if "page" not in fields) == [f"verslag-{n}.txt" for n in range(3)]

    for number in range(3, 12):  # more runs, more segments: Whoosh merges them, reading stored fields back
        write_texts(docs, {f"verslag-{number}": f"Verslag {number} van het casusoverleg in de wijk"})
        reindex()
    read, unpacked = _stored(index_root)
    assert read == unpacked
    assert sorted(fields["path"] for fields in read if "page" not in fields) == sorted(
        f"verslag-{n}.txt" for n in range(12)
    )
