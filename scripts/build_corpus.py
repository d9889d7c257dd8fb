"""Build the bundled corpus PDFs from their sources in corpus/bronnen/.

Each source is Markdown-like text with YAML front matter (see corpus/README.md). The output is a
PDF with a real layout - title page, running header and footer with page numbers, one or two
columns, tables, Dutch hyphenation - plus its metadata sidecar in corpus/documenten/.
The build is deterministic, so rebuilding an unchanged source gives the same bytes.

    python scripts/build_corpus.py            # all sources
    python scripts/build_corpus.py SLUG ...   # some sources
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "corpus" / "bronnen"
OUTPUT = ROOT / "corpus" / "documenten"
METADATA_KEYS = ("titel", "soort", "themas", "subthemas", "datum", "bron", "samenvatting")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
KIND_LABELS = {
    "factsheet": "Factsheet",
    "handreiking": "Handreiking",
    "handboek": "Handboek",
    "rapport": "Rapport",
    "monitor": "Monitor",
    "beleidsstuk": "Beleidsstuk",
    "inwerkdossier": "Inwerkdossier",
    "trainingsaanbod": "Trainingsaanbod",
    "jaarverslag": "Jaarverslag",
}

rl_config.invariant = 1  # fixed dates and ids inside the PDF: same source, same bytes
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
)
H2 = ParagraphStyle("h2", parent=H1, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=6)
H3 = ParagraphStyle("h3", parent=H1, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=4)
CAPTION = ParagraphStyle("caption", parent=BODY, fontName="Helvetica-Oblique", fontSize=9, alignment=TA_LEFT)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=11)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white)
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=26, leading=32, textColor=HOUSE_COLOUR)
SUBTITLE = ParagraphStyle("subtitle", fontName="Helvetica", fontSize=13, leading=18, spaceBefore=12)


@dataclass
class Source:
    slug: str
    meta: dict
    body: str
    layout: dict = field(default_factory=dict)


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    if not match:
        raise SystemExit(f"{path}: front matter ontbreekt")
    meta = yaml.safe_load(match.group(1))
    layout = meta.pop("opmaak", {}) or {}
    return Source(path.stem, meta, text[match.end() :], layout)


def inline(text: str) -> str:
    """Escape for ReportLab's mini-markup, then turn **bold** into <b>."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def _table(rows: list[list[str]], width: float) -> Table:
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


def _list(items: list[str], numbered: bool) -> ListFlowable:
    flow = [ListItem(Paragraph(inline(item), BODY), leftIndent=12) for item in items]
    return ListFlowable(
        flow, bulletType="1" if numbered else "bullet", start="1" if numbered else "•", leftIndent=14, bulletFontSize=9
    )


def body_flowables(source: Source, column_width: float, chapters_on_new_page: bool) -> list:
    story: list = []
    blocks = re.split(r"\n\s*\n", source.body.strip())
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
            story += [_table(rows, column_width), Spacer(1, 8)]
        elif all(re.match(r"^[-*] ", line) for line in lines):
            story.append(_list([line[2:].strip() for line in lines], numbered=False))
        elif all(re.match(r"^\d+[.)] ", line) for line in lines):
            story.append(_list([re.sub(r"^\d+[.)] ", "", line) for line in lines], numbered=True))
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


def dutch_date(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def build(source: Source) -> Path:
    columns = int(source.layout.get("kolommen", 1))
    title_page = bool(source.layout.get("titelpagina", False))
    header = str(source.layout.get("koptekst") or source.meta["titel"])
    published = source.meta.get("datum")
    footer_left = f"{source.meta.get('bron', '')} · {dutch_date(published) if isinstance(published, dt.date) else ''}"
    target = OUTPUT / f"{source.slug}.pdf"
    width, height = A4
    doc = BaseDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN + 4 * mm,
        title=source.meta["titel"],
        author=source.meta.get("bron", ""),
        subject=source.meta.get("samenvatting", ""),
        creator="Kennisbank corpusbouw",
    )

    def running(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#4a4a4a"))
        canvas.drawString(MARGIN, height - MARGIN + 2 * mm, header)
        canvas.setStrokeColor(HOUSE_COLOUR)
        canvas.line(MARGIN, height - MARGIN, width - MARGIN, height - MARGIN)
        canvas.drawString(MARGIN, MARGIN - 2 * mm, footer_left)
        canvas.drawRightString(width - MARGIN, MARGIN - 2 * mm, f"Pagina {document.page}")
        canvas.restoreState()

    frame_height = height - doc.topMargin - doc.bottomMargin
    usable = width - 2 * MARGIN
    single = Frame(MARGIN, doc.bottomMargin, usable, frame_height, id="single")
    half = (usable - COLUMN_GAP) / 2
    double = [
        Frame(MARGIN, doc.bottomMargin, half, frame_height, id="left"),
        Frame(MARGIN + half + COLUMN_GAP, doc.bottomMargin, half, frame_height, id="right"),
    ]
    doc.addPageTemplates(
        [
            PageTemplate(id="titel", frames=[single]),
            PageTemplate(id="body", frames=double if columns == 2 else [single], onPage=running),
        ]
    )
    story: list = []
    if title_page:
        kind = KIND_LABELS.get(source.meta.get("soort", ""), "")
        story += [
            Spacer(1, 60 * mm),
            Paragraph(inline(source.meta["titel"]), TITLE),
            Paragraph(inline(kind), SUBTITLE),
            Paragraph(inline(source.meta.get("bron", "")), SUBTITLE),
        ]
        if isinstance(published, dt.date):
            story.append(Paragraph(dutch_date(published), SUBTITLE))
        story += [NextPageTemplate("body"), PageBreak()]
    else:
        doc.pageTemplates.reverse()  # start directly on a body page
        story.append(Paragraph(inline(source.meta["titel"]), H1))
    story += body_flowables(source, half if columns == 2 else usable, chapters_on_new_page=title_page)
    doc.build(story)
    sidecar = {key: source.meta[key] for key in METADATA_KEYS if key in source.meta}
    (OUTPUT / f"{source.slug}.pdf.meta.yaml").write_text(
        yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*")
    args = parser.parse_args(argv)
    paths = [SOURCES / f"{slug}.md" for slug in args.slugs] or sorted(SOURCES.glob("*.md"))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for path in paths:
        target = build(read_source(path))
        print(f"{target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
