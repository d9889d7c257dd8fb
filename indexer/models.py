"""Plain, frozen records that cross module boundaries.

Extractors produce an `Extraction`; metadata resolution and tagging turn it into a `Document`;
the pipeline reports per-file outcomes in a `RunReport`. No engine or framework objects leave
the module that created them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from indexer.errors import Issue


@dataclass(frozen=True)
class Page:
    """One page of text; `number` is 1-based as printed in a PDF viewer."""

    number: int
    text: str
    ocr: bool = False  # read from the page's image by text recognition, not from its text layer


def joined_text(pages: tuple[Page, ...]) -> str:
    """A document's text: its pages with text, a blank line between them."""
    return "\n\n".join(page.text for page in pages if page.text)


@dataclass(frozen=True)
class Extraction:
    """What an extractor could read from a file, before any metadata is resolved.

    `properties` carries format-level metadata under the sidecar key names (titel, datum, ...).
    """

    pages: tuple[Page, ...]
    properties: dict[str, object] = field(default_factory=dict)
    notices: tuple[Issue, ...] = ()  # remarks for the run report, such as a Word file named .pdf
    # The damage a second reader read past (a technical detail): when no text turns up, even by OCR,
    # the file is reported as damaged with it rather than as a scan.
    damage: str = ""

    @property
    def text(self) -> str:
        return joined_text(self.pages)


@dataclass(frozen=True)
class TermHit:
    """One taxonomy term found in a document: where and how often."""

    term: str
    location: str  # "titel", "begin" (summary and first page) or "tekst"
    count: int


@dataclass(frozen=True)
class ThemeMatch:
    """A theme or sub-theme the tagger suggests, with its score and the evidence for it."""

    slug: str
    score: float
    hits: tuple[TermHit, ...]
    parent: str | None = None  # the theme slug, for a sub-theme


@dataclass(frozen=True)
class Metadata:
    """Resolved metadata of a document (sidecar first, then the file, then the file name)."""

    title: str
    kind: str
    date: dt.date | None
    year: int | None  # known on its own when only a year could be found
    source: str
    language: str
    summary: str
    themes: tuple[str, ...] = ()
    subthemes: tuple[str, ...] = ()
    themes_from_sidecar: bool = False


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a version of a file on disk, cheap part first."""

    size: int
    mtime_ns: int
    sha256: str
    sidecar_sha256: str = ""


@dataclass(frozen=True)
class Document:
    """A document ready to be written to the index."""

    doc_id: str
    path: str  # relative to the corpus documents folder, POSIX style
    fingerprint: Fingerprint
    metadata: Metadata
    pages: tuple[Page, ...]
    suggested_themes: tuple[ThemeMatch, ...] = ()
    suggested_subthemes: tuple[ThemeMatch, ...] = ()

    @property
    def text(self) -> str:
        """The text the tagger reads, as it read the extraction's (`Extraction.text`)."""
        return joined_text(self.pages)


@dataclass(frozen=True)
class FileProblem:
    """A file that was not indexed (or a remark on one), with the issue; `describe` words it for
    the person who has to act."""

    path: str
    issue: Issue


@dataclass(frozen=True)
class Duplicate:
    path: str
    original: str


@dataclass(frozen=True)
class ThemeChange:
    """A document whose themes re-tagging or re-reading changed, with what it had and has, so staff
    can check it."""

    path: str
    doc_id: str
    title: str  # what staff know the document by
    before: tuple[str, ...]  # theme slugs, then sub-theme slugs
    after: tuple[str, ...]


@dataclass(frozen=True)
class TitleChange:
    """A document that reading its file again gave another title: what people found it by until now."""

    path: str
    doc_id: str
    before: str
    after: str


@dataclass(frozen=True)
class RunReport:
    """The outcome of one indexing run; every file of the corpus is in exactly one list."""

    indexed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    failed: tuple[FileProblem, ...] = ()
    warnings: tuple[FileProblem, ...] = ()
    rebuilt: bool = False
    retagged: int = 0  # documents tagged again from their stored text (the themes or tagger changed)
    # documents read again from their unchanged files: this version reads files differently
    # (`pipeline.READING_REVISION`); they are among `indexed`
    reread: int = 0
    # unchanged files that this version could not read again: their documents stay as read before
    kept: tuple[FileProblem, ...] = ()
    theme_changes: tuple[ThemeChange, ...] = ()  # the documents whose themes re-tagging or re-reading changed
    title_changes: tuple[TitleChange, ...] = ()  # the documents whose title re-reading changed

    @property
    def ok(self) -> bool:
        return not self.failed
