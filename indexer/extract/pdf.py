"""PDF files through pypdf: text per page (so hits can name their page) and document info."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from indexer.errors import ExtractionError, Problem
from indexer.models import Extraction, Page

# pypdf warns about every small defect it repairs; those are not the user's problem.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_PDF_MAGIC = b"%PDF-"
# The header may sit after some junk bytes; PDF readers look in the first kilobyte.
_MAGIC_WINDOW_BYTES = 1024
# Generator names that are not a document's title ("Microsoft Word - rapport.docx" is half one).
_USELESS_TITLE = re.compile(r"^(untitled|naamloos|document\d*|microsoft word - .*|.*\.(docx?|pdf|indd))$", re.I)


def _check_is_pdf(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            head = handle.read(_MAGIC_WINDOW_BYTES)
    except OSError as exc:
        raise ExtractionError(path, Problem.UNREADABLE, exc.strerror or "") from exc
    if _PDF_MAGIC not in head:
        raise ExtractionError(path, Problem.CORRUPT, "dit is geen PDF-bestand, alleen de naam eindigt op .pdf")


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ExtractionError(path, Problem.ENCRYPTED)
        return reader
    except FileNotDecryptedError as exc:
        raise ExtractionError(path, Problem.ENCRYPTED) from exc
    except PyPdfError as exc:
        raise ExtractionError(path, Problem.CORRUPT, _technical(exc)) from exc


def _technical(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"technische melding: {type(exc).__name__}{': ' + message[:160] if message else ''}"


def _properties(reader: PdfReader) -> dict[str, object]:
    """Title, author, subject and creation date from the document info, where readable."""
    properties: dict[str, object] = {}
    try:
        info = reader.metadata
        if info is None:
            return properties
        title = (info.title or "").strip()
        if title and not _USELESS_TITLE.match(title):
            properties["titel"] = title
        if (info.author or "").strip():
            properties["bron"] = info.author.strip()
        if (info.subject or "").strip():
            properties["samenvatting"] = info.subject.strip()
        if info.creation_date is not None:
            properties["datum"] = info.creation_date.date()
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):
        # Unreadable document info is common and harmless: the text is what matters.
        pass
    return properties


def extract_pdf(path: Path) -> Extraction:
    """Every page's text; a page that fails to decode becomes empty rather than losing the file."""
    _check_is_pdf(path)
    reader = _open(path)
    try:
        page_objects = list(reader.pages)
    except FileNotDecryptedError as exc:
        raise ExtractionError(path, Problem.ENCRYPTED) from exc
    except (PyPdfError, RecursionError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExtractionError(path, Problem.CORRUPT, _technical(exc)) from exc
    if not page_objects:
        raise ExtractionError(path, Problem.CORRUPT, "het document heeft geen pagina's")
    pages = []
    first_failure: BaseException | None = None
    for number, page in enumerate(page_objects, start=1):
        try:
            text = page.extract_text() or ""
        except FileNotDecryptedError as exc:
            raise ExtractionError(path, Problem.ENCRYPTED) from exc
        except (
            PyPdfError,
            RecursionError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            ZeroDivisionError,
            UnicodeError,
        ) as exc:
            # One broken content stream should not cost the other pages.
            first_failure = first_failure or exc
            text = ""
        pages.append(Page(number, text))
    if first_failure is not None and not any(page.text.strip() for page in pages):
        raise ExtractionError(path, Problem.CORRUPT, _technical(first_failure)) from first_failure
    return Extraction(pages=tuple(pages), properties=_properties(reader))
