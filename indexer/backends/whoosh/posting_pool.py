"""Whoosh's posting pool, sorted and merged by one bytes key per posting, with runs written in chunks.

A Whoosh writer collects every posting as a (field, term, document, weight, value) tuple in a pool.
When the pool outgrows its memory limit, it is sorted and written to a temporary "run" file; the
commit merges the runs. Three costs of Whoosh's pool, and what is done instead:

- Sorting compared whole tuples, field name first: a Python comparison per element. A posting's
  field name and term joined as bytes sort the same way (field names hold no NUL byte, and a
  shorter field name sorts first either way) and compare in C. Within one field and term, the
  postings keep the order they were added in, which is their document order.
- Whoosh pickles each posting on its own on the way out and unpickles it on the way back. Pickling
  lists of postings does the same work in C.
- Merging the runs went through `heapq.merge`: a tuple comparison per posting and run. Now the runs
  are merged a batch at a time: the postings of every run up to the smallest of their current
  chunks' last keys are sorted together, which Python's sort does in C by merging the sorted runs.

`tests/test_posting_pool.py` checks that the index written is the one Whoosh's own pool writes.
"""

from __future__ import annotations

import pickle
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from whoosh.writing import PostingPool, SegmentWriter

# Postings per pickled chunk: a few MB in memory for each run being merged.
RUN_CHUNK_POSTINGS = 10_000

Posting = tuple  # (field name, term bytes, document number, weight, value bytes)


@cache
def _field_prefix(field: str) -> bytes:
    return field.encode("utf-8") + b"\x00"


def _key(posting: Posting) -> bytes:
    """The posting's field and term as one key that sorts as the pair does."""
    return _field_prefix(posting[0]) + posting[1]


def _merge_key(posting: Posting) -> tuple[bytes, int]:
    """Runs being merged may hold the same term, each for other documents."""
    return _field_prefix(posting[0]) + posting[1], posting[2]


@dataclass
class _RunReader:
    """The sorted chunks of one run, read one at a time."""

    chunks: Iterator[list[Posting]]
    postings: list[Posting]

    @classmethod
    def first(cls, chunks: Iterator[list[Posting]]) -> _RunReader | None:
        reader = cls(chunks, [])
        return reader if reader.refill() else None

    def last_key(self) -> bytes:
        return _key(self.postings[-1])

    def refill(self) -> bool:
        """Read the next non-empty chunk when this one is used up; False at the end of the run."""
        while not self.postings:
            chunk = next(self.chunks, None)
            if chunk is None:
                return False
            self.postings = chunk
        return True

    def read_past(self, bound: bytes) -> None:
        """Read on until the chunks read hold every posting of keys up to `bound` (the postings of
        one term may go on in the next chunk)."""
        while self.last_key() <= bound:
            chunk = next(self.chunks, None)
            if chunk is None:
                return
            self.postings += chunk

    def take_up_to(self, bound: bytes) -> list[Posting]:
        cut = bisect_right(self.postings, bound, key=_key)
        taken, self.postings = self.postings[:cut], self.postings[cut:]
        return taken


def _merged(runs: Iterable[Iterator[list[Posting]]]) -> Iterator[Posting]:
    """The postings of sorted runs (each as its sorted chunks) in one sorted order."""
    readers = [reader for reader in map(_RunReader.first, runs) if reader is not None]
    while readers:
        # No run holds a key below this bound past its current chunk: all up to it can go out.
        bound = min(reader.last_key() for reader in readers)
        for reader in readers:
            reader.read_past(bound)
        batch = [posting for reader in readers for posting in reader.take_up_to(bound)]
        batch.sort(key=_merge_key)
        yield from batch
        readers = [reader for reader in readers if reader.refill()]


class ChunkedPostingPool(PostingPool):
    def save(self) -> None:
        if self.current:
            self.current.sort(key=_key)  # stable: each term's postings stay in document order
            path, handle = self._new_run()
            self._write_run(handle, self.current)
            self._add_run(path)
            self.current = []
        self.currentsize = 0

    def items(self, maxfiles: int = 128) -> Iterable[Posting]:
        if not self.runs:
            return sorted(self.current, key=_key)
        return super().items(maxfiles)

    def _write_run(self, f, items: Iterable[Posting]) -> None:
        chunk: list[Posting] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= RUN_CHUNK_POSTINGS:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_chunks(self, path: str) -> Iterator[list[Posting]]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    yield pickle.load(f)  # noqa: S301 - a run file this writer wrote itself
                except EOFError:
                    return
        finally:
            f.close()
            self._remove_run(path)

    def _read_run(self, path: str) -> Iterator[Posting]:
        for chunk in self._read_chunks(path):
            yield from chunk

    def _merge_runs(self, paths: list[str]) -> Iterator[Posting]:
        return _merged(self._read_chunks(path) for path in paths)


def use_chunked_pool(writer: SegmentWriter) -> None:
    """Give a writer that has not added anything yet a chunked pool with the same memory limit."""
    pool = writer.pool
    if isinstance(pool, ChunkedPostingPool):
        return
    if pool.current or pool.runs:
        raise ValueError("the writer's pool already holds postings")
    writer.pool = ChunkedPostingPool(pool.tempstore, pool.segment, limitmb=pool.limit // 1024**2)
