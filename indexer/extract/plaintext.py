"""Plain text files: decode carefully, take the first short line as a title candidate."""

from __future__ import annotations

from pathlib import Path

from indexer.errors import ExtractionError, Problem
from indexer.models import Extraction, Page

# A first line longer than this is a sentence, not a title.
MAX_TITLE_CHARS = 150


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Windows-1252 is what older Dutch office files use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExtractionError(path, Problem.UNREADABLE, exc.strerror or "") from exc


def extract_plaintext(path: Path) -> Extraction:
    text = decode_text(read_bytes(path))
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    properties: dict[str, object] = {}
    if 0 < len(first_line) <= MAX_TITLE_CHARS:
        properties["titel"] = first_line
    return Extraction(pages=(Page(1, text),), properties=properties)
