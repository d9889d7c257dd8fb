"""Sources: the facet lists organisations, `bron:` matches a word of the source, and documents
without a source can be selected as "Onbekend"."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.corpus.sources import organisations
from search_app import create_app

TEXT = "Deze notitie beschrijft de samenwerking tussen partners in de regio bij de aanpak van {}.\n"
DOCUMENTS = {
    "riec-eerst": ("RIEC Rotterdam en VeiligheidsAlliantie regio Rotterdam", "ondermijning"),
    "alliantie-eerst": ("VeiligheidsAlliantie regio Rotterdam en RIEC Rotterdam", "ondermijning"),
    "politie": ("politie eenheid Rotterdam", "woninginbraak"),
    "monitoring": ("VeiligheidsAlliantie regio Rotterdam, team Monitoring", "overlast"),
    "zorg-veiligheidshuis": ("Zorg- en Veiligheidshuis Rotterdam-Rijnmond", "nazorg"),
    "zonder-bron": (None, "overlast"),
}


VAR = "VeiligheidsAlliantie regio Rotterdam"
ZVH = "Zorg- en Veiligheidshuis Rotterdam-Rijnmond"
ESSM = "Expertisecentrum Seksualiteit, Sekswerk en Mensenhandel (ESSM)"


@pytest.mark.parametrize(
    ("source", "expected", "why"),
    [
        (f"RIEC Rotterdam en {VAR}", ("RIEC Rotterdam", VAR), "two publishers"),
        (ZVH, (ZVH,), "'Zorg- en' is one name"),
        (f"{VAR}, team Monitoring", (VAR,), "a team is part of its organisation"),
        (f"CISO-netwerk regio Rotterdam / {VAR}", ("CISO-netwerk regio Rotterdam", VAR), "a slash joins two"),
        (f"{VAR}, in samenwerking met de PMG-gemeenten", (VAR, "PMG-gemeenten"), "a partner, without its article"),
        ("politie eenheid Rotterdam", ("Politie eenheid Rotterdam",), "names start with a capital, as in a list"),
        ("Gemeente Capelle en gemeente Krimpen", ("Gemeente Capelle", "Gemeente Krimpen"), "two municipalities"),
        (f"{ESSM} en {VAR}", (ESSM, VAR), "a known name holds 'en' itself"),
        ("RIEC Rotterdam en riec rotterdam", ("RIEC Rotterdam",), "each organisation once"),
        ("  ", (), "no source, no organisation"),
        ("Onbekend", (), "'unknown' names nobody"),
        ("- / n.v.t.", (), "neither do marks or 'not applicable'"),
    ],
)
def test_a_source_names_its_organisations(source: str, expected: tuple[str, ...], why: str) -> None:
    assert organisations(source) == expected, why


@pytest.fixture
def client(corpus: Path, docs: Path, reindex, index_root: Path):
    for name, (source, topic) in DOCUMENTS.items():
        (docs / f"{name}.txt").write_text(f"Notitie {name}\n\n" + TEXT.format(topic) * 3, encoding="utf-8")
        if source:
            (docs / f"{name}.txt.meta.yaml").write_text(f'bron: "{source}"\n', encoding="utf-8")
    assert reindex().ok
    return create_app({"CORPUS": corpus, "INDEX": index_root, "TESTING": True}).test_client()


def found(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {hit["id"] for hit in response.get_json()["hits"]}


def source_facet(client, url: str) -> dict[str, tuple[str, int]]:
    """value -> (label, count) of the source facet on the search page."""
    soup = BeautifulSoup(client.get(url).data, "html.parser")
    facet = {}
    for item in soup.select("#facet-bron li"):
        label = item.select_one("label")
        count = label.select_one(".count").extract().get_text()
        facet[item.select_one("input")["value"]] = (label.get_text(strip=True), int(count.strip("()")))
    return facet


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bron:RIEC", {"riec-eerst", "alliantie-eerst"}),
        ('bron:"RIEC Rotterdam"', {"riec-eerst", "alliantie-eerst"}),
        ("bron:politie", {"politie"}),
        ("bron:veiligheidshuis", {"zorg-veiligheidshuis"}),
        ("bron:monitoring", {"monitoring"}),
        ("-bron:veiligheidsalliantie", {"politie", "zorg-veiligheidshuis", "zonder-bron"}),
    ],
)
def test_bron_matches_a_word_of_the_source(client, query: str, expected: set[str]) -> None:
    assert found(client, f"/api/zoeken?q={query}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bron:politie woninginbraak ondermijning", {"politie"}),
        ("ondermijning woninginbraak -bron:politie", {"riec-eerst", "alliantie-eerst"}),
    ],
)
def test_bron_still_holds_when_the_words_are_loosened(client, query: str, expected: set[str]) -> None:
    """No document has both words, so any word will do; the filter and the exclusion still hold."""
    assert found(client, f"/api/zoeken?q={query}") == expected


def test_the_source_facet_lists_organisations_and_unknown_sources_as_onbekend(client) -> None:
    facet = source_facet(client, "/zoeken")
    assert facet == {
        "VeiligheidsAlliantie regio Rotterdam": ("VeiligheidsAlliantie regio Rotterdam", 3),
        "RIEC Rotterdam": ("RIEC Rotterdam", 2),
        "Politie eenheid Rotterdam": ("Politie eenheid Rotterdam", 1),
        "Zorg- en Veiligheidshuis Rotterdam-Rijnmond": ("Zorg- en Veiligheidshuis Rotterdam-Rijnmond", 1),
        "(geen)": ("Onbekend", 1),
    }, "one entry per organisation, a document of two counts for both, no blank entry"
    assert found(client, "/api/zoeken?bron=(geen)") == {"zonder-bron"}, "ticking Onbekend selects it"
    assert found(client, "/api/zoeken?bron=RIEC Rotterdam") == {"riec-eerst", "alliantie-eerst"}
    assert found(client, "/api/zoeken?bron=RIEC Rotterdam&bron=Politie eenheid Rotterdam") == {
        "riec-eerst",
        "alliantie-eerst",
        "politie",
    }


def test_a_link_with_a_source_as_written_selects_its_organisations(client) -> None:
    selected = found(client, "/api/zoeken?bron=RIEC Rotterdam en VeiligheidsAlliantie regio Rotterdam")
    assert selected == {"riec-eerst", "alliantie-eerst", "monitoring"}
    assert found(client, "/api/zoeken?bron=politie eenheid Rotterdam") == {"politie"}
