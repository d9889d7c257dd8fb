"""Introductory dossiers: every theme has one, derived parts follow the index, the PDF bundles it all."""

from __future__ import annotations

import io
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from indexer.corpus.layout import BUNDLED_CORPUS, DOSSIERS_DIR, THEMES_DIR
from indexer.dossiers.texts import load_dossiers
from indexer.errors import describe
from indexer.themes.taxonomy import load_taxonomy
from search_app import create_app
from tests.builders import write_pdf

TAXONOMY = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
DOSSIERS = load_dossiers(BUNDLED_CORPUS / DOSSIERS_DIR)


@pytest.fixture(scope="module")
def client(bundled_index: Path):
    return create_app({"CORPUS": BUNDLED_CORPUS, "INDEX": bundled_index, "TESTING": True}).test_client()


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "html.parser")


def test_every_theme_has_a_real_dossier() -> None:
    assert set(DOSSIERS) == {theme.slug for theme in TAXONOMY.themes}
    for dossier in DOSSIERS.values():
        assert len(dossier.introduction.split()) >= 400, dossier.slug
        assert 5 <= len(dossier.reading_list) <= 10, dossier.slug
        assert all(item.why for item in dossier.reading_list), dossier.slug


@pytest.mark.parametrize("slug", sorted(DOSSIERS))
def test_dossier_has_a_table_of_contents_and_headings_that_never_skip_a_level(client, slug: str) -> None:
    soup = page(client, f"/thema/{slug}")
    toc = soup.select_one("nav.toc")
    targets = [link["href"] for link in toc.select("a")]
    assert targets[:2] == ["#begin-hier", "#introductie"], "the reading list comes first"
    assert all(soup.find(id=target[1:]) for target in targets), "every entry leads to a place on the page"
    intro_headings = soup.select(".introduction h3")
    assert intro_headings, "the introduction's own headings sit one level below 'Introductie'"
    assert [f"#{h['id']}" for h in intro_headings] == [a["href"] for a in toc.select("a[href='#introductie'] + ol a")]
    levels = [int(h.name[1]) for h in soup.select("main h1, main h2, main h3, main h4, main h5, main h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels)), levels


@pytest.mark.parametrize("slug", sorted(DOSSIERS))
def test_dossier_page_renders_all_parts(client, slug: str) -> None:
    soup = page(client, f"/thema/{slug}")
    theme = TAXONOMY.theme(slug)
    assert soup.h1.get_text(strip=True) == DOSSIERS[slug].title
    reading = [a["href"] for a in soup.select(".reading-list li > a")]
    assert reading == [f"/document/{item.doc_id}" for item in DOSSIERS[slug].reading_list], "the file's order"
    assert all(
        "minuten lezen" in li.get_text() or "minuut lezen" in li.get_text() for li in soup.select(".reading-list li")
    )
    assert [h.get_text(strip=True) for h in soup.select(".subtheme h3")] == [sub.name for sub in theme.subthemes]
    terms = [dt.get_text() for dt in soup.select(".glossary dt")]
    assert len(terms) == len(theme.acronyms) + len(theme.glossary)
    assert soup.select(".recent li")
    form = soup.select_one("form.theme-search")
    assert form.select_one("input[name=thema]")["value"] == slug
    assert soup.select_one(f"a[href='/thema/{slug}/dossier.pdf']")


def test_unknown_theme_is_a_404(client) -> None:
    assert client.get("/thema/verkeer").status_code == 404


def test_dossier_pdf_has_bookmarks_in_order_and_the_documents_text(client) -> None:
    with client.get("/thema/mensenhandel/dossier.pdf") as response:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(response.data))
    titles = [item.title for item in reader.outline]
    dossier = DOSSIERS["mensenhandel"]
    assert titles[:3] == ["Introductie", "Begin hier: de leeslijst", "Begrippen"]
    assert len(titles) == 3 + len(dossier.reading_list)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Inhoud" in text and "Begrippen" in text
    assert "meldroutekaart" in text.lower(), "a reading-list PDF is included"
    assert "grenzeloos kwetsbaar" in text.lower(), "an HTML reading-list document is included as text pages"
    first_document = reader.get_destination_page_number(reader.outline[3])
    assert first_document > 2


def test_dossier_pdf_is_cached_until_the_index_changes(client, bundled_index: Path) -> None:
    client.get("/thema/jeugd-en-veiligheid/dossier.pdf").close()
    cached = sorted((bundled_index / "dossier-pdf").glob("jeugd-en-veiligheid-*.pdf"))
    assert len(cached) == 1
    before = cached[0].stat().st_mtime_ns
    client.get("/thema/jeugd-en-veiligheid/dossier.pdf").close()
    assert cached[0].stat().st_mtime_ns == before


def test_new_document_appears_in_its_dossier_and_broken_references_are_reported(tmp_path: Path, reindex) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS / DOSSIERS_DIR, corpus / DOSSIERS_DIR)
    docs = corpus / "documenten"
    write_pdf(
        docs / "factsheet-nieuw-over-loverboys.pdf",
        [
            [
                "Factsheet loverboys en seksuele uitbuiting: signalen van mensenhandel bij minderjarigen. "
                "Slachtoffers van mensenhandel worden geronseld door pooierboys. Meld uitbuiting bij de politie."
            ]
            * 4
        ],
    )
    (docs / "factsheet-nieuw-over-loverboys.pdf.meta.yaml").write_text(
        "titel: Factsheet nieuw over loverboys\nsoort: factsheet\nthemas: [mensenhandel]\n"
        "subthemas: [seksuele-uitbuiting]\ndatum: 2026-10-01\n",
        encoding="utf-8",
    )
    report = reindex()
    broken = [w for w in report.warnings if w.path == "mensenhandel.md"]
    assert len(broken) == len(DOSSIERS["mensenhandel"].reading_list), "none of its documents exist here"
    assert "bestaat niet" in describe(broken[0].issue)
    client = create_app({"CORPUS": corpus, "INDEX": tmp_path / "index", "TESTING": True}).test_client()
    soup = page(client, "/thema/mensenhandel")
    assert "Factsheet nieuw over loverboys" in soup.select_one(".recent").get_text()
    assert "Factsheet nieuw over loverboys" in soup.select_one("#sub-seksuele-uitbuiting").parent.get_text()


def test_dossier_pdf_prints_the_page_numbers_its_contents_promise_and_links_them(client) -> None:
    with client.get("/thema/mensenhandel/dossier.pdf") as response:
        reader = PdfReader(io.BytesIO(response.data))
    contents = reader.pages[1]
    promised = [
        (title, int(page))
        for title, page in re.findall(r"^(.+) · pagina (\d+)$", contents.extract_text(), re.M)
        if title != "Dossier"  # the contents page's own number
    ]
    assert len(promised) == 3 + len(DOSSIERS["mensenhandel"].reading_list)
    printed = {
        number: re.findall(r"Dossier · pagina (\d+)", page.extract_text())
        for number, page in enumerate(reader.pages, start=1)
    }
    assert printed[1] == [], "the cover has no number"
    assert all(found == [str(number)] for number, found in printed.items() if number > 1), "every other page does"

    bookmarks = {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline}
    links = [annotation.get_object() for annotation in contents.get("/Annots", [])]
    targets = [
        next(n for n, page in enumerate(reader.pages, start=1) if page.indirect_reference == link["/Dest"][0])
        for link in links
    ]
    for (title, page), target in zip(promised, targets, strict=True):
        assert bookmarks[title] == page, f"{title}: the contents says page {page}, its bookmark does not"
        assert target == page, f"{title}: its link leads to page {target}, not {page}"


def test_an_html_document_in_the_dossier_pdf_keeps_its_headings_and_lists(client) -> None:
    with client.get("/thema/mensenhandel/dossier.pdf") as response:
        reader = PdfReader(io.BytesIO(response.data))
    last = reader.outline[-1]
    assert last.title.startswith("Congres mensenhandel"), "the HTML news item closes the reading list"
    start = reader.get_destination_page_number(last)
    text = "\n".join(page.extract_text() for page in reader.pages[start:])
    assert "Acht workshops" in text.splitlines(), "a heading stands on a line of its own"
    lines = text.splitlines()
    items = [lines[n + 1] for n, line in enumerate(lines[:-1]) if line == "\x7f"]  # the bullet, as pypdf reads it
    assert any(item.startswith("Van like tot lokaas") for item in items), "its list items are set as a list"
    assert text.count("Grenzeloos kwetsbaar”: jongeren") == 1, "the title is not repeated under itself"


def test_a_rebuilt_index_gets_a_new_dossier_pdf(tmp_path: Path, reindex) -> None:
    """A rebuild starts a new index whose own commit count can equal the old one's: the cached PDF
    must still follow the new index."""
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS / DOSSIERS_DIR, corpus / DOSSIERS_DIR)
    document = corpus / "documenten" / "factsheet-group-violence-intervention-gvi-gemeenten.txt"
    document.parent.mkdir(parents=True, exist_ok=True)
    client = create_app({"CORPUS": corpus, "INDEX": tmp_path / "index", "TESTING": True}).test_client()

    def dossier_text() -> str:
        with client.get("/thema/jeugd-en-veiligheid/dossier.pdf") as response:
            assert response.status_code == 200
            return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)

    document.write_text("Group Violence Intervention: de eerste versie van deze factsheet.", encoding="utf-8")
    reindex()
    assert "eerste versie" in dossier_text()
    document.write_text("Group Violence Intervention: de herziene versie van deze factsheet.", encoding="utf-8")
    reindex(rebuild=True)
    text = dossier_text()
    assert "herziene versie" in text and "eerste versie" not in text
