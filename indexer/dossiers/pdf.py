"""One PDF to take along: a dossier's cover, contents, introduction, reading list and glossary,
followed by the reading-list documents themselves, with a bookmark per part.

PDF documents are included as they are; HTML, Markdown and text documents as pages rendered from
their indexed text. Every page but the cover prints its number, and the contents entries link to
the pages they name (`indexer.dossiers.pdf_pages`). The result is cached per index generation, dossier
version and LAYOUT_VERSION.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.lib.pagesizes import A4
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from indexer.corpus.dates import dutch_date
from indexer.corpus.kinds import KINDS
from indexer.dossiers.outline import outline
from indexer.dossiers.pdf_layout import BODY, H1, H3, MARGIN, SUBTITLE, TITLE, body_flowables, inline
from indexer.dossiers.pdf_pages import ContentsEntry, DrawnEntry, link_entries, number_pages
from indexer.dossiers.texts import Dossier, reading_minutes
from indexer.engine.results import StoredDocument
from indexer.themes.taxonomy import Theme

PDF_AUTHOR = "VeiligheidsAlliantie regio Rotterdam"
# Part of the cache key: raise it when the PDF's layout changes, so no cached old layout is served.
LAYOUT_VERSION = 3


@dataclass(frozen=True)
class _Part:
    title: str
    pdf: bytes


def _render(flowables: list, title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=PDF_AUTHOR,
    )
    document.build(flowables)
    return buffer.getvalue()


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _reading_list(dossier: Dossier, documents: dict[str, StoredDocument]) -> list:
    story: list = [
        Paragraph("Begin hier", H1),
        Paragraph("Lees deze documenten in deze volgorde; ze zitten achter in dit dossier.", BODY),
    ]
    for number, item in enumerate(dossier.reading_list, start=1):
        stored = documents.get(item.doc_id)
        if stored is None:
            continue
        meta = f"{KINDS.get(stored.kind, stored.kind)} · ongeveer {reading_minutes(stored.word_count)} minuten lezen"
        story += [
            Paragraph(f"{number}. {inline(stored.title)}", H3),
            Paragraph(inline(meta), BODY),
            Paragraph(inline(item.why), BODY),
        ]
    return story


def _glossary(theme: Theme) -> list:
    story: list = [Paragraph("Begrippen", H1)]
    entries = [(f"{a.short} – {a.expansion}", a.explanation) for a in theme.acronyms]
    entries += [(entry.term, entry.explanation) for entry in theme.glossary]
    for term, explanation in sorted(entries, key=lambda entry: entry[0].lower()):
        term_and_explanation = [Paragraph(f"<b>{inline(term)}</b>", BODY)]
        if explanation:
            term_and_explanation.append(Paragraph(inline(explanation), BODY))
        story.append(KeepTogether(term_and_explanation))  # a term never ends a page without its explanation
    return story


def _document_pdf(stored: StoredDocument, documents_dir: Path) -> bytes:
    """The original PDF, or the document set as pages with its headings and lists when it is no
    usable PDF (`indexer.dossiers.outline`)."""
    path = documents_dir / stored.path
    if path.suffix.lower() == ".pdf":
        try:
            pdf = path.read_bytes()
            if not PdfReader(io.BytesIO(pdf)).is_encrypted:
                return pdf
        except (OSError, PyPdfError):
            pass  # fall back to the indexed text below
    meta = " · ".join(filter(None, [KINDS.get(stored.kind, stored.kind), stored.source, dutch_date(stored.date)]))
    story: list = [Paragraph(inline(stored.title), H1), Paragraph(inline(meta), SUBTITLE)]
    story += body_flowables(outline(stored, documents_dir), A4[0] - 2 * MARGIN)
    return _render(story, stored.title)


def _cover_and_contents(
    dossier: Dossier, theme: Theme, entries: list[tuple[str, int]]
) -> tuple[bytes, list[DrawnEntry]]:
    """The cover and the contents, and where each contents entry was drawn (for its link)."""
    drawn: list[DrawnEntry] = []
    story: list = [
        Spacer(1, 200),
        Paragraph(inline(dossier.title), TITLE),
        Paragraph(inline(f"Thema {theme.name}"), SUBTITLE),
        Paragraph(inline(f"{PDF_AUTHOR} · samengesteld op {dutch_date(dt.date.today())}"), SUBTITLE),
        PageBreak(),
        Paragraph("Inhoud", H1),
    ]
    story += [
        ContentsEntry(f"{inline(title)} <font color='#555555'>· pagina {page}</font>", BODY, page, drawn)
        for title, page in entries
    ]
    return _render(story, dossier.title), drawn


def build_dossier_pdf(
    dossier: Dossier, theme: Theme, documents: dict[str, StoredDocument], documents_dir: Path
) -> bytes:
    """The whole dossier as PDF bytes; `documents` holds the reading-list documents that exist."""
    parts = [
        _Part(
            "Introductie",
            _render(
                [Paragraph("Introductie", H1), *body_flowables(dossier.introduction, A4[0] - 2 * MARGIN)], dossier.title
            ),
        ),
        _Part("Begin hier: de leeslijst", _render(_reading_list(dossier, documents), dossier.title)),
        _Part("Begrippen", _render(_glossary(theme), dossier.title)),
    ]
    parts += [
        _Part(documents[item.doc_id].title, _document_pdf(documents[item.doc_id], documents_dir))
        for item in dossier.reading_list
        if item.doc_id in documents
    ]
    counts = [_page_count(part.pdf) for part in parts]
    front_pages = 2
    while True:  # the contents may need more than one page; then every start page shifts
        starts = [front_pages + sum(counts[:i]) + 1 for i in range(len(parts))]
        front, drawn = _cover_and_contents(dossier, theme, [(p.title, s) for p, s in zip(parts, starts, strict=True)])
        if _page_count(front) == front_pages:
            break
        front_pages = _page_count(front)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    for part, start in zip(parts, starts, strict=True):
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)
        writer.add_outline_item(title=part.title, page_number=start - 1)
    number_pages(writer)
    link_entries(writer, drawn)
    writer.add_metadata({"/Title": dossier.title, "/Author": PDF_AUTHOR})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def cached_dossier_pdf(
    dossier: Dossier,
    theme: Theme,
    index_version: str,
    document: Callable[[str], StoredDocument | None],
    documents_dir: Path,
    cache_dir: Path,
) -> Path:
    """The dossier PDF from the cache, built first when the index (`index_version`) or the dossier
    changed since; `document` reads a reading-list document from the index."""
    version = hashlib.sha256(dossier.path.read_bytes() + repr((theme, LAYOUT_VERSION)).encode()).hexdigest()[:12]
    target = cache_dir / f"{dossier.slug}-{index_version}-{version}.pdf"
    if target.exists():
        return target
    documents = {item.doc_id: document(item.doc_id) for item in dossier.reading_list}
    pdf = build_dossier_pdf(dossier, theme, {k: v for k, v in documents.items() if v}, documents_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob(f"{dossier.slug}-*.pdf"):
        old.unlink(missing_ok=True)
    fd, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(pdf)
    os.replace(temporary, target)
    return target
