"""Acronyms the documents define themselves: found in the text, kept per index generation, and
searched for like the taxonomy's (the acronym finds its long form and the other way round)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.analysis.acronyms import find_definitions
from indexer.corpus.layout import THEMES_DIR
from indexer.engine.acronym_choice import choose
from search_app import create_app
from search_app.main import warmed_app

FOUND = [
    ("Het advies van de Raad voor de Kinderbescherming (RvdK) volgt.", ("RvdK", "Raad voor de Kinderbescherming")),
    ("De RvdK (Raad voor de Kinderbescherming) adviseert.", ("RvdK", "Raad voor de Kinderbescherming")),
    (
        "Het Regionaal Informatie- en Expertisecentrum (RIEC) Rotterdam",
        ("RIEC", "Regionaal Informatie- en Expertisecentrum"),
    ),
    (
        "het Landelijk Informatie- en Expertisecentrum\n(LIEC) heeft",
        ("LIEC", "Landelijk Informatie- en Expertisecentrum"),
    ),
    ("gegevens van het Centraal Bureau voor de Statistiek (CBS).", ("CBS", "Centraal Bureau voor de Statistiek")),
    ("in het Zorg- en Veiligheidshuis (ZVH) besproken", ("ZVH", "Zorg- en Veiligheidshuis")),
    (
        "het Centraal Orgaan opvang asielzoekers (COA)",
        ("COA", "Centraal Orgaan opvang asielzoekers"),
    ),  # one word skipped
    ("de Persoonsgerichte Aanpak Radicalisering (PGA-R)", ("PGA-R", "Persoonsgerichte Aanpak Radicalisering")),
    ("het Openbaar Ministerie (hierna: OM) en de politie", ("OM", "Openbaar Ministerie")),
    (
        "zoals de AVG (de Algemene Verordening Gegevensbescherming) vraagt",
        ("AVG", "Algemene Verordening Gegevensbescherming"),
    ),
    (
        "Organisation for Economic Co-operation and Development (OECD)",
        ("OECD", "Organisation for Economic Co-operation and Development"),
    ),
]

NOT_FOUND = [
    "De cijfers voor Rotterdam (NL) stijgen.",  # a single word does not define an acronym
    "Dat meldt de gemeente (VNG).",  # the words do not spell it
    "Het OM (Openbaar Ministerie, politie) werkt samen.",  # the brackets hold more than the long form
    "Bibob (Wet bevordering integriteitsbeoordelingen door het openbaar bestuur)",  # a name, not an acronym
    "Volgens de politie (2023) nam het toe.",
    "Raad voor de Kinderbescherming. Daarna (RvdK) niets.",  # a sentence ends between them
    "Raad voor de\n\nKinderbescherming (RvdK)",  # a paragraph ends between them
    "Signalen van seksuele uitbuiting (SU) herkennen.",  # a shorthand for a common phrase, not a name
    "het Centraal Orgaan voor de opvang van alleenstaande asielzoekers (COA)",  # two words skipped
]


@pytest.mark.parametrize(("text", "definition"), FOUND)
def test_definitions_written_either_way_are_found(text: str, definition: tuple[str, str]) -> None:
    assert find_definitions(text) == [definition]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_brackets_that_define_nothing_are_left_alone(text: str) -> None:
    assert find_definitions(text) == []


def test_a_conflicting_acronym_keeps_the_meaning_most_documents_give_or_none() -> None:
    counts = {
        ("IND", "Immigratie- en Naturalisatiedienst"): 3,
        ("IND", "Innovatie Netwerk Drenthe"): 1,
        ("ZM", "Zorgmelding Meldpunt"): 1,
        ("ZM", "Zaak Management"): 1,
        ("RIEC", "Regionaal Informatie- en Expertisecentrum"): 2,
        ("RIEC", "Regionale Informatie- en Expertisecentrum"): 1,  # the same meaning, inflected
        ("ZON", "ZorgOnderzoek Nederland"): 4,  # typed as "zon", it is the sun
        ("OM", "Openbaar Ministerie"): 1,  # a stop word: the index has no "om", so typed as "OM" it is this
    }
    assert choose(counts) == (
        ("IND", "Immigratie- en Naturalisatiedienst"),
        ("OM", "Openbaar Ministerie"),
        ("RIEC", "Regionaal Informatie- en Expertisecentrum"),
    )


MINIMAL_THEME = "slug: jeugd\nnaam: Jeugd\nbeschrijving: Jeugd en gezin.\n"  # no acronyms of its own


@pytest.fixture
def acronym_corpus(corpus: Path, docs: Path) -> Path:
    """A corpus whose taxonomy knows no acronyms: whatever is expanded comes from the documents."""
    for theme_file in (corpus / THEMES_DIR).glob("*.yaml"):
        theme_file.unlink()
    (corpus / THEMES_DIR / "jeugd.yaml").write_text(MINIMAL_THEME, encoding="utf-8")
    (docs / "definitie.md").write_text(
        "# Samenwerking jeugdbescherming\n\nDe Raad voor de Kinderbescherming (RvdK) onderzoekt de situatie "
        "van het gezin en adviseert de rechter over een ondertoezichtstelling.\n",
        encoding="utf-8",
    )
    (docs / "voluit.md").write_text(
        "# Verslag casusoverleg\n\nIn het overleg gaf de Raad voor de Kinderbescherming een toelichting op de "
        "werkwijze bij een zorgmelding.\n",
        encoding="utf-8",
    )
    (docs / "afgekort.md").write_text(
        "# Jaarplan wijkteam\n\nHet wijkteam meldt zorgen over een kind bij de RvdK.\n", encoding="utf-8"
    )
    return corpus


def _search(client, query: str) -> tuple[list[str], str]:
    page = BeautifulSoup(client.get(f"/zoeken?q={query}").data, "html.parser")
    titles = sorted(link.get_text(strip=True) for link in page.select(".result h3 a"))
    notice = " ".join(p.get_text(" ", strip=True) for p in page.select("p.notice"))
    return titles, notice


def test_the_site_expands_the_acronyms_of_the_generation_it_searches(
    acronym_corpus: Path, docs: Path, reindex, index_root: Path
) -> None:
    reindex()
    client = create_app({"CORPUS": acronym_corpus, "INDEX": index_root, "TESTING": True}).test_client()

    titles, notice = _search(client, "RvdK")
    assert titles == ["Jaarplan wijkteam", "Samenwerking jeugdbescherming", "Verslag casusoverleg"]
    assert "Ook gezocht op: RvdK → Raad voor de Kinderbescherming" in notice

    titles, notice = _search(client, "raad voor de kinderbescherming")
    assert "Jaarplan wijkteam" in titles, "the long form finds the document that only has the acronym"
    assert "raad voor de kinderbescherming → RvdK" in notice

    (docs / "definitie.md").unlink()
    reindex()  # the only definition is gone: the running site no longer expands the acronym
    titles, notice = _search(client, "RvdK")
    assert titles == ["Jaarplan wijkteam"]
    assert "Ook gezocht op" not in notice


def test_a_warmed_up_server_process_expands_the_acronyms_a_later_generation_defines(
    acronym_corpus: Path, docs: Path, reindex, index_root: Path
) -> None:
    """A server process lets go of the word lists its tables were made from once it is warmed up
    (`word_lists`); the acronyms of a later generation are chosen from the lists read again."""
    definition = docs / "definitie.md"
    defining_text = definition.read_text(encoding="utf-8")
    definition.unlink()
    reindex()
    client = warmed_app({"CORPUS": acronym_corpus, "INDEX": index_root, "TESTING": True}).test_client()
    titles, notice = _search(client, "RvdK")
    assert titles == ["Jaarplan wijkteam"]
    assert "Ook gezocht op" not in notice

    definition.write_text(defining_text, encoding="utf-8")
    reindex()
    titles, notice = _search(client, "RvdK")
    assert titles == ["Jaarplan wijkteam", "Samenwerking jeugdbescherming", "Verslag casusoverleg"]
    assert "Ook gezocht op: RvdK → Raad voor de Kinderbescherming" in notice


def test_an_acronym_that_is_also_a_common_word_finds_its_long_form_when_typed_in_capitals(
    acronym_corpus: Path, docs: Path, reindex, index_root: Path
) -> None:
    """ "om" is left out of every text as too common, so "OM" can only be found by what it stands for."""
    (docs / "vervolging.md").write_text(
        "# Afspraken met justitie\n\nHet Openbaar Ministerie (OM) beslist over vervolging na een melding.\n",
        encoding="utf-8",
    )
    (docs / "zitting.md").write_text(
        "# Zitting\n\nDe officier van het Openbaar Ministerie eiste een werkstraf.\n", encoding="utf-8"
    )
    reindex()
    client = create_app({"CORPUS": acronym_corpus, "INDEX": index_root, "TESTING": True}).test_client()

    titles, notice = _search(client, "OM")
    assert titles == ["Afspraken met justitie", "Zitting"], "not every document that has the word 'om'"
    assert "Ook gezocht op: OM → Openbaar Ministerie" in notice

    titles, notice = _search(client, "om")
    assert len(titles) == len(list(docs.iterdir())), "typed in lowercase it is the common word: all are listed"
    assert 'Niet gezocht op "om": te gewoon om op te zoeken. Bedoelt u een afkorting, typ die in hoofdletters' in notice

    titles, notice = _search(client, "ME")
    assert 'Niet gezocht op "ME": geen document schrijft deze afkorting voluit' in notice, (
        "no advice to do what was done"
    )
