"""Word (.docx) and OpenDocument (.odt) files are ZIP archives of XML parts: open and parse them safely.

A hostile archive may claim small parts and unpack to gigabytes (a ZIP bomb), or carry XML entity
expansions (billion laughs); each part is read up to a size limit and parsed without DTDs or entities.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from indexer.corpus.metadata import TIMESTAMP_KEY
from indexer.errors import ExtractionError, Problem

ZIP_MAGIC = b"PK\x03\x04"
# Old Office files and password-protected new ones are OLE2 compound files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The text of a 2,000-page report is about 10 MB of XML; more than this is a ZIP bomb.
MAX_PART_BYTES = 100 * 1024 * 1024
# What the zipfile module raises on a damaged archive (found by fuzzing): a version or compression it
# does not know (NotImplementedError), a broken deflate stream (zlib.error), a truncated one.
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error)


def zip_members(handle: BinaryIO) -> frozenset[str]:
    """The member names of a ZIP archive (none when it is not one); reads only its directory."""
    handle.seek(0)
    if handle.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
        return frozenset()
    try:
        with zipfile.ZipFile(handle) as archive:
            return frozenset(archive.namelist())
    except ZIP_ERRORS:
        return frozenset()


def read_member(handle: BinaryIO, name: str, limit: int) -> bytes:
    """At most `limit` bytes of one member; empty when the archive or member cannot be read."""
    try:
        with zipfile.ZipFile(handle) as archive, archive.open(name) as member:
            return member.read(limit)
    except (*ZIP_ERRORS, KeyError):
        return b""


@contextmanager
def open_archive(path: Path) -> Iterator[zipfile.ZipFile]:
    """The archive of an office file; a password-protected or damaged one raises ExtractionError."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(OLE_MAGIC)) == OLE_MAGIC:
                # Word and LibreOffice wrap an encrypted .docx or .odt in an OLE2 container.
                raise ExtractionError(path, Problem.ENCRYPTED)
        with zipfile.ZipFile(path) as archive:
            yield archive
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise ExtractionError(path, Problem.CORRUPT, f"geen geldig zip-bestand: {exc}") from exc
    except OSError as exc:
        raise ExtractionError(path, Problem.UNREADABLE, exc.strerror or "") from exc


def parse_part(path: Path, archive: zipfile.ZipFile, name: str, required: bool = True) -> Element | None:
    """One XML part of the archive; None for a missing optional part (metadata)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        if required:
            raise ExtractionError(path, Problem.CORRUPT, f"het onderdeel {name} ontbreekt") from None
        return None
    if info.flag_bits & 0x1:
        raise ExtractionError(path, Problem.ENCRYPTED)
    try:
        with archive.open(info) as member:
            data = member.read(MAX_PART_BYTES + 1)
    except ZIP_ERRORS as exc:
        raise ExtractionError(path, Problem.CORRUPT, f"{name}: {exc}") from exc
    if len(data) > MAX_PART_BYTES:
        raise ExtractionError(path, Problem.TOO_LARGE, f"{name} is uitgepakt groter dan {MAX_PART_BYTES // 2**20} MB")
    try:
        return fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ExtractionError(path, Problem.CORRUPT, f"{name} is geen geldige XML: {exc}") from exc


def text_of(element: Element | None) -> str:
    """The stripped text of a metadata element ("" when it is absent)."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def office_properties(title: str, author: str, summary: str, created: str) -> dict[str, object]:
    """An office file's own metadata under our property names; the creation time is the file's
    timestamp (used only when the text gives no date), as for a PDF. Empty values are left out."""
    try:
        timestamp: dt.date | None = dt.datetime.fromisoformat(created).date()
    except ValueError:
        timestamp = None
    properties = {"titel": title, "bron": author, "samenvatting": summary, TIMESTAMP_KEY: timestamp}
    return {key: value for key, value in properties.items() if value}
