"""What office software leaves in a PDF's properties is not the document's metadata; the text is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader, PdfWriter

from indexer.backends.whoosh.documents import get_document
from indexer.backends.whoosh.store import IndexStore
from tests.builders import write_pdf
from tests.test_staff import login, site, upload  # noqa: F401 - `site` is a fixture used below

FIRST_LINE = "Aanpak woonoverlast in de wijk"
PARAGRAPH = (
    "Deze notitie beschrijft hoe gemeente, politie en woningcorporaties samen optreden tegen "
    "ernstige woonoverlast, en wat bewoners kunnen verwachten."
)
# The day the file was exported to PDF, which is often the day it is uploaded.
EXPORT_DAY = "D:20261205093000+01'00'"


def junk_pdf(path: Path, lines: list[str], **info: str) -> Path:
    """A PDF with `lines` on its first page and document info `info` (/Title, /Subject, ...)."""
    plain = write_pdf(path.with_suffix(".plain.pdf"), [lines])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.add_metadata({f"/{key}": value for key, value in info.items()})
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


@pytest.mark.parametrize(
    ("info", "why"),
    [
        ({"Title": "Microsoft Word - doc1.docx"}, "a Word file name is not a title"),
        ({"Title": "untitled"}, "'untitled' is a placeholder"),
        ({"Title": "Naamloos"}, "'Naamloos' is a placeholder"),
        ({"Title": "Document3"}, "a template name is not a title"),
        ({"Title": "Untitled-1", "Subject": "(unspecified)"}, "'(unspecified)' is not a summary"),
        ({"Subject": "unknown", "Author": "Administrator"}, "an account name is not a source"),
        ({"Subject": "-", "Author": "Microsoft Office User"}, "a dash is not a summary"),
    ],
)
def test_placeholder_properties_are_ignored(docs: Path, reindex, index_root: Path, info: dict, why: str) -> None:
    junk_pdf(docs / "notitie-woonoverlast.pdf", [FIRST_LINE, "", PARAGRAPH], **info)
    assert not reindex().failed
    document = get_document(IndexStore(index_root).open(), "notitie-woonoverlast")
    assert document.title == FIRST_LINE, why
    assert document.summary == PARAGRAPH, why
    assert document.source == "", why


def test_real_properties_are_still_used(docs: Path, reindex, index_root: Path) -> None:
    junk_pdf(
        docs / "notitie.pdf",
        [FIRST_LINE, "", PARAGRAPH],
        Title="Handreiking woonoverlast 2026",
        Subject="Hoe partners samen optreden tegen woonoverlast.",
        Author="Gemeente Schiedam",
    )
    reindex()
    document = get_document(IndexStore(index_root).open(), "notitie")
    assert (document.title, document.summary, document.source) == (
        "Handreiking woonoverlast 2026",
        "Hoe partners samen optreden tegen woonoverlast.",
        "Gemeente Schiedam",
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([FIRST_LINE, "Datum: 14 oktober 2026", PARAGRAPH], dt.date(2026, 10, 14)),
        (
            [FIRST_LINE, "Kenmerk 2019-0042, vervangt de versie van 3 maart 2025", "Datum: 14 oktober 2026"],
            dt.date(2026, 10, 14),
        ),
        ([FIRST_LINE, "Rotterdam, 2 juni 2026", PARAGRAPH], dt.date(2026, 6, 2)),
        ([FIRST_LINE, PARAGRAPH], dt.date(2026, 12, 5)),  # no date in the text: the file's own date
    ],
)
def test_a_date_written_in_the_document_wins_over_the_file_date(
    docs: Path, reindex, index_root: Path, lines: list[str], expected: dt.date
) -> None:
    junk_pdf(docs / "brief.pdf", lines, CreationDate=EXPORT_DAY, ModDate=EXPORT_DAY)
    reindex()
    document = get_document(IndexStore(index_root).open(), "brief")
    assert document.date == expected.isoformat()


def test_the_review_shows_where_each_value_came_from(site, tmp_path: Path) -> None:  # noqa: F811
    app, _, _ = site
    client = app.test_client()
    login(client)
    source = junk_pdf(
        tmp_path / "bron.pdf",
        [FIRST_LINE, "Datum: 14 oktober 2026", "", PARAGRAPH],
        Title="Microsoft Word - doc1.docx",
        Subject="(unspecified)",
        Author="Gemeente Schiedam",
        CreationDate=EXPORT_DAY,
    )
    response = upload(client, [(source.read_bytes(), "doc1.pdf")])
    review = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    assert review.select_one("#titel")["value"] == FIRST_LINE
    assert review.select_one("#datum")["value"] == "2026-10-14"
    assert review.select_one("#samenvatting").get_text() == PARAGRAPH
    origins = {key: review.select_one(f"#{key}-herkomst").get_text() for key in ("titel", "datum", "bron")}
    assert origins == {
        "titel": "Gevonden in: de tekst van het document",
        "datum": "Gevonden in: de tekst van het document",
        "bron": "Gevonden in: de eigenschappen van het bestand",
    }
    assert review.select_one("#titel")["aria-describedby"] == "titel-herkomst"


LETTER_BODY = "Geachte voorzitter, hierbij ontvangt u mijn advies over het wetsvoorstel."


@pytest.mark.parametrize(
    ("lines", "info", "expected", "why"),
    [
        (
            [
                "Pagina 1 van 2",
                "> Retouradres Postbus 20301 2500 EH Den Haag",
                "Aan de Tweede Kamer",
                "Datum 26 januari 2015",
                "Onderwerp Advisering initiatiefwetsvoorstel strafbaarstelling",
                "misbruik van slachtoffers (34 091)",
                "",
                LETTER_BODY,
            ],
            {},
            "Advisering initiatiefwetsvoorstel strafbaarstelling misbruik van slachtoffers (34 091)",
            "a letter's title is its subject line, also where it wraps",
        ),
        (
            ["Speech by the Dutch National Rapporteur on Trafficking in", "Human Beings", "", PARAGRAPH],
            {"Title": r"C:\Documents and Settings\Gebruiker\Bureaublad\toespraak#kw1.wpd"},
            "Speech by the Dutch National Rapporteur on Trafficking in Human Beings",
            "a file path is no title, and a title broken over two lines is one title",
        ),
        (
            [
                "Speech by Corinne Dettmeijer,",
                "Dutch National Rapporteur on Trafficking in Human Beings",
                "",
                "First of all I would like to speak to you today about missing children. It is a",
                "subject that I am confronted with all too often in my work.",
            ],
            {},
            "Speech by Corinne Dettmeijer, Dutch National Rapporteur on Trafficking in Human Beings",
            "running text that wraps onto a line starting with 'subject' is no subject line",
        ),
        (
            ["Trafficking in", "Human Beings", "", "Third report of the Dutch National Rapporteur", "", PARAGRAPH],
            {"Title": "Trafficking in"},
            "Trafficking in Human Beings. Third report of the Dutch National Rapporteur",
            "a title in the file's properties that the cover's title goes on from was cut short",
        ),
        (
            [
                "Mensenhandel",
                "Aanvullende kwantitatieve gegevens",
                "Vierde rapportage van de",
                "Nationaal Rapporteur",
                "A.G. Korvinus (Nationaal Rapporteur Mensenhandel)",
                "",
                PARAGRAPH,
            ],
            {},
            "Mensenhandel. Aanvullende kwantitatieve gegevens. Vierde rapportage van de Nationaal Rapporteur",
            "a cover's title of one word names a series: the lines under it say which report this is",
        ),
        (
            ["Jaarverslag 2025", "Samenvatting", "", PARAGRAPH],
            {},
            "Jaarverslag 2025",
            "one word under a title heads a section",
        ),
        (
            ["Jaarplan 2026", "December 2025", "", PARAGRAPH],
            {},
            "Jaarplan 2026",
            "a month under a title dates the cover",
        ),
        (
            ["Hoofdstuk 1", "Aanpak van woonoverlast", "", PARAGRAPH],
            {},
            "Aanpak van woonoverlast",
            "a section heading names a part of the document, not the document",
        ),
    ],
)
def test_the_title_is_what_a_reader_takes_for_the_title(
    docs: Path, reindex, index_root: Path, lines: list[str], info: dict, expected: str, why: str
) -> None:
    junk_pdf(docs / "brief.pdf", lines, **info)
    assert not reindex().failed
    assert get_document(IndexStore(index_root).open(), "brief").title == expected, why


def test_a_report_is_titled_as_its_colophon_says_to_cite_it(docs: Path, reindex, index_root: Path) -> None:
    """A cover shows the publisher's name in large type and the file's properties may hold the title of
    the template it was made from; the colophon's reference names this report, over more than one line."""
    write_pdf(
        docs / "monitor.pdf",
        [
            ["Expertisecentrum Jeugd en Veiligheid", "Regio Rotterdam", "", "Wapens en jongeren"],
            [
                "Colofon",
                "Referentie: Expertisecentrum Jeugd en Veiligheid (2021). Wapens en jongeren. Een verken-",
                "ning van preventie op school en in de wijk. Rotterdam: Expertisecentrum.",
                "Postbus 1234",
                "3000 AB Rotterdam",
            ],
            [PARAGRAPH],
        ],
        title="Monitor 2019 - Update cijfers",
    )
    write_pdf(
        docs / "advies.pdf",
        [
            [
                "Expertisecentrum Jeugd en Veiligheid",
                "Referentie: EJV/2021/0042",
                "Rotterdam",
                "Onderwerp Advies over het jeugdbeleid",
                "",
                LETTER_BODY,
            ]
        ],
    )
    assert not reindex().failed
    index = IndexStore(index_root).open()
    expected = "Wapens en jongeren. Een verkenning van preventie op school en in de wijk"
    assert get_document(index, "monitor").title == expected
    assert get_document(index, "advies").title == "Advies over het jeugdbeleid", "a letter's reference number"


def test_a_regulation_is_titled_by_its_short_title(docs: Path, reindex, index_root: Path) -> None:
    """As the law database converts them: the long title as a heading without a space, then chapters."""
    (docs / "BWBR0022463.md").write_text(
        "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n"
        "##Wet van 21 juli 2007, houdende regels inzake de verwerking van politiegegevens (Wet politiegegevens)\n\n"
        "## Hoofdstuk 1\n\n### Artikel 1\n\nIn deze wet en de daarop rustende bepalingen wordt verstaan onder "
        "politiegegevens: elk gegeven betreffende een geïdentificeerde of identificeerbare natuurlijke persoon.\n",
        encoding="utf-8",
    )
    assert not reindex().failed
    regulation = get_document(IndexStore(index_root).open(), "bwbr0022463")
    assert regulation.title == "Wet politiegegevens"
    assert regulation.summary.startswith("Wet van 21 juli 2007, houdende regels"), (
        "no heading marks in what people read"
    )


def test_a_regulation_without_its_short_title_in_brackets_is_titled_as_it_says_it_is_cited(
    docs: Path, reindex, index_root: Path
) -> None:
    """Most regulations say how they are cited in a closing article, which annexes may follow; an
    amending article before it that quotes another regulation's does not count."""
    (docs / "BWBR0004318.md").write_text(
        "<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n"
        "##Wet van 20 april 1988, houdende bepalingen betreffende de uitoefening van de vrijheid van godsdienst en "
        "levensovertuiging en van het recht tot vergadering en betoging\n\n"
        "### Artikel 1\n\nDe burgemeester kan voorschriften geven voor een betoging op een openbare plaats.\n\n"
        "### Artikel 11\n\nIn de Gemeentewet wordt na artikel 5 ingevoegd: Deze wet wordt aangehaald als: "
        "Gemeentewet.\n\n"
        "### Artikel 16\n\nDeze wet kan worden aangehaald als: Wet openbare manifestaties.  \n\n"
        "## Bijlage\n\nModel van een kennisgeving van een betoging.\n",
        encoding="utf-8",
    )
    (docs / "eigen-titel.md").write_text(
        "# Wet van 1 januari 2000, houdende regels\n\nDeze wet wordt aangehaald als: Wet voorbeeld.\n", "utf-8"
    )
    (docs / "eigen-titel.md.meta.yaml").write_text("titel: Wet van 1 januari 2000, houdende regels\n", "utf-8")
    amending = (
        "Wet van 28 september 2006 tot wijziging van enige artikelen van de Wet op de beroepen in de individuele "
        "gezondheidszorg (specialistenregisters)"
    )
    (docs / "BWBR0020367.md").write_text(f"##{amending}\n\n### Artikel I\n\nArtikel 14 wordt gewijzigd.\n", "utf-8")
    assert not reindex().failed
    index = IndexStore(index_root).open()
    assert get_document(index, "bwbr0004318").title == "Wet openbare manifestaties"
    assert get_document(index, "bwbr0020367").title == amending, "a subject in brackets is no short title"
    assert get_document(index, "eigen-titel").title == "Wet van 1 januari 2000, houdende regels", "staff's title stays"


# As real files come, each with the kind it must get: a news site's posts, a regulation from the law
# database, a rapporteur's statement, a report named at a compound's end, a regulation named later on, a
# word that starts like "wet" and a plural that doubles its consonant.
KIND_CASES = {
    "bericht.md": (
        '---\nlayout: post\ntitle: "OM wil verdachte bedrijven vaker zelf fraude laten onderzoeken"\n'
        "category: binnenland\n---\n\nHet Openbaar Ministerie wil vaker onderzoeken van bedrijven zelf gebruiken.\n",
        "nieuwsbericht",
    ),
    "blog.md": (
        '---\ntype: post\ntitle: "Tien tips voor een veilig wachtwoord"\nrubrieken:\n  - blogpost\n---\n\n'
        "Kies een lange zin als wachtwoord en gebruik het nergens anders.\n",
        "nieuwsbericht",
    ),
    "BWBR0034925.md": (
        "##Wet van 1 maart 2014, houdende regels over de gemeentelijke verantwoordelijkheid voor preventie, "
        "ondersteuning, hulp en zorg aan jeugdigen en ouders (Jeugdwet)\n\n### Artikel 1\n\nIn deze wet wordt "
        "verstaan onder jeugdige: persoon die de leeftijd van achttien jaar nog niet heeft bereikt.\n",
        "regelgeving",
    ),
    "verklaring.md": (
        "# Statement Nationaal Rapporteur Mensenhandel\n\nDe Nationaal Rapporteur vraagt aandacht voor "
        "slachtoffers van uitbuiting buiten de seksindustrie.\n",
        "overig",
    ),
    "eindrapportage.md": ("# Eindrapportages wijkaanpak\n\nDe wijkaanpak is in drie wijken gevolgd.\n", "rapport"),
    "weten.md": ("# Weten wat werkt bij jeugdcriminaliteit\n\nWat scholen en wijkteams samen kunnen doen.\n", "overig"),
    "plannen.md": ("# Actieplannen van de wijkteams\n\nElk wijkteam schreef een plan voor 2026.\n", "beleidsstuk"),
    "evaluatie.md": ("# Evaluatie Jeugdwet\n\nDrie jaar na de invoering is nagegaan wat gemeenten deden.\n", "rapport"),
}


def test_the_kind_comes_from_a_posts_front_matter_or_a_word_of_the_title_not_a_part_of_one(
    docs: Path, reindex, index_root: Path
) -> None:
    for name, (text, _) in KIND_CASES.items():
        (docs / name).write_text(text, encoding="utf-8")
    assert not reindex().failed
    index = IndexStore(index_root).open()
    kinds = {name: get_document(index, Path(name).stem.lower()).kind for name in KIND_CASES}
    assert kinds == {name: kind for name, (_, kind) in KIND_CASES.items()}
