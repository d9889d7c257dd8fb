"""Real input files for the tests, built on the spot: PDFs with ReportLab and pypdf, HTML as text;
and an index as an older version of the Kennisbank left it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from indexer.corpus.layout import THEMES_DIR
from indexer.engine.backend_choice import EngineConfig, open_backend
from indexer.indexing.pipeline import READING, STATE_FILE

WIDTH, HEIGHT = A4


def write_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    header: str = "",
    footer: str = "",
    title: str = "",
    author: str = "",
    columns: int = 1,
) -> Path:
    """A PDF with one list of lines per page; with two columns the lines are split over both halves.

    A running header and a footer with the page number are drawn on every page when given.
    """
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    if title:
        canvas.setTitle(title)
    if author:
        canvas.setAuthor(author)
    for number, lines in enumerate(pages, start=1):
        canvas.setFont("Helvetica", 10)
        if header:
            canvas.drawString(20 * mm, HEIGHT - 15 * mm, header)
        if footer:
            canvas.drawString(20 * mm, 12 * mm, f"{footer} — pagina {number}")
        half = (len(lines) + 1) // 2 if columns == 2 else len(lines)
        for column, chunk in enumerate((lines[:half], lines[half:]) if columns == 2 else (lines,)):
            text = canvas.beginText(20 * mm + column * (WIDTH / 2 - 10 * mm), HEIGHT - 30 * mm)
            for line in chunk:
                text.textLine(line)
            canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return path


def write_image_only_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with shapes and no text layer, as a scan without OCR looks to a text extractor."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(pages):
        for row in range(20):
            canvas.rect(20 * mm, 30 * mm + row * 10 * mm, 150 * mm, 6 * mm, fill=1)
        canvas.showPage()
    canvas.save()
    return path


def encrypt_pdf(source: Path, target: Path, user_password: str, algorithm: str = "AES-256") -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="eigenaar-geheim", algorithm=algorithm)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def truncate(source: Path, target: Path, fraction: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target


NEWS_PAGE = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>Terugblik netwerkdag | VeiligheidsAlliantie</title>
  <meta property="og:title" content="Terugblik: netwerkdag weerbare wijken">
  <meta name="description" content="Professionals uit twaalf gemeenten deelden ervaringen met wijkaanpak.">
  <style>.menu { color: red }</style>
  <script>window.analytics = "nieuwsbriefteller";</script>
</head>
<body>
  <div class="cookie-banner">Wij gebruiken cookies voor statistieken. Akkoord?</div>
  <header><a href="/">VeiligheidsAlliantie</a>
    <nav><ul><li><a href="/themas">Thema's</a></li><li><a href="/agenda">Agenda</a></li></ul></nav>
  </header>
  <nav class="breadcrumb">Home › Nieuws › Terugblik</nav>
  <main>
    <article>
      <h1>Terugblik: netwerkdag weerbare wijken</h1>
      <time datetime="2025-10-02">2 oktober 2025</time>
      <p>Ruim tachtig professionals kwamen in Schiedam bijeen om ervaringen met de
         <strong>wijkgerichte aanpak</strong> te delen. Wijkagenten, jongerenwerkers en
         beleidsadviseurs bespraken hoe signalen sneller bij de juiste partner terechtkomen.</p>
      <h2>Wat namen de deelnemers mee?</h2>
      <ul><li>Een vaste contactpersoon per wijk.</li><li>Korte lijnen met het zorgnetwerk.</li></ul>
    </article>
  </main>
  <aside><h2>Gerelateerd nieuws</h2><a href="/nieuws/x">Aanmelden voor de nieuwsbrief</a></aside>
  <footer>Postbus 1234, Rotterdam · <a href="/privacy">Privacyverklaring</a> · Nieuwsbrief</footer>
</body>
</html>
"""


def write_slow_pdf(path: Path, operators: int = 1_500_000) -> Path:
    """A small, valid PDF whose one page holds millions of text operators: extraction takes
    far longer than any sane limit, like the crafted files that make parsers loop."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 10 Tf 50 800 Td " + b"(traag) Tj 0 -1 Td " * operators + b"ET")
    stream = stream.flate_encode()
    page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_texts(folder: Path, texts: dict[str, str], repeat: int = 1) -> None:
    """One plain-text document per name, its text on `repeat` lines (a word used on several lines
    counts as a word of the document)."""
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(f"{text}\n" * repeat, encoding="utf-8")


def add_core_terms(corpus: Path, theme: str, *terms: str) -> None:
    """A staff member adds strong terms to a theme file of a corpus, as corpus/README.md describes."""
    path = corpus / THEMES_DIR / f"{theme}.yaml"
    listed = "".join(f"\n  - {term}" for term in terms)
    path.write_text(path.read_text(encoding="utf-8").replace("kerntermen:", f"kerntermen:{listed}", 1), "utf-8")


def read_by_an_older_version(
    index_root: Path, path: str, title: str, themes: tuple[str, ...], engine: EngineConfig | None = None
) -> None:
    """The index as a version that read files differently left it: the document of the file at
    `path` with the title and themes that version gave it, and no word in the run state of how its
    files were read (as before `pipeline.READING_REVISION`). `engine` as for `run_index`."""
    index = open_backend(index_root, engine).live()
    with index.contents() as contents:
        [(document, added)] = [item for item in contents.stored_documents() if item[0].path == path]
    older = replace(document, metadata=replace(document.metadata, title=title, themes=themes, subthemes=()))
    with index.writing() as writer:
        writer.remove(document.doc_id)
        writer.add(older, added)
    state_file = index_root / STATE_FILE
    state = json.loads(state_file.read_text(encoding="utf-8"))
    del state[READING]
    state_file.write_text(json.dumps(state), encoding="utf-8")
