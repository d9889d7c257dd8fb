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
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer

from indexer.corpus.dates import dutch_date
from indexer.corpus.kinds import KINDS
from indexer.corpus.sidecar_fields import SIDECAR_KEYS
from indexer.dossiers.pdf_layout import (
    COLUMN_GAP,
    H1,
    HOUSE_COLOUR,
    MARGIN,
    SUBTITLE,
    TITLE,
    body_flowables,
    inline,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "corpus" / "bronnen"
OUTPUT = ROOT / "corpus" / "documenten"
rl_config.invariant = 1  # fixed dates and ids inside the PDF: same source, same bytes


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
        kind = KINDS.get(source.meta.get("soort", ""), "")
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
    story += body_flowables(source.body, half if columns == 2 else usable, chapters_on_new_page=title_page)
    doc.build(story)
    sidecar = {key: source.meta[key] for key in SIDECAR_KEYS if key in source.meta}
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
