"""File -> `Extraction`: one module per format, one table that maps suffixes to extractors.

`EXTRACTORS` is the single source of truth for which files the Kennisbank reads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indexer.errors import ExtractionError, Problem
from indexer.extract.html import extract_html
from indexer.extract.markdown import extract_markdown
from indexer.extract.pdf import extract_pdf
from indexer.extract.plaintext import extract_plaintext
from indexer.models import Extraction
from indexer.text import normalise, strip_running_lines

__all__ = ["EXTRACTORS", "MAX_FILE_BYTES", "extract", "is_supported"]

Extractor = Callable[[Path], Extraction]

EXTRACTORS: dict[str, Extractor] = {
    ".pdf": extract_pdf,
    ".html": extract_html,
    ".htm": extract_html,
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".txt": extract_plaintext,
}

# Larger files are refused before reading: 200 MB holds a 2,000-page report with images.
MAX_FILE_BYTES = 200 * 1024 * 1024

# Fewer letters than this per page (after running headers are gone) means there is no usable text
# layer: a scan without OCR has none, while even a one-word page ("Potato") has a few.
MIN_LETTERS_PER_PAGE = 5


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in EXTRACTORS


def extract(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Extraction:
    """Read a file into normalised pages; raise `ExtractionError` with the reason when that fails."""
    extractor = EXTRACTORS.get(path.suffix.lower())
    if extractor is None:
        raise ExtractionError(path, Problem.UNSUPPORTED, path.suffix or "zonder extensie")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractionError(path, Problem.UNREADABLE, exc.strerror or "") from exc
    if size == 0:
        raise ExtractionError(path, Problem.EMPTY)
    if size > max_bytes:
        raise ExtractionError(path, Problem.TOO_LARGE, f"{size // 2**20} MB, de grens is {max_bytes // 2**20} MB")
    raw = extractor(path)
    texts = strip_running_lines([normalise(page.text) for page in raw.pages])
    pages = tuple(type(page)(page.number, text) for page, text in zip(raw.pages, texts, strict=True))
    if sum(sum(map(str.isalpha, page.text)) for page in pages) < MIN_LETTERS_PER_PAGE * len(pages):
        # A PDF without text is almost always a scan; other formats are simply empty.
        raise ExtractionError(path, Problem.NO_TEXT if path.suffix.lower() == ".pdf" else Problem.NO_CONTENT)
    return Extraction(pages=pages, properties=raw.properties)
