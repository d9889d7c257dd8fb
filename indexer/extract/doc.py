"""Legacy Word files (.doc, Word 97-2003) through a converter from Debian: antiword, else catdoc.

Both are small, maintained command-line programs that write the text to standard output. antiword
keeps paragraphs best; catdoc also reads files antiword refuses (Word 6/95, "fast saved" files).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import BinaryIO

from indexer.errors import ExtractionError, Problem
from indexer.extract.office import OLE_MAGIC
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


def extract_doc(path: Path) -> Extraction:
    installed = [command for command in CONVERTERS if shutil.which(command[0])]
    if not installed:
        raise ExtractionError(path, Problem.MISSING_TOOL, f"Debian-pakket {DEBIAN_PACKAGE}")
    failures = []
    for command in installed:
        result = _convert(path, command)
        if result.returncode == 0 and result.stdout.strip():
            return Extraction(pages=(Page(1, result.stdout.decode("utf-8", errors="replace")),))
        message = result.stderr.decode("utf-8", errors="replace").strip().splitlines()
        failures.append(f"{command[0]}: {message[-1][:160] if message else f'afsluitcode {result.returncode}'}")
    if any("encrypt" in failure.lower() for failure in failures):
        raise ExtractionError(path, Problem.ENCRYPTED)
    raise ExtractionError(path, Problem.CORRUPT, "; ".join(failures))
