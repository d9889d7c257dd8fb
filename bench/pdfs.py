"""Real multi-page PDFs with ReportLab's canvas: fast enough for thousands of pages a minute.

Each page gets a running header (the title) and a footer with the page number, as real reports
have; the indexer is expected to strip those, the plain-Whoosh baseline indexes them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
CHARS_PER_LINE = 95
LINE_LEADING = 12
MAX_LINES = int((HEIGHT - 55 * mm) / LINE_LEADING)


def write_pdf(path: Path, title: str, author: str, pages: Sequence[Sequence[str]]) -> int:
    """One PDF page per item of `pages` (a list of paragraphs); returns the page count."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    for number, paragraphs in enumerate(pages, start=1):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, HEIGHT - 14 * mm, title[:110])
        canvas.drawString(20 * mm, 12 * mm, f"{author} — pagina {number} van {len(pages)}")
        text = canvas.beginText(20 * mm, HEIGHT - 28 * mm)
        text.setFont("Helvetica", 9.5)
        text.setLeading(LINE_LEADING)
        lines = 0
        for paragraph in paragraphs:
            for line in [*textwrap.wrap(paragraph, CHARS_PER_LINE), ""]:
                if lines >= MAX_LINES:
                    break
                text.textLine(line)
                lines += 1
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return len(pages)
