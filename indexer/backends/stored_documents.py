"""A document read back from what an engine stored of it, for every engine: the tagger's suggestions
with their reasons as plain JSON values ("waarom dit thema?" and re-tagging read them), and the
document rebuilt from its stored fields, so re-tagging can write it anew without reading its file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict

from indexer.analysis.text import word_count
from indexer.engine.index_backend import IndexedFile
from indexer.models import Document, Fingerprint, Metadata, Page, TermHit, ThemeMatch


def stored_facts(document: Document, text: str) -> dict[str, object]:
    """The stored values every engine keeps under the same names, beside its own fields."""
    return {
        "themes_curated": document.metadata.themes_from_sidecar,
        "language": document.metadata.language,
        "page_count": len(document.pages),
        "ocr_pages": [page.number for page in document.pages if page.ocr],
        "word_count": word_count(text),
        "size": document.fingerprint.size,
        "sha256": document.fingerprint.sha256,
    }


def indexed_file(
    fields: Mapping[str, object], sidecar_sha256: str, added: dt.datetime | None, tags: tuple[str, ...]
) -> IndexedFile:
    """What a run's manifest needs of a document's stored fields (`id`, `path`, `title`, `sha256` in
    every engine; where the sidecar's hash, the time it was added and the themes are kept differs)."""
    return IndexedFile(
        doc_id=str(fields["id"]),
        path=str(fields["path"]),
        title=str(fields.get("title", "")),
        sha256=str(fields.get("sha256", "")),
        sidecar_sha256=sidecar_sha256,
        added=added,
        tags=tags,
    )


def matches_as_json(matches: tuple[ThemeMatch, ...]) -> list[dict]:
    return [asdict(match) for match in matches]


def matches_from_json(stored: list[dict]) -> tuple[ThemeMatch, ...]:
    return tuple(
        ThemeMatch(item["slug"], item["score"], tuple(TermHit(**hit) for hit in item["hits"]), item.get("parent"))
        for item in stored
    )


def stored_document(
    ids: tuple[str, str],
    fingerprint: Fingerprint,
    metadata: Metadata,
    page_count: int,
    texts: Mapping[int, str],
    ocr_pages: Iterable[int],
    tagging: Mapping[str, list[dict]],
) -> Document:
    """The document (`ids`: its id and path) with its pages: only pages with text are stored, so the
    others are put back empty and the document's text and page count stay as they were."""
    numbers = sorted(set(range(1, page_count + 1)) | texts.keys())
    read_by_ocr = set(ocr_pages)
    return Document(
        *ids,
        fingerprint,
        metadata,
        tuple(Page(number, texts.get(number, ""), number in read_by_ocr) for number in numbers),
        matches_from_json(tagging.get("themes", [])),
        matches_from_json(tagging.get("subthemes", [])),
    )
