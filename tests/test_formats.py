"""The files people really have: Word (.docx, .doc), OpenDocument and scanned PDFs, through the real
pipeline, a real index on disk and the app, read the way a user reads them.

The OCR tests need Tesseract with its Dutch model; scripts/test.sh installs both (Debian's
tesseract-ocr and tesseract-ocr-nld), as CI runs it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from indexer.corpus.metadata import TIMESTAMP_KEY
from indexer.corpus.staging import UploadRefused, check_upload
from indexer.errors import ExtractionError, Issue, Problem, describe
from indexer.extract import OcrSettings, extract
from indexer.extract.ocr import ocr_available
from indexer.indexing.pipeline import OCR_CACHE_DIR
from indexer.indexing.workers import Limits
from search_app import create_app
from tests.builders import add_core_terms, write_pdf
from tests.format_builders import FIXTURES, scanned_letter, scanned_page, write_docx, write_odt, write_scanned_pdf

SECTIONS = [
    (
        "Aanleiding",
        [
            "In de Maasboulevard ervaren bewoners al maanden woonoverlast door drugshandel vanuit een woning.",
            "De wijkagent en de woningcorporatie hebben de signalen gebundeld in een bestuurlijke rapportage.",
        ],
    ),
    ("Besluit", ["De burgemeester sluit de woning voor drie maanden op grond van artikel 13b van de Opiumwet."]),
]

LETTER = scanned_letter()
MIN_WORD_ACCURACY = 0.95
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def word_accuracy(expected: str, read: str) -> float:
    """The share of the expected words that OCR read, in order (a word read wrong or missed counts against)."""
    reference, found = words(expected), words(read)
    matcher = difflib.SequenceMatcher(a=reference, b=found, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(reference)


def app_client(corpus: Path, index_root: Path):
    return create_app({"CORPUS": corpus, "INDEX": index_root, "TESTING": True}).test_client()


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "html.parser")


def only_hit(client, query: str) -> dict:
    hits = client.get(f"/api/zoeken?q={query}").get_json()["hits"]
    assert len(hits) == 1, f"{query}: {[hit['id'] for hit in hits]}"
    return hits[0]


def write_doc(path: Path) -> Path:
    """The legacy Word letter of the fixtures (made by LibreOffice, see fixtures/README.md)."""
    shutil.copyfile(FIXTURES / "brief-woonoverlast.doc", path)
    return path


@pytest.mark.parametrize(
    ("name", "build", "mime", "title"),
    [
        (
            "besluit.docx",
            lambda path: write_docx(path, "Besluit woonoverlast Maasboulevard", "Gemeente Schiedam", SECTIONS),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Besluit woonoverlast Maasboulevard",
        ),
        (
            "besluit.odt",
            lambda path: write_odt(path, "Besluit woonoverlast Maasboulevard", "Gemeente Schiedam", SECTIONS),
            "application/vnd.oasis.opendocument.text",
            "Besluit woonoverlast Maasboulevard",
        ),
        ("brief.doc", write_doc, "application/msword", "Besluit over woonoverlast aan de Maasboulevard"),
    ],
)
def test_office_files_are_indexed_searchable_shown_and_served_as_themselves(
    docs: Path, corpus: Path, index_root: Path, reindex, name: str, build, mime: str, title: str
) -> None:
    build(docs / name)
    report = reindex()
    assert report.indexed == (name,) and not report.failed and not report.warnings
    client = app_client(corpus, index_root)
    hit = only_hit(client, "maasboulevard")
    page = soup(client, f"{hit['url']}?q=maasboulevard")
    assert page.select_one("h1").get_text() == title, "the title comes from the document's own properties"
    assert "Gemeente Schiedam" in page.select_one(".doc-meta").get_text()
    text = page.select_one("section.text").get_text(" ")
    assert "Maasboulevard" in text and "burgemeester" in text
    assert page.select_one("section.text mark") is not None, "the query is marked in the text"
    with client.get(hit["original_url"]) as original:
        assert original.mimetype == mime
        assert original.headers["Content-Disposition"] == f"attachment; filename={name}"
        assert original.data == (docs / name).read_bytes()


def test_docx_headings_open_sections_and_its_author_is_the_source(tmp_path: Path) -> None:
    extraction = extract(write_docx(tmp_path / "besluit.docx", "Besluit", "Gemeente Schiedam", SECTIONS))
    assert [page.number for page in extraction.pages] == [1], "a Word file has no pages"
    assert "\n\nBesluit\nDe burgemeester sluit" in extraction.text
    assert extraction.properties["bron"] == "Gemeente Schiedam"


def test_word_file_named_pdf_is_read_as_word_reported_and_served_as_docx(
    docs: Path, corpus: Path, index_root: Path, reindex
) -> None:
    write_docx(docs / "besluit.pdf", "Besluit woonoverlast Maasboulevard", "Gemeente Schiedam", SECTIONS)
    report = reindex()
    assert report.indexed == ("besluit.pdf",) and not report.failed
    [warning] = report.warnings
    assert warning.path == "besluit.pdf"
    reason = describe(warning.issue)
    assert "heet .pdf, maar is een Word-document" in reason and ".docx" in reason
    client = app_client(corpus, index_root)
    hit = only_hit(client, "woonoverlast")
    with client.get(hit["original_url"]) as original:
        assert original.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert original.headers["Content-Disposition"] == "attachment; filename=besluit.docx"


def test_legacy_doc_named_pdf_is_read_as_word_too(tmp_path: Path) -> None:
    extraction = extract(write_doc(tmp_path / "brief.pdf"))
    assert "Maasboulevard" in extraction.text
    assert "oud Word-document" in describe(extraction.notices[0])
    assert extraction.properties["titel"] == "Besluit over woonoverlast aan de Maasboulevard"


def test_legacy_doc_title_author_and_date_come_from_its_summary_information(tmp_path: Path) -> None:
    """antiword and catdoc read only the text; the properties come from the OLE2 SummaryInformation
    stream, in the file's code page (UTF-8 in the fixture)."""
    properties = extract(write_doc(tmp_path / "brief.doc")).properties
    assert properties["titel"] == "Besluit over woonoverlast aan de Maasboulevard"
    assert properties["bron"] == "Gemeente Schiedam"
    assert properties[TIMESTAMP_KEY] == dt.date(2013, 12, 23), "python-docx's template date, kept by LibreOffice"


def test_legacy_doc_without_its_summary_information_keeps_its_text(tmp_path: Path) -> None:
    path = write_doc(tmp_path / "brief.doc")
    data = path.read_bytes()
    stream_name = "\x05SummaryInformation".encode("utf-16-le")
    path.write_bytes(data.replace(stream_name, "\x05Kapotte-informatie".encode("utf-16-le")))
    extraction = extract(path)
    assert "Maasboulevard" in extraction.text
    assert "titel" not in extraction.properties and "bron" not in extraction.properties


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document xmlns:w="'
    'http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("lachbom.docx", {"word/document.xml": BILLION_LAUGHS}, Problem.CORRUPT),
        ("zonder-tekstdeel.docx", {"word/styles.xml": "<styles/>", "[Content_Types].xml": "<Types/>"}, Problem.CORRUPT),
        (
            "halve-xml.odt",
            {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:"},
            Problem.CORRUPT,
        ),
    ],
)
def test_hostile_office_files_are_reported_with_a_reason(
    tmp_path: Path, name: str, content: dict[str, str], problem: Problem
) -> None:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in content.items():
            archive.writestr(member, data)
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.problem is problem


def test_zip_of_a_version_python_cannot_read_is_reported_as_damaged_and_refused_on_upload(tmp_path: Path) -> None:
    # Found by fuzzing: zipfile raises NotImplementedError for "version needed to extract" 7.1.
    data = bytearray(write_docx(tmp_path / "bron.docx", "Besluit", "Gemeente Schiedam", SECTIONS).read_bytes())
    for entry in re.finditer(re.escape(b"PK\x01\x02"), bytes(data)):
        data[entry.start() + 6 : entry.start() + 8] = (71).to_bytes(2, "little")
    path = tmp_path / "besluit.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.problem is Problem.CORRUPT
    with pytest.raises(UploadRefused, match="zip-archief"):
        check_upload(bytes(data), "besluit.docx")


def test_password_protected_word_file_is_reported_as_protected(tmp_path: Path) -> None:
    # Word keeps a protected .docx in an OLE2 container with an EncryptedPackage stream, not in a ZIP.
    path = tmp_path / "geheim.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.problem is Problem.ENCRYPTED


def mixed_pdf(path: Path, tmp_path: Path) -> Path:
    """Page 1 with a real text layer, page 2 a scan of the letter: a signed decision as archives hold it."""
    writer = PdfWriter()
    writer.append(str(write_pdf(tmp_path / "tekst.pdf", [["Besluit sluiting woning Lijnbaan", "Aanbiedingsbrief"]])))
    writer.append(str(write_scanned_pdf(tmp_path / "scan.pdf", [LETTER])))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_scanned_page_is_read_by_ocr_found_on_its_page_and_marked_as_ocr(
    docs: Path, corpus: Path, index_root: Path, reindex, tmp_path: Path
) -> None:
    mixed_pdf(docs / "besluit-lijnbaan.pdf", tmp_path)
    report = reindex()
    assert report.indexed == ("besluit-lijnbaan.pdf",) and not report.failed
    client = app_client(corpus, index_root)
    hit = only_hit(client, "hennepkwekerij")
    assert hit["pages"] == [2], "found on the scanned page"
    page = soup(client, f"{hit['url']}?q=hennepkwekerij")
    notice = page.select_one(".ocr-notice").get_text(" ")
    assert "pagina 2 is met tekstherkenning (OCR)" in " ".join(notice.split())
    assert (
        "OCR" in page.select_one("#pagina-2 h3").get_text() and "OCR" not in page.select_one("#pagina-1 h3").get_text()
    )
    assert page.select_one("#pagina-2 mark") is not None
    link = page.select_one("p.actions a")["href"]
    assert link.endswith("#page=2"), "the original opens on the page that matched"


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_a_retag_keeps_which_pages_were_read_by_ocr(
    docs: Path, corpus: Path, index_root: Path, reindex, tmp_path: Path
) -> None:
    """A changed theme file re-tags from the stored text; the page still says it was read by OCR."""
    mixed_pdf(docs / "besluit-lijnbaan.pdf", tmp_path)
    reindex()
    add_core_terms(corpus, "zorg-en-veiligheid", "hennepkwekerij", "stankoverlast", "bezwaarschrift", "lijnbaan")
    report = reindex()
    assert report.indexed == (), "re-tagged, not read again"
    assert [change.path for change in report.theme_changes] == ["besluit-lijnbaan.pdf"]
    page = soup(app_client(corpus, index_root), "/document/besluit-lijnbaan")
    assert "pagina 2 is met tekstherkenning (OCR)" in " ".join(page.select_one(".ocr-notice").get_text(" ").split())


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_ocr_reads_a_dutch_scan_with_at_least_95_percent_of_its_words_right(tmp_path: Path) -> None:
    extraction = extract(write_scanned_pdf(tmp_path / "brief.pdf", [LETTER]))
    assert extraction.pages[0].ocr
    accuracy = word_accuracy(" ".join(LETTER), extraction.text)
    assert accuracy >= MIN_WORD_ACCURACY, f"word accuracy {accuracy:.3f}: {extraction.text!r}"


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_ocr_is_cached_by_content_so_a_rebuild_reads_no_scan_again(
    docs: Path, corpus: Path, index_root: Path, reindex
) -> None:
    write_scanned_pdf(docs / "brief.pdf", [LETTER])
    reindex()
    [cached] = (index_root / OCR_CACHE_DIR).iterdir()
    # Change what the cache says the scan holds: only a rebuild that reads the cache can find the new word.
    pages = json.loads(cached.read_text(encoding="utf-8"))
    cached.write_text(json.dumps({number: f"{text} kassabonnetje" for number, text in pages.items()}), "utf-8")
    assert reindex().unchanged == ("brief.pdf",), "an unchanged file is not read at all"
    report = reindex(rebuild=True)
    assert report.indexed == ("brief.pdf",)
    client = app_client(corpus, index_root)
    assert only_hit(client, "kassabonnetje")["id"] == "brief", "the rebuild took the scan's text from the cache"


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_a_long_scan_is_not_cut_off_by_the_limit_for_one_file(docs: Path, reindex) -> None:
    # Reading four pages by OCR takes well over this per-file limit; each page has its own.
    write_scanned_pdf(docs / "brief.pdf", [LETTER, LETTER[:4], LETTER[4:], LETTER])
    report = reindex(limits=Limits(timeout_s=2.0))
    assert report.indexed == ("brief.pdf",), report.failed


def garbled_pdf(path: Path) -> Path:
    """A scan with a text layer of mojibake over it, as a PDF whose fonts lack a map to Unicode gives:
    the page looks right, its text layer is letters shifted by one."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    canvas.drawImage(ImageReader(scanned_page(LETTER)), 0, 0, width=width, height=height)
    text = canvas.beginText(72, height - 72)
    text.setTextRenderMode(3)  # invisible, as an OCR or font layer lies over the image
    for line in LETTER:
        text.textLine("".join(chr(ord(c) + 1) if c.isalpha() else c for c in line))
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_garbled_text_layer_is_read_again_by_ocr(tmp_path: Path) -> None:
    extraction = extract(garbled_pdf(tmp_path / "mojibake.pdf"))
    assert extraction.pages[0].ocr
    assert "hennepkwekerij" in extraction.text and "ifoofqlxflfsjk" not in extraction.text


LOREM = [
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore",
    "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut",
    "aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum",
]


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_a_text_layer_in_an_unknown_language_costs_one_page_of_ocr_and_is_kept(tmp_path: Path) -> None:
    # Three different pages (lines that repeat on every page would be dropped as running headers).
    words = " ".join(LOREM).split()
    pages = [
        [" ".join(words[shift:] + words[:shift])[:100] for shift in (page, page + 5, page + 11)] for page in (0, 1, 2)
    ]
    pdf = write_pdf(tmp_path / "lorem.pdf", pages)
    extraction = extract(pdf, ocr=OcrSettings(cache_dir=tmp_path / "ocr"))
    assert not any(page.ocr for page in extraction.pages) and "consectetur adipiscing" in extraction.text
    [cached] = (tmp_path / "ocr").iterdir()
    assert list(json.loads(cached.read_text(encoding="utf-8"))) == ["1"], "only the first page was read by OCR"


def test_a_real_text_layer_is_not_read_by_ocr(tmp_path: Path) -> None:
    extraction = extract(write_pdf(tmp_path / "rapport.pdf", [LETTER]))
    assert not extraction.pages[0].ocr
    assert word_accuracy(" ".join(LETTER), extraction.text) == 1.0


def test_without_tesseract_a_scan_is_reported_as_before_with_how_to_enable_ocr(corpus: Path, tmp_path: Path) -> None:
    write_scanned_pdf(corpus / "documenten" / "brief.pdf", [LETTER])
    write_docx(corpus / "documenten" / "besluit.docx", "Besluit", "Gemeente Schiedam", SECTIONS)
    # The command as a user runs it, on a PATH without Tesseract (Python's own folder only).
    result = subprocess.run(
        [sys.executable, "-m", "search_app.main", "index", "--corpus", str(corpus), "--index", str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": str(Path(sys.executable).parent)},
    )
    output = result.stdout + result.stderr
    assert "brief.pdf" in output and describe(Issue(Problem.NO_TEXT)) in " ".join(output.split())
    assert "tesseract-ocr-nld" in describe(Issue(Problem.NO_TEXT))
    assert "Traceback" not in output
