"""What a document's text and file name tell about it when neither a sidecar nor the file's
properties do: a title from the first line or the file name, a summary from the first paragraph."""

from __future__ import annotations

import re
from pathlib import Path

# A derived title is a short first line; a derived summary is cut at a sentence end near this length.
MAX_TITLE_CHARS = 150
SUMMARY_TARGET_CHARS = 300
MIN_SUMMARY_WORDS = 12


def first_line_title(text: str) -> str:
    """The first line with some letters, when it is short enough to be a title."""
    for line in text.splitlines():
        line = line.strip()
        if sum(ch.isalpha() for ch in line) >= 3:
            return line if len(line) <= MAX_TITLE_CHARS else ""
    return ""


def title_from_filename(path: Path) -> str:
    words = re.sub(r"[-_.]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def derive_summary(text: str) -> str:
    """The first real paragraph, cut at a sentence end: what a reader sees first."""
    for paragraph in re.split(r"\n\s*\n|\n(?=[A-Z])", text):
        flat = " ".join(paragraph.split())
        if len(flat.split()) >= MIN_SUMMARY_WORDS:
            if len(flat) <= SUMMARY_TARGET_CHARS:
                return flat
            cut = flat.rfind(". ", 0, SUMMARY_TARGET_CHARS)
            return (
                flat[: cut + 1]
                if cut > SUMMARY_TARGET_CHARS // 3
                else flat[:SUMMARY_TARGET_CHARS].rsplit(" ", 1)[0] + " …"
            )
    return ""
