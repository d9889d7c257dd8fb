"""What a build of the cluster holds, as an indexing run reads it (`engine.index_backend.IndexContents`).

The manifest comes from Typesense's export with only the few fields it needs, so it scales with the
number of documents, not with their text. Lookups of one file are filtered searches on indexed fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from urllib.parse import quote

from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import SPELLING, TERM_WEIGHTS, token_field
from indexer.backends.typesense.errors import ClusterError
from indexer.backends.typesense.records import MANIFEST_FIELDS, indexed_file, stored_document
from indexer.engine.index_backend import IndexedFile
from indexer.models import Document


def exact(field: str, value: str) -> str:
    """A `filter_by` clause for one exact value; backticks keep commas and brackets in it literal."""
    return f"{field}:=`{value.replace('`', '')}`"


# The token fields and term weights are what search reads; reading a document back needs only the stored ones.
_SEARCHED = ("title", "summary", "content", "word_pairs", "source_words", SPELLING)
_TOKENS = ",".join([*(token_field(name) for name in _SEARCHED), TERM_WEIGHTS])


class TypesenseContents:
    """A build's documents and pages collections, read through `client`."""

    def __init__(self, client: TypesenseClient, documents: str, pages: str) -> None:
        self.client = client
        self.documents = documents
        self.pages = pages

    def _export(self, collection: str, **params: str) -> list[dict]:
        path = f"/collections/{collection}/documents/export"
        return self.client.request("GET", path, params=params, answer_lines=True)

    def manifest(self) -> dict[str, IndexedFile]:
        records = self._export(self.documents, include_fields=",".join(MANIFEST_FIELDS))
        return {record["path"]: indexed_file(record) for record in records}

    def _one(self, field: str, value: str) -> IndexedFile | None:
        params = {
            "q": "*",
            "query_by": "path",
            "filter_by": exact(field, value),
            "include_fields": ",".join(MANIFEST_FIELDS),
            "per_page": 1,
        }
        answer = self.client.request("GET", f"/collections/{self.documents}/documents/search", params=params)
        hits = answer.get("hits") or []
        return indexed_file(hits[0]["document"]) if hits else None

    def indexed_file(self, path: str) -> IndexedFile | None:
        return self._one("path", path)

    def with_content(self, sha256: str) -> IndexedFile | None:
        return self._one("sha256", sha256)

    def has_document(self, doc_id: str) -> bool:
        try:
            self.client.request("GET", f"/collections/{self.documents}/documents/{quote(doc_id, safe='')}")
        except ClusterError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def stored_documents(self, skip_paths: Collection[str] = ()) -> Iterator[tuple[Document, dt.datetime]]:
        for record in self._export(self.documents, exclude_fields=_TOKENS):
            if record["path"] in skip_paths:
                continue
            pages = self._export(self.pages, filter_by=exact("parent", record["id"]), include_fields="page,text")
            yield stored_document(record, pages)
