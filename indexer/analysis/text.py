"""Text normalisation shared by every extractor.

Extracted text is full of layout artefacts: ligatures, words split at line ends, page headers and
footers, stray control characters. Cleaning them in one place keeps the index, the snippets and
the tagger working on the same text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

# Words after a line-end hyphen that show the hyphen is a Dutch "zorg- en veiligheid" ellipsis,
# not a broken word.
_ELLIPSIS_CONTINUATIONS = frozenset({"en", "of", "tot", "noch", "als", "dan", "t/m"})

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad]")
_LINE_END_HYPHEN = re.compile(r"(\w)[-\u2010\u2011]\n[ \t]*([^\W\d_][\w/]*)")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# A page number at the end of a line: "3", "Pagina 3 van 12", "Handreiking X - blz. 3", "3/12".
_TRAILING_PAGE_NUMBER = re.compile(r"(?:^|\b(?:pagina|blz|blad|page|p)\.?\s*)\d+(?:\s*(?:van|/|of)\s*\d+)?\s*$", re.I)

# A header or footer must repeat on at least this share of pages (and on 3 pages or more).
RUNNING_LINE_MIN_SHARE = 0.6
RUNNING_LINE_MIN_PAGES = 3
# Only this many lines at the top and bottom of a page are candidates for running lines.
RUNNING_LINE_DEPTH = 3


def normalise(text: str) -> str:
    """Apply every per-text rule: NFKC, control characters, hyphenation, whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    text = join_hyphenated(text)
    return fold_whitespace(text)


def join_hyphenated(text: str) -> str:
    """Join words broken by a hyphen at a line end ("informatie-\\nbeveiliging").

    The hyphen stays when the next line starts with a capital ("Noord-\\nHolland") and the line
    break is kept for ellipses such as "zorg- en veiligheid", which Dutch writes with a hyphen.
    """

    def repair(match: re.Match[str]) -> str:
        before, word = match.group(1), match.group(2)
        if word.lower() in _ELLIPSIS_CONTINUATIONS:
            return f"{before}- {word}"
        if word[0].isupper():
            return f"{before}-{word}"
        return f"{before}{word}"

    return _LINE_END_HYPHEN.sub(repair, text)


def fold_whitespace(text: str) -> str:
    """Fold runs of spaces and tabs, trim every line, and keep at most one blank line."""
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _line_signature(line: str) -> str:
    """Compare running lines without their page numbers ("Pagina 3 van 12" ~ "Pagina 4 van 12").

    Only a trailing page number is masked: other numbers make lines different, so that numbered
    headings ("Hoofdstuk 3") are not mistaken for running lines.
    """
    return _TRAILING_PAGE_NUMBER.sub("#", line.strip().lower())


def _edge_lines(lines: list[str]) -> set[int]:
    """Indices of the non-empty lines at the top and bottom of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:RUNNING_LINE_DEPTH]) | set(filled[-RUNNING_LINE_DEPTH:])


def strip_running_lines(pages: Sequence[str]) -> list[str]:
    """Remove headers and footers that repeat on most pages; keep everything else as it was.

    A line counts as running when its signature (page number masked) appears at the top or bottom
    of at least RUNNING_LINE_MIN_SHARE of the pages, and on at least RUNNING_LINE_MIN_PAGES pages.
    """
    if len(pages) < RUNNING_LINE_MIN_PAGES:
        return list(pages)
    split_pages = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in split_pages:
        counts.update({_line_signature(lines[i]) for i in _edge_lines(lines)})
    threshold = max(RUNNING_LINE_MIN_PAGES, RUNNING_LINE_MIN_SHARE * len(pages))
    running = {signature for signature, count in counts.items() if count >= threshold}
    cleaned = []
    for lines in split_pages:
        edges = _edge_lines(lines)
        kept = [line for i, line in enumerate(lines) if not (i in edges and _line_signature(line) in running)]
        cleaned.append("\n".join(kept).strip())
    return cleaned


def word_count(text: str) -> int:
    return len(text.split())
