"""Pages without a usable text layer read from their image by Tesseract with its Dutch model.

Only the pages that need it are rendered (pypdfium2, 300 dpi, grey) and read, one Tesseract process
per page with its own time limit, inside the worker that reads the file. The worker's per-file limit
covers reading the file; each page read by OCR adds its own limit to it (`on_page`), so a scan of
200 pages is not stopped at the limit meant for one file, and no page can run on without end.

What OCR read is cached per file content (sha256) and page: reading a file again, for a rebuild
or a new taxonomy, never runs OCR twice. A page that ran out of time is not cached and is tried again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium

from indexer.corpus.files import write_atomically
from indexer.corpus.layout import sha256_of
from indexer.extract.quality import MIN_LETTERS_PER_PAGE, is_usable, letter_count
from indexer.models import Extraction

TESSERACT = "tesseract"  # on PATH, where Debian's tesseract-ocr installs it
LANGUAGE = "nld"
DPI = 300
DEFAULT_PAGE_TIMEOUT_S = 30.0
# A blank page: rendered this small, no pixel darker than this grey (0 black, 255 white).
BLANK_CHECK_DPI = 18
BLANK_MIN_GREY = 235
# A page larger than this many pixels at 300 dpi is rendered at a lower resolution (A0 at 300 dpi is 140 M).
MAX_PIXELS = 40_000_000
_POINTS_PER_INCH = 72
# The worker processes already use every core; Tesseract's own threads would only compete with them.
_TESSERACT_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
# Debian packages that bring Tesseract and its Dutch model.
DEBIAN_PACKAGES = ("tesseract-ocr", "tesseract-ocr-nld")


@dataclass(frozen=True)
class OcrSettings:
    """Where OCR results are kept (None: not kept), how long one page may take, and whom to tell
    that a page starts (a worker asks for the page's time on top of the file's limit)."""

    cache_dir: Path | None = None
    page_timeout_s: float = DEFAULT_PAGE_TIMEOUT_S
    on_page: Callable[[float], None] | None = None


DEFAULT_OCR = OcrSettings()


@cache
def ocr_available() -> bool:
    """Tesseract with the Dutch model is installed."""
    if shutil.which(TESSERACT) is None:
        return False
    try:
        command = [TESSERACT, "--list-langs"]
        listed = subprocess.run(command, capture_output=True, timeout=30, check=False)  # noqa: S603 - fixed
    except (OSError, subprocess.TimeoutExpired):
        return False
    return LANGUAGE in listed.stdout.decode(errors="replace").split()


def _is_blank(page: pdfium.PdfPage) -> bool:
    """Nothing but white on the page (a separator page in a report): nothing for OCR to read. A
    thumbnail decides, in milliseconds instead of the second OCR takes to find nothing."""
    darkest, _ = (
        page.render(scale=BLANK_CHECK_DPI / _POINTS_PER_INCH, grayscale=True).to_pil().convert("L").getextrema()
    )
    return darkest >= BLANK_MIN_GREY


def _render(document: pdfium.PdfDocument, number: int) -> bytes | None:
    """Page `number` (1-based) as a grey PGM image, the cheapest format Tesseract reads from stdin;
    None for a blank page."""
    page = document[number - 1]
    if _is_blank(page):
        return None
    width, height = page.get_size()
    scale = DPI / _POINTS_PER_INCH
    pixels = width * height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    image = page.render(scale=scale, grayscale=True).to_pil()
    header = f"P5 {image.width} {image.height} 255\n".encode()
    return header + image.convert("L").tobytes()


def _recognise(image: bytes, timeout_s: float) -> str | None:
    """The text Tesseract reads in an image; None when it ran out of time or failed."""
    command = [TESSERACT, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(DPI)]
    try:
        result = subprocess.run(  # noqa: S603 - a fixed command; the image goes in on stdin
            command, input=image, capture_output=True, timeout=timeout_s, env=_TESSERACT_ENV, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else None


class _Cache:
    """OCR text per page of one file content, in `<cache_dir>/<sha256>.json`."""

    def __init__(self, settings: OcrSettings, path: Path) -> None:
        self.file = settings.cache_dir / f"{sha256_of(path)}.json" if settings.cache_dir else None
        self.pages: dict[str, str] = {}
        if self.file is not None and self.file.is_file():
            try:
                self.pages = dict(json.loads(self.file.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):  # half written by a killed run: read again
                self.pages = {}

    def keep(self, number: int, text: str) -> None:
        """Written after every page: a file that runs out of time keeps what was read so far."""
        self.pages[str(number)] = text
        if self.file is not None:
            write_atomically(self.file, json.dumps(self.pages, ensure_ascii=False))


def _read_page(
    document: pdfium.PdfDocument, number: int, settings: OcrSettings, cache: _Cache, read: dict[int, str]
) -> None:
    """OCR one page into `read` and the cache (not when it ran out of time: then it is tried again)."""
    if settings.on_page is not None:
        settings.on_page(settings.page_timeout_s)
    try:
        image = _render(document, number)
        text = "" if image is None else _recognise(image, settings.page_timeout_s)
    except pdfium.PdfiumError:
        text = ""  # a page pdfium cannot draw will not draw next time either
    if text is not None:
        cache.keep(number, text)
        read[number] = text


def read_unusable_pages(path: Path, extraction: Extraction, settings: OcrSettings) -> Extraction:
    """The extraction with each page that has no usable text replaced by what OCR read on it, where
    that is usable. Without Tesseract the extraction is returned as it is.

    A text layer in a language the dictionary does not know (Latin, Turkish) looks like garbage too.
    When OCR reads such a page no better, the text layer was real: the document's other pages with
    text are left alone, so a foreign document costs one page of OCR, not all of them."""
    wanted = [page.number for page in extraction.pages if not is_usable(page.text)]
    if not wanted or not ocr_available():
        return extraction
    with_text = {page.number for page in extraction.pages if letter_count(page.text) >= MIN_LETTERS_PER_PAGE}
    text_layers_are_real = False
    cache = _Cache(settings, path)
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return extraction  # pypdf read what it could; pdfium cannot render this file at all
    read: dict[int, str] = {}
    try:
        for number in wanted:
            if number in with_text and text_layers_are_real:
                continue
            if str(number) in cache.pages:
                read[number] = cache.pages[str(number)]
            elif number <= len(document):
                _read_page(document, number, settings, cache, read)
            text_layers_are_real = text_layers_are_real or (number in with_text and not is_usable(read.get(number, "")))
    finally:
        document.close()
    pages = tuple(
        replace(page, text=read[page.number], ocr=True) if is_usable(read.get(page.number, "")) else page
        for page in extraction.pages
    )
    return replace(extraction, pages=pages)
