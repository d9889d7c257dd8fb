"""PDF files through pypdf: text per page (so hits can name their page) and document info.

A file pypdf cannot read because it is damaged (a page tree that loops, a content stream it cannot
decode) is read by pdfium, the PDF engine of Chrome, which repairs more; the run report says so. A
file that runs into one of pypdf's limits is a bomb, not damage: pdfium has no such limits, so it
is not tried. pdfium is C code: it runs in the worker process, whose time limit stops it and whose
crash the batch survives (`indexer.indexing.workers`).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

from indexer.corpus.metadata import TIMESTAMP_KEY
from indexer.errors import ExtractionError, Issue, Problem
from indexer.models import Extraction, Page

# pypdf logs every defect it repairs or gives up on, at length; the user gets the reason instead.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

# The header may sit after some junk lines (a mail or HTTP header); PDF readers look in the first kilobyte.
_PDF_HEADER = re.compile(rb"(?:\A|[\r\n])%PDF-")
_MAGIC_WINDOW_BYTES = 1024
# Appended to a damaged file to make pypdf rebuild its cross-reference table (see _open).
_RECOVERY_TRAILER = b"\nstartxref\n0\n%%EOF\n"
# Not a sign of damage that a rebuilt cross-reference table could mend.
_NOT_DAMAGE = (ExtractionError, FileNotDecryptedError, NotImplementedError, MemoryError, RecursionError)
# pypdf stops at a page tree 100 levels deep, pdfium at 1,024. pypdf walks the tree without
# recursion and still limits its number of entries, so a deep tree costs no more than a wide one.
PAGE_TREE_MAX_DEPTH = 1024
# A PDF date: D:YYYYMMDD, then the time, which the timestamp does not need.
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")


def is_pdf(handle: BinaryIO) -> bool:
    return _PDF_HEADER.search(handle.read(_MAGIC_WINDOW_BYTES)) is not None


def _check_is_pdf(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            found = is_pdf(handle)
    except OSError as exc:
        raise ExtractionError(path, Problem.UNREADABLE, exc.strerror or "") from exc
    if not found:
        raise ExtractionError(path, Problem.CORRUPT, "dit is geen PDF-bestand, alleen de naam eindigt op .pdf")


def _read(path: Path, source: Path | BytesIO) -> PdfReader:
    reader = PdfReader(source, strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ExtractionError(path, Problem.ENCRYPTED)
    return reader


def _read_or_recover(path: Path) -> PdfReader:
    try:
        return _read(path, path)
    except _NOT_DAMAGE:
        raise
    except Exception as damaged:  # noqa: BLE001 - pypdf raises all kinds of errors on damaged files
        # A file whose end is missing or damaged (a download that stopped, no startxref) still
        # holds its objects: with a trailer pointing nowhere, pypdf rebuilds the
        # cross-reference table by scanning for them, as other PDF readers do.
        try:
            return _read(path, BytesIO(path.read_bytes() + _RECOVERY_TRAILER))
        except _NOT_DAMAGE:
            raise
        except Exception:  # noqa: BLE001 - the first error says best what is wrong
            raise damaged from None


def _open(path: Path) -> PdfReader:
    try:
        return _read_or_recover(path)
    except FileNotDecryptedError as exc:
        raise ExtractionError(path, Problem.ENCRYPTED) from exc
    except (ExtractionError, MemoryError, RecursionError):
        raise
    except NotImplementedError as exc:
        # pypdf opens the standard security handler (passwords, RC4 and AES), not certificate
        # security or other handlers: for the user that is a protected file like any other.
        if b"/Encrypt" in path.read_bytes():
            raise ExtractionError(path, Problem.ENCRYPTED) from exc
        raise ExtractionError(path, Problem.CORRUPT, _technical(exc)) from exc
    except Exception as exc:  # pypdf raises all kinds of errors on damaged files, not only its own
        raise ExtractionError(path, Problem.CORRUPT, _technical(exc)) from exc


def _technical(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"technische melding: {type(exc).__name__}{': ' + message[:160] if message else ''}"


def _document_properties(title: str, author: str, subject: str, created: dt.date | None) -> dict[str, object]:
    """Title, author, subject and creation date under our property names; empty ones are left out.

    Placeholders among them ("untitled") are left to metadata resolution, which knows them for every
    format; the creation date is the file's timestamp, not the document's date.
    """
    properties: dict[str, object] = {"titel": title.strip(), "bron": author.strip(), "samenvatting": subject.strip()}
    properties[TIMESTAMP_KEY] = created
    return {key: value for key, value in properties.items() if value}


def _properties(reader: PdfReader) -> dict[str, object]:
    """The document info as pypdf reads it, where readable; unreadable document info is common and
    harmless (the text is what matters), and a date that cannot be read costs only the date."""
    unreadable = (PyPdfError, ValueError, TypeError, KeyError, AttributeError)
    try:
        info = reader.metadata
        if info is None:
            return {}
        title, author, subject = info.title or "", info.author or "", info.subject or ""
    except unreadable:
        return {}
    try:
        created = info.creation_date.date() if info.creation_date is not None else None
    except unreadable:
        created = None
    return _document_properties(title, author, subject, created)


def _read_with_pypdf(path: Path) -> Extraction:
    """Every page's text; a page that fails to decode becomes empty rather than losing the file."""
    reader = _open(path)
    try:
        page_objects = list(reader.pages)
    except FileNotDecryptedError as exc:
        raise ExtractionError(path, Problem.ENCRYPTED) from exc
    except MemoryError:
        raise
    except Exception as exc:  # a page tree that loops, nests too deep or points nowhere
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
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - pypdf raises all kinds of errors on damaged content
            # One broken content stream should not cost the other pages.
            first_failure = first_failure or exc
            text = ""
        pages.append(Page(number, text))
    if first_failure is not None and not any(page.text.strip() for page in pages):
        raise ExtractionError(path, Problem.CORRUPT, _technical(first_failure)) from first_failure
    return Extraction(pages=tuple(pages), properties=_properties(reader))


def _pdfium_page_text(document: pdfium.PdfDocument, index: int) -> str:
    """The text of one page; empty when pdfium cannot load the page (it may read the others)."""
    try:
        return document[index].get_textpage().get_text_range()
    except pdfium.PdfiumError:
        return ""


def _pdfium_properties(document: pdfium.PdfDocument) -> dict[str, object]:
    info = document.get_metadata_dict(skip_empty=True)
    found = _PDF_DATE.match(info.get("CreationDate", ""))
    try:
        created = dt.date(*map(int, found.groups())) if found else None
    except ValueError:  # a date that does not exist
        created = None
    return _document_properties(info.get("Title", ""), info.get("Author", ""), info.get("Subject", ""), created)


def _read_with_pdfium(path: Path, damaged: ExtractionError) -> Extraction:
    """The text of each page as pdfium reads it, for a file pypdf found `damaged`; the report says so."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        # pypdf has already told a protected file from a damaged one: it checks encryption first.
        detail = f"{damaged.detail}; ook pdfium kon het niet openen"
        raise ExtractionError(path, Problem.CORRUPT, detail) from damaged
    try:
        pages = tuple(Page(index + 1, _pdfium_page_text(document, index)) for index in range(len(document)))
        properties = _pdfium_properties(document)
    finally:
        document.close()
    if not pages:
        raise damaged
    notice = Issue(Problem.READ_PAST_DAMAGE, damaged.detail)
    return Extraction(pages=pages, properties=properties, notices=(notice,), damage=damaged.detail)


def extract_pdf(path: Path) -> Extraction:
    """Every page's text and the document info, by pypdf, or by pdfium when pypdf finds the file damaged."""
    _check_is_pdf(path)
    try:
        with apply_configuration(page_tree_maximum_depth=PAGE_TREE_MAX_DEPTH):
            return _read_with_pypdf(path)
    except ExtractionError as exc:
        if exc.problem is not Problem.CORRUPT or isinstance(exc.__cause__, LimitReachedError):
            raise
        return _read_with_pdfium(path, exc)
