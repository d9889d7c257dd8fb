"""Issues travel as data and are worded only where a person reads them: the command line and the
staff overview show the same Dutch sentence for the same file."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from indexer.errors import Issue, Problem, describe
from indexer.indexing.pipeline import run_index
from search_app.staff_report import ITEMS_PER_PAGE, SHOWN_IN_OVERVIEW
from tests import hostile
from tests.builders import add_core_terms, read_by_an_older_version
from tests.test_cli import kennisbank
from tests.test_staff import login, site  # noqa: F401 - `site` is a fixture used below


def test_the_command_line_and_the_staff_overview_give_the_same_reason(site) -> None:  # noqa: F811
    app, corpus, _ = site
    (corpus / "documenten" / "leeg.pdf").write_bytes(b"")
    index = corpus.parent / "index"
    report = run_index(corpus, index)
    assert [(problem.path, problem.issue) for problem in report.failed] == [("leeg.pdf", Issue(Problem.EMPTY))]
    sentence = describe(Issue(Problem.EMPTY))
    assert "voeg het opnieuw toe" in sentence, "the sentence says what to do"

    _, overview = _staff_overview(app)
    shown = [item.get_text(" ", strip=True) for item in overview.select("#rapport-kop ~ ul li")]
    assert f"leeg.pdf : {sentence}" in shown

    # A second run remembers the failure (kept as data) and the command line words it alike.
    result = kennisbank("index", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"MISLUKT    leeg.pdf: {sentence}" in result.stdout.splitlines()


def test_a_long_list_of_failed_files_is_shown_a_page_at_a_time(site) -> None:  # noqa: F811
    """A folder of broken files: the overview shows the first of them and leads to all, page by page,
    each with the reason the command line gives."""
    app, corpus, _ = site
    failing = 130
    for number in range(failing):  # each broken in its own way: the same bytes would be reported as copies
        (corpus / "documenten" / f"kapot-{number:03}.pdf").write_bytes(f"%PDF-1.7\n% kapot {number}\n".encode())
    report = run_index(corpus, corpus.parent / "index")
    said = [f"{problem.path} : {describe(problem.issue)}" for problem in report.failed]
    assert len(said) == failing and said == sorted(said)

    client, overview = _staff_overview(app)
    shown = [item.get_text(" ", strip=True) for item in overview.select(".report-mislukt li")]
    assert shown == said[:SHOWN_IN_OVERVIEW]
    more = overview.select_one(".report-more a")
    assert more.get_text(strip=True) == f"Alle {failing} bekijken"

    first = BeautifulSoup(client.get(more["href"]).data, "html.parser")
    assert first.select_one("h1").get_text(strip=True) == "Bestanden die niet gelezen konden worden"
    assert "130 bestanden uit de indexering van" in first.select_one(".result-count").get_text(" ", strip=True)
    listed = [item.get_text(" ", strip=True) for item in first.select(".report-mislukt li")]
    assert listed == said[:ITEMS_PER_PAGE]
    second = BeautifulSoup(client.get(first.select_one("a[rel=next]")["href"]).data, "html.parser")
    assert second.select_one(".report-mislukt")["start"] == str(ITEMS_PER_PAGE + 1), "numbering goes on"
    listed += [item.get_text(" ", strip=True) for item in second.select(".report-mislukt li")]
    assert listed == said, "every file, once"
    assert second.select_one(".pagination").get_text(" ", strip=True).startswith("Vorige Pagina 2 van 2")

    beyond = client.get(f"{more['href']}?pagina=9")
    assert beyond.status_code == 302 and beyond.headers["Location"].endswith("pagina=2"), "an old link: the last page"
    assert client.get("/beheer/rapport/onbekend").status_code == 404
    empty = BeautifulSoup(client.get("/beheer/rapport/titels").data, "html.parser")
    assert "De indexering meldde hier niets." in empty.get_text(" ", strip=True), "no titles changed"


def _staff_overview(app: Flask) -> tuple[FlaskClient, BeautifulSoup]:
    """A test client of the site, logged in as a staff member, and the staff overview it sees."""
    client = app.test_client()
    login(client)
    return client, BeautifulSoup(client.get("/beheer").data, "html.parser")


def _indexed_with_a_quarrel_between_neighbours(corpus: Path) -> Path:
    """The index of `corpus` with a note about a quarrel between neighbours added, which no theme names."""
    (corpus / "documenten" / "burenruzie.md").write_text(
        "# Burenruzie\n\nEen burenruzie liep hoog op; buurtbemiddeling hielp bij de burenruzie.\n", "utf-8"
    )
    index = corpus.parent / "index"
    run_index(corpus, index)
    return index


def test_a_document_whose_theme_changed_is_listed_on_the_command_line_and_the_staff_overview(site) -> None:  # noqa: F811
    app, corpus, _ = site
    index = _indexed_with_a_quarrel_between_neighbours(corpus)
    add_core_terms(corpus, "zorg-en-veiligheid", "burenruzie", "buurtbemiddeling")

    result = kennisbank("index", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "THEMA      burenruzie.md: geen thema → Zorg en Veiligheid" in result.stdout.splitlines()
    status = kennisbank("status", "--index", str(index)).stdout.splitlines()
    retagged = json.loads(kennisbank("status", "--index", str(index), "--json").stdout)["last_run"]["retagged"]
    assert (
        retagged > 1
        and (
            f"  thema's opnieuw bepaald bij {retagged} documenten, bij 1 veranderde het thema: "
            "de lijst staat in het beheeroverzicht (/beheer)"
        )
        in status
    ), "the status says the last run re-tagged and where to see which documents changed"

    client, overview = _staff_overview(app)
    said = overview.get_text(" ", strip=True)
    assert f"Daarom zijn {retagged} documenten opnieuw ingedeeld uit hun opgeslagen tekst." in said
    assert "Bij 1 document veranderde het thema." in said
    [change] = overview.select(".report-themas li")
    assert change.get_text(" ", strip=True) == "Burenruzie (burenruzie.md): geen thema → Zorg en Veiligheid"
    page = BeautifulSoup(client.get(change.a["href"]).data, "html.parser")
    assert page.select_one("h1").get_text(strip=True).endswith("Burenruzie"), "the link opens the document to check"

    # A later run that changes nothing (or an upload) keeps the list staff were asked to check, dated.
    assert kennisbank("index", "--corpus", str(corpus), "--index", str(index)).returncode == 0
    retag_line = [line for line in kennisbank("status", "--index", str(index)).stdout.splitlines() if "thema's" in line]
    assert retag_line[0].startswith("  bij de indexering van ") and retag_line[0].endswith("(/beheer)"), retag_line
    _, overview = _staff_overview(app)
    headings = [heading.get_text() for heading in overview.select("h3")]
    assert any(text.startswith("Opnieuw ingedeelde documenten bij de indexering van ") for text in headings), headings
    assert [item.get_text(" ", strip=True) for item in overview.select(".report-themas li")] == [
        "Burenruzie (burenruzie.md): geen thema → Zorg en Veiligheid"
    ]


def test_a_title_that_reading_files_again_changed_is_listed_on_the_command_line_and_the_staff_overview(site) -> None:  # noqa: F811
    app, corpus, _ = site
    index = _indexed_with_a_quarrel_between_neighbours(corpus)
    read_by_an_older_version(index, "burenruzie.md", title="burenruzie", themes=("zorg-en-veiligheid",))

    result = kennisbank("index", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    said = result.stdout.splitlines()
    reread = json.loads(kennisbank("status", "--index", str(index), "--json").stdout)["last_run"]["reread"]
    assert (
        reread > 1
        and (
            "Opnieuw gelezen uit de bestanden, omdat deze versie van de Kennisbank bestanden anders leest: "
            f"{reread} documenten, bij 1 veranderde de titel en bij 1 het thema."
        )
        in said
    )
    assert "TITEL      burenruzie.md: burenruzie → Burenruzie" in said
    assert "THEMA      burenruzie.md: Zorg en Veiligheid → geen thema" in said
    status = kennisbank("status", "--index", str(index)).stdout.splitlines()
    assert (
        f"  opnieuw gelezen uit de bestanden (deze versie leest ze anders): {reread} documenten, "
        "bij 1 veranderde de titel en bij 1 het thema: de lijst staat in het beheeroverzicht (/beheer)"
    ) in status

    client, overview = _staff_overview(app)
    text = overview.get_text(" ", strip=True)
    assert f"Daarom zijn {reread} documenten opnieuw gelezen uit hun bestand." in text
    assert "Bij 1 veranderde de titel en bij 1 het thema." in text
    assert [heading.get_text(strip=True) for heading in overview.select("h4")] == [
        "Documenten met een andere titel (1)",
        "Documenten met een ander thema (1)",
    ], "each list says which it is"
    [title] = overview.select(".report-titels li")
    assert title.get_text(" ", strip=True) == "Burenruzie (burenruzie.md): eerder “burenruzie”"
    [theme] = overview.select(".report-themas li")
    assert theme.get_text(" ", strip=True) == "Burenruzie (burenruzie.md): Zorg en Veiligheid → geen thema"
    page = BeautifulSoup(client.get(title.a["href"]).data, "html.parser")
    assert page.select_one("h1").get_text(strip=True).endswith("Burenruzie"), "the link opens the document to check"


def test_a_file_this_version_cannot_read_again_keeps_its_earlier_reading(site) -> None:  # noqa: F811
    """After an upgrade, an unchanged file that this version cannot read (here: not within the time
    limit) loses nothing: its document stays searchable as it was read, and staff are told."""
    app, corpus, _ = site
    hostile.text_bomb(corpus / "documenten" / "traag-rapport.pdf", pages=6)  # some six seconds of reading
    index = corpus.parent / "index"
    assert run_index(corpus, index).indexed == ("traag-rapport.pdf",)
    read_by_an_older_version(index, "traag-rapport.pdf", title="Traag rapport", themes=("mensenhandel",))

    result = kennisbank("index", "--corpus", str(corpus), "--index", str(index), "--timeout", "1")
    assert result.returncode == 0, "nothing failed for good: " + result.stdout
    [kept] = json.loads(kennisbank("status", "--index", str(index), "--json").stdout)["last_run"]["kept"]
    assert kept["path"] == "traag-rapport.pdf" and kept["problem"] == Problem.TIMEOUT.value
    said = result.stdout.splitlines()
    assert f"BEHOUDEN   traag-rapport.pdf: {describe(Issue.from_dict(kept))}" in said
    assert any(line.endswith("(BEHOUDEN).") and "1 bestand kon niet opnieuw worden gelezen" in line for line in said)
    assert said[-1].endswith(", 1 behouden zoals eerder gelezen.")

    client, overview = _staff_overview(app)
    shown = overview.get_text(" ", strip=True)
    assert "Er gaat niets verloren: het document blijft zoals het eerder was gelezen." in shown
    assert [item.get_text(" ", strip=True) for item in overview.select(".report-behouden li")] == [
        f"traag-rapport.pdf : {describe(Issue.from_dict(kept))}"
    ]
    found = json.loads(client.get("/api/zoeken?q=traag+rapport").data)
    assert [hit["title"] for hit in found["hits"]] == ["Traag rapport"], "still searchable, as it was read"
