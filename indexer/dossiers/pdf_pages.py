"""What a merged PDF's contents page promises, its pages keep: every page (the cover aside) prints its
number, and every contents entry is a link to the page it names.

The parts of a dossier are rendered one by one and merged with pypdf, so ReportLab's own page numbers
and internal links cannot span them. The numbers are stamped on afterwards, and each contents entry
remembers where it was drawn, so a link can be laid over it after the merge.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

# The printed number: bottom right, in the margin, on a white ground so it reads over any page.
PAGE_LABEL = "Dossier · pagina {number}"
LABEL_FONT, LABEL_SIZE = "Helvetica", 8
LABEL_INSET = 12 * mm  # from the right edge
LABEL_BASELINE = 7 * mm  # from the bottom edge


@dataclass(frozen=True)
class DrawnEntry:
    page_index: int  # of the page the entry was drawn on, in the PDF it was rendered in
    rect: tuple[float, float, float, float]
    target_page: int  # printed page number it links to


class ContentsEntry(Paragraph):
    """A contents line that records where it was drawn (in `drawn`), for its link."""

    def __init__(self, text: str, style, target_page: int, drawn: list[DrawnEntry]) -> None:
        super().__init__(text, style)
        self.target_page = target_page
        self.drawn = drawn

    def draw(self) -> None:
        super().draw()
        x, y = self.canv.absolutePosition(0, 0)
        page_index = self.canv.getPageNumber() - 1
        self.drawn.append(DrawnEntry(page_index, (x, y, x + self.width, y + self.height), self.target_page))


def link_entries(writer: PdfWriter, entries: list[DrawnEntry]) -> None:
    """A link over each contents entry to the page it names (the front pages come first in `writer`)."""
    for entry in entries:
        writer.add_annotation(entry.page_index, Link(rect=entry.rect, target_page_index=entry.target_page - 1))


def number_pages(writer: PdfWriter, unnumbered: int = 1) -> None:
    """Print PAGE_LABEL on every page after the first `unnumbered` (the cover)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for number, page in enumerate(writer.pages, start=1):
        box = page.mediabox
        canvas.setPageSize((float(box.right), float(box.top)))
        if number > unnumbered:
            label = PAGE_LABEL.format(number=number)
            width = canvas.stringWidth(label, LABEL_FONT, LABEL_SIZE)
            right, baseline = float(box.right) - LABEL_INSET, float(box.bottom) + LABEL_BASELINE
            canvas.setFillColor(colors.white)
            canvas.rect(right - width - 3, baseline - 3, width + 6, LABEL_SIZE + 5, stroke=0, fill=1)
            canvas.setFillColor(colors.HexColor("#333333"))
            canvas.setFont(LABEL_FONT, LABEL_SIZE)
            canvas.drawRightString(right, baseline, label)
        canvas.showPage()
    canvas.save()
    stamps = PdfReader(io.BytesIO(buffer.getvalue()))
    for number, (page, stamp) in enumerate(zip(writer.pages, stamps.pages, strict=True), start=1):
        if number > unnumbered:
            page.merge_page(stamp)
