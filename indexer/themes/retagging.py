"""Tag indexed documents again from the text the index stores, without reading their files again.

Tags follow from the taxonomy and the tagger's rules (`tagging.tagging_version`). When either
changes, every indexed document is tagged again from its stored title, summary and page texts:
reading a file is the slow part of indexing (seconds for a large PDF), tagging its text takes
milliseconds. Themes people chose (in a sidecar or in the review step) stay; only the tagger's
suggestions and their reasons are renewed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from whoosh.index import Index

from indexer.backends.whoosh.preanalysis import preanalyse_records
from indexer.backends.whoosh.records import document_fields, page_fields, stored_document
from indexer.backends.whoosh.schema import DOC, build_schema
from indexer.backends.whoosh.store import writing
from indexer.models import Document, Metadata, ThemeMatch
from indexer.themes.tagging import tag
from indexer.themes.taxonomy import Taxonomy


@dataclass(frozen=True)
class Retagging:
    """What tagging the index again did."""

    retagged: int  # documents tagged again
    changed: tuple[str, ...]  # paths of the documents whose themes or sub-themes changed


def tag_metadata(
    metadata: Metadata, text: str, taxonomy: Taxonomy
) -> tuple[Metadata, tuple[ThemeMatch, ...], tuple[ThemeMatch, ...]]:
    """The tagger's themes and sub-themes, and the metadata with them unless people chose its themes."""
    themes, subthemes = tag(metadata.title, metadata.summary, text, taxonomy)
    if not metadata.themes_from_sidecar:
        metadata = replace(metadata, themes=tuple(m.slug for m in themes), subthemes=tuple(m.slug for m in subthemes))
    return metadata, themes, subthemes


def retag_index(index: Index, taxonomy: Taxonomy, skip: Collection[str] = ()) -> Retagging:
    """Tag every indexed document but those at the paths in `skip` (just indexed) again; rewrite
    the records of those whose tags or reasons differ, in one commit."""
    schema = build_schema()
    retagged, changed = 0, []
    with index.searcher() as searcher, writing(index) as writer:
        for fields in searcher.documents(doctype=DOC):
            if fields["path"] in skip:
                continue
            old = stored_document(searcher, fields)
            metadata, themes, subthemes = tag_metadata(old.metadata, old.text, taxonomy)
            new = replace(old, metadata=metadata, suggested_themes=themes, suggested_subthemes=subthemes)
            retagged += 1
            if new == old:
                continue
            if _tags(new) != _tags(old):
                changed.append(old.path)
            records = [document_fields(new, fields["added"]), *page_fields(new)]
            writer.delete_by_term("parent", old.doc_id)
            with writer.group():  # the document record first, then its pages, in one segment
                for record in preanalyse_records(schema, records):
                    writer.add_document(**record)
    return Retagging(retagged, tuple(sorted(changed)))


def _tags(document: Document) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return document.metadata.themes, document.metadata.subthemes
