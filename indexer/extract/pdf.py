"""PDF files through pypdf: text per page (so hits can name their page) and document info."""

from __future__ import annotations

import logging
import re
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from indexer.errors import ExtractionError, Problem
from indexer.metadata import TIMESTAMP_KEY
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


def _properties(reader: PdfReader) -> dict[str, object]:
    """Title, author, subject and creation date from the document info, where readable.

    Placeholders among them ("untitled") are left to metadata resolution, which knows them for every
    format; the creation date is the file's timestamp, not the document's date.
    """
    properties: dict[str, object] = {}
    try:
        info = reader.metadata
        if info is None:
            return properties
        if (info.title or "").strip():
            properties["titel"] = info.title.strip()
        if (info.author or "").strip():
            properties["bron"] = info.author.strip()
        if (info.subject or "").strip():
            properties["samenvatting"] = info.subject.strip()
        if info.creation_date is not None:
            properties[TIMESTAMP_KEY] = info.creation_date.date()
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
