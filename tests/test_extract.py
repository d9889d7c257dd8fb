"""Extraction from real files that the tests build: what a reader of the document would see."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import ExtractionError, Problem
from indexer.extract import SUFFIXES, extract
from indexer.extract.ocr import ocr_available
from tests.builders import NEWS_PAGE, encrypt_pdf, truncate, write_image_only_pdf, write_pdf

REPORT_PAGES = [
    ["Regionale monitor mensenhandel 2024", "Samenvatting voor het bestuur"],
    [
        "In 2024 kwamen 212 meldingen binnen, een stijging van 8% ten opzichte van",
        "het jaar daarvoor. De meeste meldingen betroffen arbeidsuitbuiting in de",
        "logistiek en de tuinbouw. Het budget bedroeg € 109.000 voor de ketenregie.",
        "Zorgcoördinatoren van het ESSM begeleidden 64 slachtoffers naar opvang.",
    ],
    [
        "Slachtoffers van criminele uitbuiting zijn vaak jong. De aanpak vraagt infor-",
        "matiedeling tussen gemeente, politie en het zorg-",
        "en veiligheidshuis. Naïeve aannames over ‘vrijwilligheid’ staan herkenning in de weg.",
    ],
]


@pytest.fixture
def report_pdf(tmp_path: Path) -> Path:
    return write_pdf(
        tmp_path / "monitor.pdf",
        REPORT_PAGES,
        header="Monitor mensenhandel 2024",
        footer="VeiligheidsAlliantie",
        title="Regionale monitor mensenhandel 2024",
        author="VAR",
    )


def test_pdf_keeps_text_per_page_with_page_numbers(report_pdf: Path) -> None:
    extraction = extract(report_pdf)
    assert [page.number for page in extraction.pages] == [1, 2, 3]
    assert "212 meldingen" in extraction.pages[1].text
    assert "criminele uitbuiting" in extraction.pages[2].text


def test_pdf_accents_and_euro_survive(report_pdf: Path) -> None:
    text = extract(report_pdf).text
    for word in ("€ 109.000", "Zorgcoördinatoren", "Naïeve", "‘vrijwilligheid’"):
        assert word in text, word


def test_pdf_hyphenation_and_ellipsis(report_pdf: Path) -> None:
    page = extract(report_pdf).pages[2].text
    assert "informatiedeling" in page
    assert "zorg- en veiligheidshuis" in page


def test_pdf_running_header_and_footer_are_removed(report_pdf: Path) -> None:
    for page in extract(report_pdf).pages:
        assert "Monitor mensenhandel 2024" not in page.text
        assert "VeiligheidsAlliantie — pagina" not in page.text


def test_pdf_document_info_becomes_properties(report_pdf: Path) -> None:
    properties = extract(report_pdf).properties
    assert properties["titel"] == "Regionale monitor mensenhandel 2024"
    assert properties["bron"] == "VAR"


def test_two_column_pdf_reads_left_column_before_right(tmp_path: Path) -> None:
    lines = [f"Linkerkolom regel {n} over wijkveiligheid." for n in range(1, 6)]
    lines += [f"Rechterkolom regel {n} over schoolveiligheid." for n in range(1, 6)]
    text = extract(write_pdf(tmp_path / "kolommen.pdf", [lines], columns=2)).text
    assert text.index("Linkerkolom regel 5") < text.index("Rechterkolom regel 1")


def test_long_pdf_is_indexed_whole(tmp_path: Path) -> None:
    pages = [[f"Hoofdstuk {n}: bevindingen over casus {n * 13} in de regio."] for n in range(1, 351)]
    extraction = extract(write_pdf(tmp_path / "lang.pdf", pages))
    assert len(extraction.pages) == 350
    assert "casus 4550" in extraction.pages[-1].text


def test_html_keeps_the_article_and_drops_site_chrome(tmp_path: Path) -> None:
    path = tmp_path / "nieuws.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    extraction = extract(path)
    text = extraction.text
    assert "wijkgerichte aanpak te delen" in text, "inline markup must not split a sentence"
    assert "Een vaste contactpersoon per wijk." in text
    for chrome in (
        "cookies",
        "Agenda",
        "Privacyverklaring",
        "Gerelateerd nieuws",
        "nieuwsbriefteller",
        "color: red",
        "Home › Nieuws",
    ):
        assert chrome not in text, chrome
    assert extraction.properties["titel"] == "Terugblik: netwerkdag weerbare wijken"
    assert str(extraction.properties["datum"]) == "2025-10-02"
    assert extraction.properties["taal"] == "nl"
    assert extraction.properties["samenvatting"].startswith("Professionals uit twaalf gemeenten")


@pytest.mark.parametrize(
    ("html", "title"),
    [
        ("<html><head><title>Alleen titel | Site</title></head><body><p>{body}</p></body></html>", "Alleen titel"),
        ("<html><head><title>Paginatitel</title></head><body><h1>Kop één</h1><p>{body}</p></body></html>", "Kop één"),
    ],
)
def test_html_title_falls_back_to_h1_then_title(tmp_path: Path, html: str, title: str) -> None:
    path = tmp_path / "pagina.html"
    path.write_text(html.format(body="Een alinea met genoeg woorden om als tekst te gelden."), encoding="utf-8")
    assert extract(path).properties["titel"] == title


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            "<html><head><meta charset='windows-1252'></head><body><p>Café één: ideeën over de coördinatie, € 25</p>"
            "</body></html>".encode("cp1252"),
            "Café één: ideeën over de coördinatie, € 25",
        ),
        (
            "\ufeff<html><body><p>Met BOM: coördinatie en financiën</p></body></html>".encode(),
            "coördinatie en financiën",
        ),
    ],
)
def test_html_encodings(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "codering.html"
    path.write_bytes(data)
    assert expected in extract(path).text


def test_markdown_front_matter_with_html_and_markup_removed(tmp_path: Path) -> None:
    path = tmp_path / "training.md"
    path.write_text(
        "---\ntitle: 'Training <em>signaleren</em> van uitbuiting'\ndatum: 2024-03-05\nsoort: trainingsaanbod\n"
        "themas: [mensenhandel]\n---\n# Over deze training\n\nIn deze **training** leert u [signalen](https://x.nl)"
        " herkennen.\n\n- Herkennen\n- Melden\n\n| Dag | Tijd |\n|---|---|\n| dinsdag | 9.00 |\n",
        encoding="utf-8",
    )
    extraction = extract(path)
    assert extraction.properties["titel"] == "Training signaleren van uitbuiting"
    assert str(extraction.properties["datum"]) == "2024-03-05"
    assert extraction.properties["themas"] == ["mensenhandel"]
    text = extraction.text
    assert "In deze training leert u signalen herkennen." in text
    assert "**" not in text and "](" not in text and "---" not in text and "#" not in text
    assert "dinsdag" in text and "|" not in text


def test_plain_text_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "notitie.txt"
    path.write_bytes("Notitie overleg\n\nAfspraken over de coördinatie van de aanpak.".encode("cp1252"))
    extraction = extract(path)
    assert extraction.properties["titel"] == "Notitie overleg"
    assert "coördinatie" in extraction.text


def test_one_table_maps_every_supported_suffix() -> None:
    assert set(SUFFIXES) == {".pdf", ".docx", ".odt", ".doc", ".html", ".htm", ".md", ".markdown", ".txt"}


def _problem(path: Path) -> Problem:
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.path == str(path)
    return caught.value.problem


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_pdf_is_reported_as_corrupt_or_unreadable(report_pdf: Path, tmp_path: Path, fraction: float) -> None:
    broken = truncate(report_pdf, tmp_path / f"afgekapt-{fraction}.pdf", fraction)
    try:
        extraction = extract(broken)
    except ExtractionError as exc:
        assert exc.problem in (Problem.CORRUPT, Problem.NO_TEXT, Problem.NO_TEXT_AFTER_OCR)
    else:
        # pypdf can rebuild a damaged cross-reference table; then whatever it recovers is real text.
        assert extraction.pages


def test_encrypted_pdf_without_password_opens(report_pdf: Path, tmp_path: Path) -> None:
    opened = encrypt_pdf(report_pdf, tmp_path / "leeg-wachtwoord.pdf", user_password="")
    assert "212 meldingen" in extract(opened).text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_pdf_with_password_is_reported(report_pdf: Path, tmp_path: Path, algorithm: str) -> None:
    locked = encrypt_pdf(report_pdf, tmp_path / f"versleuteld-{algorithm}.pdf", "geheim", algorithm)
    assert _problem(locked) is Problem.ENCRYPTED


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("leeg.pdf", b"", Problem.EMPTY),
        ("nep.pdf", b"MZ\x90\x00 dit is een programma, geen pdf" * 10, Problem.CORRUPT),
        ("rommel.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, Problem.CORRUPT),
        ("document.docx", b"PK\x03\x04 word", Problem.CORRUPT),
        ("presentatie.pptx", b"PK\x03\x04 slides", Problem.UNSUPPORTED),
        ("leeg.html", b"<html><body><nav>Menu</nav></body></html>", Problem.NO_CONTENT),
    ],
)
def test_bad_files_are_reported_with_a_reason(tmp_path: Path, name: str, content: bytes, problem: Problem) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _problem(path) is problem


def test_image_only_pdf_without_any_letters_is_reported_as_without_text(tmp_path: Path) -> None:
    # Shapes only: text recognition (installed by scripts/test.sh) finds nothing either.
    expected = Problem.NO_TEXT_AFTER_OCR if ocr_available() else Problem.NO_TEXT
    assert _problem(write_image_only_pdf(tmp_path / "scan.pdf")) is expected


def test_too_large_file_is_refused_before_reading(report_pdf: Path) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(report_pdf, max_bytes=100)
    assert caught.value.problem is Problem.TOO_LARGE
    assert "te groot" in str(caught.value)
