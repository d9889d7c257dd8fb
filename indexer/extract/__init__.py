"""File -> `Extraction`: one module per format, one record per format in one table.

`FORMATS` is the single source of truth for which files the Kennisbank reads: each record says how
a file of that format is recognised (suffix, and for binary formats its content), how it is read,
how it is served, what it is called in messages and what "no text" means for it. Adding a format is
one module and one row here.

Binary formats are known by their content: a Word file named `.pdf` is read as Word, and the run
report says so. Text formats (HTML, Markdown, text) have no magic bytes and are known by their suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from indexer.analysis.text import normalise, strip_running_lines
from indexer.errors import ExtractionError, Issue, Problem
from indexer.extract.doc import extract_doc, is_doc
from indexer.extract.docx import extract_docx, is_docx
from indexer.extract.html import extract_html
from indexer.extract.markdown import extract_markdown
from indexer.extract.ocr import DEFAULT_OCR, OcrSettings, ocr_available, read_unusable_pages
from indexer.extract.odt import MIME_TYPE as ODT_MIME
from indexer.extract.odt import extract_odt, is_odt
from indexer.extract.pdf import extract_pdf, is_pdf
from indexer.extract.plaintext import extract_plaintext
from indexer.extract.quality import MIN_LETTERS_PER_PAGE, letter_count
from indexer.models import Extraction

__all__ = [
    "ACCEPT",
    "DEFAULT_OCR",
    "DOC",
    "DOCX",
    "FORMATS",
    "HTML",
    "MARKDOWN",
    "MAX_FILE_BYTES",
    "ODT",
    "PDF",
    "PLAIN_TEXT",
    "SUFFIXES",
    "Format",
    "OcrSettings",
    "Serving",
    "detect",
    "extract",
    "format_of_file",
    "is_supported",
    "supported_kinds",
    "supported_suffixes",
]

Extractor = Callable[[Path], Extraction]
# Reads the start of a file (a seekable binary handle) and says whether it is of the format.
Sniffer = Callable[[BinaryIO], bool]


class Serving(Enum):
    """How `/bestand/<id>` hands out the original file."""

    INLINE = "inline"  # as it is, for the browser to show (PDF)
    TEXT = "text"  # its text as plain text (Markdown, text)
    DOWNLOAD = "download"  # as a download with its own MIME type (Word, OpenDocument)
    DOWNLOAD_AS_TEXT = "download-as-text"  # a download as plain text, so its markup never runs on our site


@dataclass(frozen=True)
class Format:
    label: str  # Dutch, as in "een Word-document"
    suffixes: tuple[str, ...]  # the first is the one a file of this format should have
    mime: str
    extract: Extractor
    serving: Serving
    sniff: Sniffer | None = None  # binary formats: recognised by content, whatever the name says
    no_text: Problem = Problem.NO_CONTENT
    ocr: bool = False  # pages without usable text are read from their image


_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = Format(
    "PDF-bestand",
    (".pdf",),
    "application/pdf",
    extract_pdf,
    Serving.INLINE,
    sniff=is_pdf,
    no_text=Problem.NO_TEXT,
    ocr=True,
)
DOCX = Format("Word-document", (".docx",), _DOCX_MIME, extract_docx, Serving.DOWNLOAD, sniff=is_docx)
ODT = Format("OpenDocument-tekst", (".odt",), ODT_MIME, extract_odt, Serving.DOWNLOAD, sniff=is_odt)
DOC = Format("oud Word-document", (".doc",), "application/msword", extract_doc, Serving.DOWNLOAD, sniff=is_doc)
HTML = Format("HTML-bestand", (".html", ".htm"), "text/html", extract_html, Serving.DOWNLOAD_AS_TEXT)
MARKDOWN = Format("Markdown-bestand", (".md", ".markdown"), "text/markdown", extract_markdown, Serving.TEXT)
PLAIN_TEXT = Format("tekstbestand", (".txt",), "text/plain", extract_plaintext, Serving.TEXT)

FORMATS: tuple[Format, ...] = (PDF, DOCX, ODT, DOC, HTML, MARKDOWN, PLAIN_TEXT)
_BY_SUFFIX = {suffix: format_ for format_ in FORMATS for suffix in format_.suffixes}
SUFFIXES = tuple(_BY_SUFFIX)
# For a file input's `accept`: browsers match some files by name, others by MIME type.
ACCEPT = ",".join([*SUFFIXES, *dict.fromkeys(format_.mime for format_ in FORMATS)])

# Larger files are refused before reading: 200 MB holds a 2,000-page report with images.
MAX_FILE_BYTES = 200 * 1024 * 1024


def _one_of(items: list[str] | tuple[str, ...]) -> str:
    """A Dutch choice: "a, b of c"."""
    return f"{', '.join(items[:-1])} of {items[-1]}"


def supported_kinds() -> str:
    """The formats for a Dutch sentence: "PDF-bestand, Word-document, ... of tekstbestand"."""
    return _one_of([f"{format_.label} ({', '.join(format_.suffixes)})" for format_ in FORMATS])


def supported_suffixes() -> str:
    """The file name endings for a Dutch sentence: ".pdf, .docx, ... of .txt"."""
    return _one_of(SUFFIXES)


def is_supported(path: Path) -> bool:
    """Whether the Kennisbank reads files with this name (their content decides how)."""
    return path.suffix.lower() in _BY_SUFFIX


def detect(handle: BinaryIO, name: str) -> Format | None:
    """The format of a file by its content, else by its name; None when neither is known."""
    for format_ in FORMATS:
        if format_.sniff is not None:
            handle.seek(0)
            if format_.sniff(handle):
                return format_
    return _BY_SUFFIX.get(Path(name).suffix.lower())


def format_of_file(path: Path) -> Format | None:
    with path.open("rb") as handle:
        return detect(handle, path.name)


def _renamed_notice(path: Path, format_: Format) -> tuple[Issue, ...]:
    if path.suffix.lower() in format_.suffixes:
        return ()
    facts = (("suffix", path.suffix or "zonder extensie"), ("label", format_.label), ("proper", format_.suffixes[0]))
    return (Issue(Problem.MISNAMED, facts=facts),)


def _no_text(path: Path, format_: Format, raw: Extraction) -> ExtractionError:
    """The format's own "no text" problem; for a scan that OCR read without finding text, that says so;
    for a damaged file read by a second reader, the damage."""
    if raw.damage:
        return ExtractionError(path, Problem.CORRUPT, raw.damage)
    if format_.ocr and ocr_available():
        return ExtractionError(path, Problem.NO_TEXT_AFTER_OCR)
    return ExtractionError(path, format_.no_text)


def extract(path: Path, max_bytes: int = MAX_FILE_BYTES, ocr: OcrSettings = DEFAULT_OCR) -> Extraction:
    """Read a file into normalised pages; raise `ExtractionError` with the reason when that fails."""
    try:
        size = path.stat().st_size
        format_ = format_of_file(path) if size else _BY_SUFFIX.get(path.suffix.lower())
    except OSError as exc:
        raise ExtractionError(path, Problem.UNREADABLE, exc.strerror or "") from exc
    if format_ is None:
        raise ExtractionError(path, Problem.UNSUPPORTED, path.suffix or "zonder extensie")
    if size == 0:
        raise ExtractionError(path, Problem.EMPTY)
    if size > max_bytes:
        raise ExtractionError(path, Problem.TOO_LARGE, f"{size // 2**20} MB, de grens is {max_bytes // 2**20} MB")
    raw = format_.extract(path)
    if format_.ocr:
        raw = read_unusable_pages(path, raw, ocr)
    texts = strip_running_lines([normalise(page.text) for page in raw.pages])
    pages = tuple(replace(page, text=text) for page, text in zip(raw.pages, texts, strict=True))
    if sum(letter_count(page.text) for page in pages) < MIN_LETTERS_PER_PAGE * len(pages):
        raise _no_text(path, format_, raw)
    notices = (*_renamed_notice(path, format_), *raw.notices)
    return Extraction(pages=pages, properties=raw.properties, notices=notices)
