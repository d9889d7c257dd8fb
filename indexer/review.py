"""How an upload would be read and tagged, before anyone publishes it."""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh.index import Index

from indexer.curation import Staged
from indexer.metadata import resolve_with_origins
from indexer.models import Metadata, ThemeMatch
from indexer.schema import DOC
from indexer.tagging import tag
from indexer.taxonomy import Taxonomy
from indexer.text import word_count
from indexer.workers import Limits, extract_all

# The review shows this much of the text.
EXCERPT_CHARS = 1500


@dataclass(frozen=True)
class Preview:
    staged: Staged
    failure: str = ""  # the Dutch reason the file cannot be read; then nothing else is set
    metadata: Metadata | None = None
    themes: tuple[ThemeMatch, ...] = ()
    subthemes: tuple[ThemeMatch, ...] = ()
    page_count: int = 0
    words: int = 0
    excerpt: str = ""
    empty_pages: tuple[int, ...] = ()  # pages without text: scanned pages in an otherwise digital PDF
    duplicate_of: tuple[str, str] | None = None  # (id, title) of an indexed document with the same content
    origins: dict[str, str] = field(default_factory=dict)  # sidecar key -> where its value was found

    @property
    def warnings(self) -> list[str]:
        notes = []
        if self.duplicate_of:
            notes.append(f"Dit bestand staat al in de kennisbank als ‘{self.duplicate_of[1]}’.")
        if self.empty_pages:
            pages = ", ".join(map(str, self.empty_pages[:10])) + (" …" if len(self.empty_pages) > 10 else "")
            notes.append(
                f"Op pagina {pages} staat geen leesbare tekst (waarschijnlijk gescand); die pagina’s zijn niet "
                "doorzoekbaar. Laat er zo nodig tekstherkenning (OCR) op uitvoeren."
            )
        return notes


def preview(staged: Staged, index: Index, taxonomy: Taxonomy, limits: Limits | None = None) -> Preview:
    """Extract in a worker (with the usual time and memory limits), resolve metadata, tag."""
    outcome = next(extract_all([staged.path], limits or Limits(), workers=1))
    if outcome.extraction is None:
        return Preview(staged, failure=outcome.reason)
    extraction = outcome.extraction
    metadata, origins = resolve_with_origins(staged.path, extraction, {})
    themes, subthemes = tag(metadata.title, metadata.summary, extraction.text, taxonomy)
    with index.searcher() as searcher:
        existing = searcher.document(sha256=staged.sha256, doctype=DOC)
    return Preview(
        staged,
        metadata=metadata,
        themes=themes,
        subthemes=subthemes,
        page_count=len(extraction.pages),
        words=word_count(extraction.text),
        excerpt=extraction.text[:EXCERPT_CHARS],
        empty_pages=tuple(page.number for page in extraction.pages if not page.text.strip())
        if len(extraction.pages) > 1
        else (),
        duplicate_of=(existing["id"], existing.get("title", "")) if existing else None,
        origins=origins,
    )
