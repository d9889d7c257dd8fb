"""Translate between `Document` and the index's stored records, in one place.

Nothing outside this module and `schema` knows field names of the index's internals.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

from whoosh.searching import Searcher

from indexer.analysis.acronyms import as_terms, find_definitions
from indexer.analysis.text import word_count
from indexer.backends.whoosh.documents import split_list
from indexer.backends.whoosh.schema import ACRONYMS, DOC, PAGE
from indexer.engine.fields import PAGE_TEXT, SOURCE_WORDS, WORD_PAIRS
from indexer.models import Document, Fingerprint, Metadata, Page, TermHit, ThemeMatch


def _matches_json(matches: tuple[ThemeMatch, ...]) -> list[dict]:
    return [asdict(match) for match in matches]


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
        "themes_curated": meta.themes_from_sidecar,
        "source": meta.source,
        SOURCE_WORDS: meta.source,
        ACRONYMS: as_terms(find_definitions(text)),
        "language": meta.language,
        "page_count": len(document.pages),
        "ocr_pages": [page.number for page in document.pages if page.ocr],
        "word_count": word_count(text),
        "size": document.fingerprint.size,
        "sha256": document.fingerprint.sha256,
        "added": added,
        "tagging": json.dumps(
            {
                "themes": _matches_json(document.suggested_themes),
                "subthemes": _matches_json(document.suggested_subthemes),
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
    # Pages without text have no record; they are put back, so the document's text and page count stay.
    numbers = sorted(set(range(1, fields.get("page_count", 0) + 1)) | texts.keys())
    read_by_ocr = set(fields.get("ocr_pages") or ())
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
    return Document(
        fields["id"],
        fields["path"],
        # The file's time is not stored: no record needs it.
        Fingerprint(fields.get("size", 0), 0, fields.get("sha256", ""), tagging.get("sidecar_sha256", "")),
        metadata,
        tuple(Page(number, texts.get(number, ""), number in read_by_ocr) for number in numbers),
        _matches(tagging.get("themes", ())),
        _matches(tagging.get("subthemes", ())),
    )


def _matches(stored: list[dict]) -> tuple[ThemeMatch, ...]:
    return tuple(
        ThemeMatch(item["slug"], item["score"], tuple(TermHit(**hit) for hit in item["hits"]), item.get("parent"))
        for item in stored
    )
