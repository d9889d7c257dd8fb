"""Legacy Word files (.doc, Word 97-2003) through a converter from Debian: antiword, else catdoc.

Both are small, maintained command-line programs that write the text to standard output. antiword
keeps paragraphs best; catdoc also reads files antiword refuses (Word 6/95, "fast saved" files).
Neither reads the document's own properties: title, author, subject and creation time come from
its SummaryInformation stream, read by olefile (pure Python, the reader of OLE2 compound files).
"""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import olefile

from indexer.errors import ExtractionError, Problem
from indexer.extract.office import OLE_MAGIC, office_properties
from indexer.models import Extraction, Page

# The directory entry of the stream that holds a Word document's text, in UTF-16 as OLE2 stores names.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_SNIFF_CHUNK_BYTES = 1024 * 1024
# A converter that runs longer than this on one file is stuck (the worker's own limit kills only the worker).
CONVERTER_TIMEOUT_S = 60.0
# Tried in this order; each writes UTF-8 text with one paragraph per line ("-w 0": no wrapping).
CONVERTERS: tuple[tuple[str, ...], ...] = (
    ("antiword", "-w", "0", "-m", "UTF-8.txt"),
    ("catdoc", "-d", "utf-8", "-w"),
)
DEBIAN_PACKAGE = "antiword"
# Strings in SummaryInformation are in the file's code page; Word writes 1252 in Western Europe.
_DEFAULT_CODE_PAGE = 1252


def is_doc(handle: BinaryIO) -> bool:
    """An OLE2 compound file with a WordDocument stream (Excel and PowerPoint files have none)."""
    handle.seek(0)
    if handle.read(len(OLE_MAGIC)) != OLE_MAGIC:
        return False
    overlap = b""
    while chunk := handle.read(_SNIFF_CHUNK_BYTES):
        if _WORD_STREAM in overlap + chunk:
            return True
        overlap = chunk[-len(_WORD_STREAM) :]
    return False


def _convert(path: Path, command: tuple[str, ...]) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(  # noqa: S603 - a fixed command from CONVERTERS; the path is one argument
            [*command, str(path)], capture_output=True, timeout=CONVERTER_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        detail = f"{command[0]}: meer dan {CONVERTER_TIMEOUT_S:g} seconden"
        raise ExtractionError(path, Problem.TIMEOUT, detail) from exc


def _decoder(code_page: object) -> Callable[[object], str]:
    """Turns a property into stripped text; code page 65001 is UTF-8 (stored as a signed 16-bit number)."""
    codec = f"cp{code_page & 0xFFFF if isinstance(code_page, int) else _DEFAULT_CODE_PAGE}"
    try:
        codecs.lookup(codec)
    except LookupError:
        codec = f"cp{_DEFAULT_CODE_PAGE}"

    def text(value: object) -> str:
        return value.decode(codec, errors="replace").strip() if isinstance(value, bytes) else ""

    return text


def _properties(path: Path) -> dict[str, object]:
    """The document's own title, author, subject and creation time, where its SummaryInformation
    stream is readable: the text is what matters, so a damaged stream costs only these."""
    try:
        with olefile.OleFileIO(path) as compound:
            info = compound.get_metadata()
    except Exception:  # noqa: BLE001 - olefile raises all kinds of errors on damaged files
        return {}
    text = _decoder(info.codepage)
    created = info.create_time.isoformat() if isinstance(info.create_time, dt.datetime) else ""
    return office_properties(text(info.title), text(info.author), text(info.subject) or text(info.comments), created)


def extract_doc(path: Path) -> Extraction:
    installed = [command for command in CONVERTERS if shutil.which(command[0])]
    if not installed:
        raise ExtractionError(path, Problem.MISSING_TOOL, f"Debian-pakket {DEBIAN_PACKAGE}")
    failures = []
    for command in installed:
        result = _convert(path, command)
        if result.returncode == 0 and result.stdout.strip():
            text = result.stdout.decode("utf-8", errors="replace")
            return Extraction(pages=(Page(1, text),), properties=_properties(path))
        message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        failures.append(f"{command[0]}: {message[-1][:160] if message else f'afsluitcode {result.returncode}'}")
    if any("encrypt" in failure.lower() for failure in failures):
        raise ExtractionError(path, Problem.ENCRYPTED)
    raise ExtractionError(path, Problem.CORRUPT, "; ".join(failures))
