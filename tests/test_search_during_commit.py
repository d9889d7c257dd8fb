"""A search that is under way when a commit merges segments away still reads its own generation.

The cause of the intermittent failure of `test_crash.py::test_searches_keep_answering_while_a_run_commits`:
Whoosh opens a segment's column files (stored page text, field lengths, dates) on first use, and a
commit deletes the files of the segments it merged. Here the commit comes at a chosen moment, inside
one search's use of its searcher, so the failure it caused is certain instead of one in eight runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from indexer.backends.whoosh.search import WEIGHTING
from indexer.backends.whoosh.snapshot import build_snapshot, searching
from indexer.backends.whoosh.store import IndexStore
from indexer.engine.fields import PAGE_TEXT


def _two_segments(docs: Path, reindex) -> None:
    for number in range(12):
        (docs / f"notitie-{number:02d}.txt").write_text(
            f"Notitie {number}\n\nOver buurtbemiddeling in wijk {number}.", encoding="utf-8"
        )
    reindex()
    (docs / "later.txt").write_text("Later\n\nNog een notitie over buurtbemiddeling.", encoding="utf-8")
    reindex()


def test_a_searcher_keeps_its_pages_when_a_commit_removes_their_files(docs: Path, reindex, index_root: Path) -> None:
    _two_segments(docs, reindex)
    index = IndexStore(index_root).open()
    with searching(index, WEIGHTING) as (searcher, snapshot):
        assert len(searcher.reader().leaf_readers()) > 1, "the commit below must merge segments away"
        files_before = set(index.storage.list())
        with index.writer() as writer:
            writer.optimize = True  # merge every segment into one and delete the old files
        assert not files_before <= set(index.storage.list()), "the commit removed files of the searcher"

        pages = np.flatnonzero(~snapshot.documents & (np.arange(snapshot.size) != snapshot.owner))
        texts = [searcher.stored_fields(int(page)).get(PAGE_TEXT) for page in pages]
        assert pages.size and all("buurtbemiddeling" in text for text in texts), "every page's text is readable"

        again = build_snapshot(searcher.reader(), ("opnieuw", searcher.reader().generation()))
        assert np.array_equal(again.page_numbers, snapshot.page_numbers), "page numbers are still read"
        assert np.array_equal(again.dates, snapshot.dates, equal_nan=True), "dates are still read"
