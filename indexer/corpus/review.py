"""How an upload would be read and tagged, before anyone publishes it.

Reading a file is the slow part (seconds for a large PDF), so its outcome is kept beside the
staged upload and every later view of the review page reuses it. Metadata and themes are worked
out again each time: they are quick, and follow a changed taxonomy.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.analysis.text import word_count
from indexer.corpus.files import write_atomically
from indexer.corpus.metadata import resolve_with_origins
from indexer.corpus.staging import Staged
from indexer.engine.index_backend import IndexedFile
from indexer.errors import Issue
from indexer.indexing.workers import Limits, extract_all
from indexer.models import Extraction, Metadata, Page, ThemeMatch
from indexer.themes.tagging import tag
from indexer.themes.taxonomy import Taxonomy

# The review shows this much of the text.
EXCERPT_CHARS = 1500
# Beside the staged upload: what reading it gave (its pages and properties, or the issue it failed on).
# (Versions that kept the Dutch reason named it gelezen.json; such an upload is simply read again.)
READ_RESULT_FILE = "lezing.json"


@dataclass(frozen=True)
class Preview:
    staged: Staged
    failure: Issue | None = None  # why the file cannot be read; then nothing else is set
    metadata: Metadata | None = None
    themes: tuple[ThemeMatch, ...] = ()
    subthemes: tuple[ThemeMatch, ...] = ()
    page_count: int = 0
    words: int = 0
    excerpt: str = ""
    empty_pages: tuple[int, ...] = ()  # pages without text: scanned pages in an otherwise digital PDF
    ocr_pages: tuple[int, ...] = ()  # pages read by text recognition
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
        if self.ocr_pages:
            pages = ", ".join(map(str, self.ocr_pages[:10])) + (" …" if len(self.ocr_pages) > 10 else "")
            notes.append(
                f"Pagina {pages} is met tekstherkenning (OCR) gelezen. Controleer in het voorbeeld of de tekst "
                "klopt; een scherpere scan (300 dpi, rechtop) geeft minder leesfouten."
            )
        return notes


def _encode(value: object) -> object:
    """Dates (in file properties) as JSON."""
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    raise TypeError(f"{type(value).__name__} cannot be kept")


def _decode(value: dict) -> object:
    if value.keys() == {"datetime"}:
        return dt.datetime.fromisoformat(value["datetime"])
    if value.keys() == {"date"}:
        return dt.date.fromisoformat(value["date"])
    return value


def read_staged(staged: Staged, limits: Limits | None = None) -> Extraction | Issue:
    """The staged file's extraction, or the issue it cannot be read for; read once, then kept."""
    kept = staged.path.parent / READ_RESULT_FILE
    if kept.is_file():
        data = json.loads(kept.read_text(encoding="utf-8"), object_hook=_decode)
        if "failure" in data:
            return Issue.from_dict(data["failure"])
        # A page is [number, text, read by OCR]; readings kept before OCR existed have no third value.
        return Extraction(tuple(Page(*page) for page in data["pages"]), data["properties"])
    # In a worker, with the usual time and memory limits.
    outcome = next(extract_all([staged.path], limits or Limits(), workers=1))
    extraction = outcome.extraction
    if extraction is None:
        data = {"failure": outcome.issue.as_dict()}
    else:
        pages = [(page.number, page.text, page.ocr) for page in extraction.pages]
        data = {"pages": pages, "properties": extraction.properties}
    if staged.path.exists():  # not published or cancelled meanwhile (in another tab)
        write_atomically(kept, json.dumps(data, default=_encode, ensure_ascii=False))
    return extraction if extraction is not None else outcome.issue


def preview(
    staged: Staged,
    indexed_with_content: Callable[[str], IndexedFile | None],
    taxonomy: Taxonomy,
    limits: Limits | None = None,
) -> Preview:
    """Read (once), resolve metadata, tag, and look for the same file in the index."""
    extraction = read_staged(staged, limits)
    if isinstance(extraction, Issue):
        return Preview(staged, failure=extraction)
    metadata, origins = resolve_with_origins(staged.path, extraction, {})
    themes, subthemes = tag(metadata.title, metadata.summary, extraction.text, taxonomy)
    existing = indexed_with_content(staged.sha256)
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
        ocr_pages=tuple(page.number for page in extraction.pages if page.ocr),
        duplicate_of=(existing.doc_id, existing.title) if existing else None,
        origins=origins,
    )
