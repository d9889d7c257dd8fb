"""What the seam needs of a search engine: searching it (`SearchBackend`) and writing it.

The run itself (`indexing.pipeline`) decides what to extract, tag and remove; an engine only has to
say what it holds (`IndexContents`), take whole documents and removals in commits (`IndexWriter`),
and build a complete new index beside the live one for a rebuild (`IndexBackend`). The embedded
engine implements this in `backends.whoosh.writable` and `backends.whoosh.reading`;
`engine.backend_choice` picks the engine.

Turning a document into an engine's records (analysis included) is the slow part of writing, so it
is done in the extraction workers: `IndexBackend.prepare` is a module-level function, which worker
processes can be sent, and the writer takes what it returned (`IndexWriter.add_prepared`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from indexer.engine.query_context import QueryContext
from indexer.engine.results import Hit, SearchRequest, SearchResults, StoredDocument
from indexer.models import Document

# What `IndexBackend.prepare` returns: the engine's own records, opaque to the run.
Prepared = object
Prepare = Callable[[Document, dt.datetime], Prepared]


@dataclass(frozen=True)
class IndexedFile:
    """What the index holds of one file's indexed version: enough to tell whether the file changed."""

    doc_id: str
    path: str
    title: str
    sha256: str
    sidecar_sha256: str
    added: dt.datetime | None
    tags: tuple[str, ...]  # theme slugs, then sub-theme slugs: what a file read again may change


class IndexContents(Protocol):
    """A consistent view of what one index holds."""

    def manifest(self) -> dict[str, IndexedFile]:
        """Every indexed document, by path."""

    def indexed_file(self, path: str) -> IndexedFile | None:
        """One document by path, looked up directly (a staff action looks at one file)."""

    def with_content(self, sha256: str) -> IndexedFile | None:
        """An indexed document with exactly this content, if any."""

    def has_document(self, doc_id: str) -> bool: ...

    def stored_documents(self, skip_paths: Collection[str] = ()) -> Iterator[tuple[Document, dt.datetime]]:
        """Every document but those at `skip_paths` as it was written, with when it was first added:
        enough to tag it again and write it anew without reading its file."""


class IndexWriter(Protocol):
    """Removals and whole documents, made visible together when the writing context ends."""

    def remove(self, doc_id: str) -> None: ...

    def add(self, document: Document, added: dt.datetime) -> None: ...

    def add_prepared(self, prepared: Prepared) -> None:
        """A document that a worker already turned into records with `IndexBackend.prepare`."""


class WritableIndex(Protocol):
    """One index: the live one, or a new one that a rebuild fills before it goes live."""

    def contents(self) -> AbstractContextManager[IndexContents]: ...

    def writing(self, processes: int = 1) -> AbstractContextManager[IndexWriter]:
        """A writer that commits when the context ends without an error and keeps nothing otherwise.
        `processes` > 1: a bulk load into an index nobody searches yet, written in parallel."""


class IndexBackend(Protocol):
    """The engine an indexing run writes to, and the folder where the run keeps its own state
    (run lock, file hashes, the last report, OCR results): that folder is on the indexing machine
    whatever the engine."""

    root: Path
    prepare: Prepare

    def run_lock(self, wait_s: float = 0.0) -> AbstractContextManager[None]:
        """One indexing run at a time, waiting up to `wait_s` for another to finish."""

    def discard_abandoned(self) -> None:
        """Remove what killed rebuilds left behind."""

    def is_current(self) -> bool:
        """Whether a live index exists, written by this version's schema and analysis."""

    def live(self) -> WritableIndex:
        """The index searches see; refuses a missing or stale one."""

    def new_index(self) -> WritableIndex:
        """An empty index beside the live one, which searches do not see until `activate`."""

    def activate(self, index: WritableIndex) -> None:
        """Make a complete new index the one searches see, in one step."""

    def read_json(self, name: str) -> dict:
        """The run's own state file `name` ({} when missing or damaged: it only costs time)."""

    def write_json(self, name: str, data: dict) -> None: ...


class SearchBackend(Protocol):
    """The live index as searches read it; every answer is plain data (`engine.results`)."""

    def search(self, request: SearchRequest, context: QueryContext) -> SearchResults: ...

    def similar(self, doc_id: str, limit: int) -> list[Hit]: ...

    def document(self, doc_id: str) -> StoredDocument | None: ...

    def query_context(self, context: QueryContext) -> QueryContext:
        """`context` with what the index itself defines (the acronyms its documents spell out)."""

    def completions(self, prefix: str, limit: int) -> list[str]:
        """Words of the index that finish `prefix`, the most used first."""

    def dates(self, doc_ids: Iterable[str]) -> dict[str, dt.date]: ...

    def with_content(self, sha256: str) -> IndexedFile | None: ...

    def version(self) -> str:
        """A token that changes whenever what searches see changes (for caches of derived files)."""
