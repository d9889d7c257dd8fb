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

from indexer.engine.index_backend import WritableIndex
from indexer.models import Document, Metadata, ThemeChange, ThemeMatch
from indexer.themes.tagging import tag
from indexer.themes.taxonomy import Taxonomy


@dataclass(frozen=True)
class Retagging:
    """What tagging the index again did."""

    retagged: int  # documents tagged again
    changed: tuple[ThemeChange, ...]  # the documents whose themes or sub-themes changed, by path


def tag_metadata(
    metadata: Metadata, text: str, taxonomy: Taxonomy
) -> tuple[Metadata, tuple[ThemeMatch, ...], tuple[ThemeMatch, ...]]:
    """The tagger's themes and sub-themes, and the metadata with them unless people chose its themes."""
    themes, subthemes = tag(metadata.title, metadata.summary, text, taxonomy)
    if not metadata.themes_from_sidecar:
        metadata = replace(metadata, themes=tuple(m.slug for m in themes), subthemes=tuple(m.slug for m in subthemes))
    return metadata, themes, subthemes


def retag_index(index: WritableIndex, taxonomy: Taxonomy, skip: Collection[str] = ()) -> Retagging:
    """Tag every indexed document but those at the paths in `skip` (just indexed) again; rewrite
    those whose tags or reasons differ, in one commit."""
    retagged = 0
    changed: list[ThemeChange] = []
    with index.contents() as contents, index.writing() as writer:
        for old, added in contents.stored_documents(skip_paths=skip):
            metadata, themes, subthemes = tag_metadata(old.metadata, old.text, taxonomy)
            new = replace(old, metadata=metadata, suggested_themes=themes, suggested_subthemes=subthemes)
            retagged += 1
            if new == old:
                continue
            if _tags(new) != _tags(old):
                changed.append(ThemeChange(old.path, old.doc_id, old.metadata.title, _tags(old), _tags(new)))
            writer.remove(old.doc_id)
            writer.add(new, added)
    return Retagging(retagged, tuple(sorted(changed, key=lambda change: change.path)))


def _tags(document: Document) -> tuple[str, ...]:
    return document.metadata.themes + document.metadata.subthemes
