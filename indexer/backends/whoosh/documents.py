"""Reading whole documents back from the index: for document pages and listings."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from whoosh.index import Index

from indexer.backends.whoosh.schema import DOC, PAGE
from indexer.backends.whoosh.searchers import open_searcher
from indexer.engine.fields import PAGE_TEXT
from indexer.engine.results import StoredDocument


def listing_fields(fields: dict) -> dict[str, object]:
    """The stored fields every view of a document shares (a hit, a document page), converted once."""
    return {
        "id": fields["id"],
        "path": fields["path"],
        "title": fields.get("title", ""),
        "kind": fields.get("kind", ""),
        "themes": split_list(fields.get("themes", "")),
        "subthemes": split_list(fields.get("subthemes", "")),
        "year": int(fields["year"]) if fields.get("year") else None,
        "source": fields.get("source", ""),
        "summary": fields.get("summary", ""),
        "page_count": fields.get("page_count", 0),
    }


def split_list(value: str) -> tuple[str, ...]:
    """A comma-separated stored field (themes, subthemes) as a tuple."""
    return tuple(filter(None, value.split(",")))


def get_document(index: Index, doc_id: str) -> StoredDocument | None:
    """One document with its pages, or None when the id is unknown."""
    with open_searcher(index) as searcher:
        fields = searcher.document(id=doc_id, doctype=DOC)
        if fields is None:
            return None
        pages = sorted(
            (page["page"], page.get(PAGE_TEXT, ""))
            for page in searcher.documents(parent=doc_id)
            if page.get("doctype") == PAGE
        )
    return StoredDocument(
        **listing_fields(fields),
        themes_curated=bool(fields.get("themes_curated")),
        date=fields["date"].date().isoformat() if fields.get("date") else "",
        language=fields.get("language", ""),
        word_count=fields.get("word_count", 0),
        pages=tuple(pages),
        ocr_pages=tuple(fields.get("ocr_pages") or ()),
        tagging=json.loads(fields.get("tagging") or "{}"),
    )


def stored_dates(index: Index, doc_ids: Iterable[str]) -> dict[str, dt.date]:
    """The date of each of these documents that has one, from its stored fields alone (its pages are
    not read): what a news feed needs to say when an entry appeared."""
    with open_searcher(index) as searcher:
        found = {doc_id: searcher.document(id=doc_id, doctype=DOC) for doc_id in doc_ids}
    return {doc_id: fields["date"].date() for doc_id, fields in found.items() if fields and fields.get("date")}
