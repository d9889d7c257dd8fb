"""The embedded engine as an indexing run sees it (`engine.index_backend`): what an index holds,
its writer, and the index folder with its generations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from whoosh.fields import Schema
from whoosh.index import Index
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from indexer.analysis.lexicon import Spans
from indexer.backends.stored_documents import indexed_file
from indexer.backends.whoosh.documents import split_list
from indexer.backends.whoosh.preanalysis import PreparedDocument, preanalyse
from indexer.backends.whoosh.records import document_fields, page_fields, stored_document
from indexer.backends.whoosh.schema import DOC, build_schema
from indexer.backends.whoosh.store import IndexStore, writing
from indexer.engine.index_backend import IndexedFile
from indexer.models import Document


@lru_cache(maxsize=1)
def _schema() -> Schema:
    return build_schema()


def prepare_document(document: Document, added: dt.datetime) -> PreparedDocument:
    """The document's record, then one per page, analysed ahead of the writer (`preanalysis`)."""
    return preanalyse(_schema(), [document_fields(document, added), *page_fields(document)])


def _indexed_file(fields: dict) -> IndexedFile:
    tagging = json.loads(fields.get("tagging") or "{}")
    tags = split_list(fields.get("themes", "")) + split_list(fields.get("subthemes", ""))
    return indexed_file(fields, tagging.get("sidecar_sha256", ""), fields.get("added"), tags)


class WhooshContents:
    """What one searcher sees of the index."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def manifest(self) -> dict[str, IndexedFile]:
        return {fields["path"]: _indexed_file(fields) for fields in self.searcher.documents(doctype=DOC)}

    def indexed_file(self, path: str) -> IndexedFile | None:
        return self._one(path=path)

    def with_content(self, sha256: str) -> IndexedFile | None:
        return self._one(sha256=sha256)

    def _one(self, **terms: str) -> IndexedFile | None:
        fields = self.searcher.document(**terms, doctype=DOC)
        return None if fields is None else _indexed_file(fields)

    def has_document(self, doc_id: str) -> bool:
        return self.searcher.document_number(id=doc_id, doctype=DOC) is not None

    def stored_documents(self, skip_paths: Collection[str] = ()) -> Iterator[tuple[Document, dt.datetime]]:
        for fields in self.searcher.documents(doctype=DOC):
            if fields["path"] not in skip_paths:
                yield stored_document(self.searcher, fields), fields["added"]


class WhooshWriter:
    """Whole documents in, each with its pages in one segment, so none is ever half written; the
    compound splits of their words are kept in `splits` for the commit's word table."""

    def __init__(self, writer: IndexWriter, splits: dict[str, Spans]) -> None:
        self.writer = writer
        self.splits = splits

    def remove(self, doc_id: str) -> None:
        self.writer.delete_by_term("parent", doc_id)

    def add(self, document: Document, added: dt.datetime) -> None:
        self.add_prepared(prepare_document(document, added))

    def add_prepared(self, prepared: PreparedDocument) -> None:
        with self.writer.group():  # the document record first, then its pages, in one segment
            for record in prepared.records:
                self.writer.add_document(**record)
        self.splits.update(prepared.splits)


class WhooshIndex:
    """One Whoosh index of the store: the live generation, or a new one being filled."""

    def __init__(self, index: Index, directory: Path) -> None:
        self.index = index
        self.directory = directory

    @contextmanager
    def contents(self) -> Iterator[WhooshContents]:
        with self.index.searcher() as searcher:
            yield WhooshContents(searcher)

    @contextmanager
    def writing(self, processes: int = 1) -> Iterator[WhooshWriter]:
        splits: dict[str, Spans] = {}
        with writing(self.index, processes=processes, splits=splits) as writer:
            yield WhooshWriter(writer, splits)


class WhooshBackend(IndexStore):
    """The index folder as the store of generations an indexing run writes."""

    prepare = staticmethod(prepare_document)

    def live(self) -> WhooshIndex:
        return WhooshIndex(self.open(), self.current_dir())

    def new_index(self) -> WhooshIndex:
        directory, index = self.new_generation()
        return WhooshIndex(index, directory)

    def activate(self, index: WhooshIndex) -> None:
        self.switch_to(index.directory)
