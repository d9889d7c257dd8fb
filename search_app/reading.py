"""Page text as people read it on the document page: paragraphs, not the line breaks of a PDF.

Extraction keeps a PDF's lines as they were typeset: a sentence wraps over several lines, and a
blank line (mostly) separates paragraphs. A line break inside a block is a wrap, unless the line
before it stops short of the block's width at the end of a sentence, or one of the two lines is a
heading: short, starting with a capital and without a full stop in it or punctuation at its end.
The width is that of the block's ordinary lines: a word the normaliser joined again over a broken
line end makes one line longer than the rest.
"""

from __future__ import annotations

import re
from itertools import pairwise

# A line shorter than this share of its block's width did not wrap at the margin.
SHORT_LINE = 0.7
# Lines longer than this share of the median line are left out of a block's width.
LONG_LINE = 1.25
HEADING_MAX_CHARS = 70
# From this many lines a block's median line tells its width; below it, its longest line does.
MEDIAN_LINES = 4
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = ".!?:"
_PUNCTUATION = ".,;:!?"


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a page's text, each with its wrapped lines joined by spaces."""
    result = []
    for block in _BLANK_LINE.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        width = _width(lines)
        current = [lines[0]]
        for previous, line in pairwise(lines):
            if _ends_paragraph(previous, width) or _is_heading(previous, width) or _is_heading(line, width):
                result.append(" ".join(current))
                current = []
            current.append(line)
        result.append(" ".join(current))
    return result


def _width(lines: list[str]) -> float:
    lengths = sorted(map(len, lines))
    if len(lengths) < MEDIAN_LINES:
        return lengths[-1]
    median = lengths[len(lengths) // 2]
    return max(length for length in lengths if length <= LONG_LINE * median)


def _short(line: str, width: float) -> bool:
    return len(line) < SHORT_LINE * width


def _ends_paragraph(line: str, width: float) -> bool:
    return _short(line, width) and line[-1] in _SENTENCE_END


def _is_heading(line: str, width: float) -> bool:
    return (
        _short(line, width)
        and len(line) <= HEADING_MAX_CHARS
        and line[-1] not in _PUNCTUATION
        and ". " not in line
        and line[0].isupper()
    )
