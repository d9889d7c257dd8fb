"""PDF layout shared by the corpus build and the dossier download: house style and a small Markdown.

ReportLab does the typesetting; Dutch hyphenation comes from Pyphen when it is installed.
"""

from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, ListFlowable, ListItem, PageBreak, Paragraph, Spacer, Table, TableStyle

MARGIN = 20 * mm
COLUMN_GAP = 8 * mm
HOUSE_COLOUR = colors.HexColor("#154273")

BODY = ParagraphStyle(
    "body",
    fontName="Helvetica",
    fontSize=10,
    leading=14,
    spaceAfter=6,
    alignment=4,
    hyphenationLang="nl_NL",
    embeddedHyphenation=1,
    uriWasteReduce=0.3,
)
H1 = ParagraphStyle(
    "h1",
    fontName="Helvetica-Bold",
    fontSize=16,
    leading=20,
    spaceBefore=6,
    spaceAfter=10,
    textColor=HOUSE_COLOUR,
    alignment=TA_LEFT,
    keepWithNext=1,  # a heading never stands alone at the bottom of a page
)
H2 = ParagraphStyle("h2", parent=H1, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=6)
H3 = ParagraphStyle("h3", parent=H1, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=4)
CAPTION = ParagraphStyle("caption", parent=BODY, fontName="Helvetica-Oblique", fontSize=9, alignment=TA_LEFT)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=11)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white)
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=26, leading=32, textColor=HOUSE_COLOUR)
SUBTITLE = ParagraphStyle("subtitle", fontName="Helvetica", fontSize=13, leading=18, spaceBefore=12)


def inline(text: str) -> str:
    """Escape for ReportLab's mini-markup, then turn **bold** into <b>."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def table(rows: list[list[str]], width: float) -> Table:
    data = [[Paragraph(inline(cell), CELL_HEAD if r == 0 else CELL) for cell in row] for r, row in enumerate(rows)]
    table = Table(data, colWidths=[width / len(rows[0])] * len(rows[0]), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HOUSE_COLOUR),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef2f7")]),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bccb")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def bullet_list(items: list[str], numbered: bool) -> ListFlowable:
    flow = [ListItem(Paragraph(inline(item), BODY), leftIndent=12) for item in items]
    return ListFlowable(
        flow, bulletType="1" if numbered else "bullet", start="1" if numbered else "•", leftIndent=14, bulletFontSize=9
    )


def body_flowables(body: str, column_width: float, chapters_on_new_page: bool = False) -> list:
    """Flowables for the Markdown subset of corpus/README.md: headings, paragraphs, lists, tables."""
    story: list = []
    blocks = re.split(r"\n\s*\n", body.strip())
    first_chapter = True
    for block in blocks:
        lines = [line.rstrip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].strip() == "<!-- pagina -->":
            story.append(PageBreak())
            lines = lines[1:]
            if not lines:
                continue
        if lines[0].startswith("|"):
            rows = [
                [cell.strip() for cell in line.strip().strip("|").split("|")]
                for line in lines
                if not re.match(r"^\s*\|?\s*:?-{2,}", line)
            ]
            story += [table(rows, column_width), Spacer(1, 8)]
        elif all(re.match(r"^[-*] ", line) for line in lines):
            story.append(bullet_list([line[2:].strip() for line in lines], numbered=False))
        elif all(re.match(r"^\d+[.)] ", line) for line in lines):
            story.append(bullet_list([re.sub(r"^\d+[.)] ", "", line) for line in lines], numbered=True))
        elif lines[0].startswith("#"):
            level = len(lines[0]) - len(lines[0].lstrip("#"))
            heading = Paragraph(inline(lines[0].lstrip("#").strip()), (H1, H2, H3)[min(level, 3) - 1])
            if level == 1 and chapters_on_new_page and not first_chapter:
                story.append(PageBreak())
            first_chapter = first_chapter and level != 1
            rest = " ".join(lines[1:])
            story.append(KeepTogether([heading, Paragraph(inline(rest), BODY)]) if rest else heading)
        elif lines[0].startswith("Tabel ") and len(lines) == 1:
            story.append(Paragraph(inline(lines[0]), CAPTION))
        else:
            story.append(Paragraph(inline(" ".join(lines)), BODY))
    return story
