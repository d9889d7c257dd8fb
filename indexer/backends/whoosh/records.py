"""Translate between `Document` and the index's stored records, in one place.

Nothing outside this module and `schema` knows field names of the index's internals.
"""

from __future__ import annotations

import datetime as dt
import json

from whoosh.searching import Searcher

from indexer.analysis.acronyms import as_terms, find_definitions
from indexer.backends.stored_documents import matches_as_json, stored_facts
from indexer.backends.stored_documents import stored_document as stored_document_of
from indexer.backends.whoosh.documents import split_list
from indexer.backends.whoosh.schema import ACRONYMS, DOC, PAGE
from indexer.engine.fields import PAGE_TEXT, SOURCE_WORDS, WORD_PAIRS
from indexer.models import Document, Fingerprint, Metadata


def document_fields(document: Document, added: dt.datetime) -> dict:
    """The record that ranks and facets a document; its text is indexed, not stored (pages store it)."""
    meta = document.metadata
    text = "\n\n".join(page.text for page in document.pages)
    fields = {
        "id": document.doc_id,
        "parent": document.doc_id,
        "doctype": DOC,
        "path": document.path,
        "title": meta.title,
        "summary": meta.summary,
        "content": text,
        WORD_PAIRS: text,
        "spelling": f"{meta.title}\n{text}",
        "kind": meta.kind,
        "themes": ",".join(meta.themes),
        "subthemes": ",".join(meta.subthemes),
        "source": meta.source,
        SOURCE_WORDS: meta.source,
        ACRONYMS: as_terms(find_definitions(text)),
        **stored_facts(document, text),
        "added": added,
        "tagging": json.dumps(
            {
                "themes": matches_as_json(document.suggested_themes),
                "subthemes": matches_as_json(document.suggested_subthemes),
                "sidecar_sha256": document.fingerprint.sidecar_sha256,
            },
            ensure_ascii=False,
        ),
    }
    if meta.year is not None:
        fields["year"] = str(meta.year)
    if meta.date is not None:
        fields["date"] = dt.datetime.combine(meta.date, dt.time())
    return fields


def page_fields(document: Document) -> list[dict]:
    """One record per page with text, so hits can name and show their pages."""
    return [
        {
            "id": f"{document.doc_id}/p{page.number}",
            "parent": document.doc_id,
            "doctype": PAGE,
            "path": document.path,
            "page": page.number,
            PAGE_TEXT: page.text,
        }
        for page in document.pages
        if page.text.strip()
    ]


def stored_document(searcher: Searcher, fields: dict) -> Document:
    """A document as `document_fields` and `page_fields` wrote it, read back from its stored fields:
    enough to tag it again and write it anew without reading its file."""
    tagging = json.loads(fields.get("tagging") or "{}")
    texts = {page["page"]: page.get(PAGE_TEXT, "") for page in searcher.documents(parent=fields["id"], doctype=PAGE)}
    metadata = Metadata(
        title=fields.get("title", ""),
        kind=fields.get("kind", ""),
        date=fields["date"].date() if fields.get("date") else None,
        year=int(fields["year"]) if fields.get("year") else None,
        source=fields.get("source", ""),
        language=fields.get("language", ""),
        summary=fields.get("summary", ""),
        themes=split_list(fields.get("themes", "")),
        subthemes=split_list(fields.get("subthemes", "")),
        themes_from_sidecar=bool(fields.get("themes_curated")),
    )
    # The file's time is not stored: no record needs it.
    fingerprint = Fingerprint(fields.get("size", 0), 0, fields.get("sha256", ""), tagging.get("sidecar_sha256", ""))
    page_count, ocr_pages = fields.get("page_count", 0), fields.get("ocr_pages") or ()
    return stored_document_of(
        (fields["id"], fields["path"]), fingerprint, metadata, page_count, texts, ocr_pages, tagging
    )
