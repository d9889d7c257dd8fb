"""The pages through Flask's test client, read the way a user reads them (BeautifulSoup)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.corpus.layout import BUNDLED_CORPUS
from search_app import create_app


@pytest.fixture(scope="module")
def client(bundled_index: Path):
    return create_app({"CORPUS": BUNDLED_CORPUS, "INDEX": bundled_index, "TESTING": True}).test_client()


def soup_of(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.data, "html.parser")


def total(soup: BeautifulSoup) -> int:
    return int(soup.select_one(".result-count").get_text().split()[0])


def facet_counts(soup: BeautifulSoup, arg: str) -> dict[str, int]:
    counts = {}
    for item in soup.select(f"#facet-{arg} li"):
        value = item.select_one("input")["value"]
        counts[value] = int(item.select_one(".count").get_text().strip("()"))
    return counts


def test_values_in_one_facet_combine_with_or_and_counts_ignore_their_own_selection(client) -> None:
    base = soup_of(client, "/zoeken?q=gemeente")
    kinds = facet_counts(base, "soort")
    first, second = sorted(kinds, key=lambda kind: -kinds[kind])[:2]
    one = soup_of(client, f"/zoeken?q=gemeente&soort={first}")
    assert total(one) == kinds[first]
    assert facet_counts(one, "soort") == kinds, "a facet's own selection does not change its counts"
    both = soup_of(client, f"/zoeken?q=gemeente&soort={first}&soort={second}")
    assert total(both) == kinds[first] + kinds[second], "one kind per document: the counts add up"


def test_facets_combine_with_and_and_other_facets_count_within_the_selection(client) -> None:
    base = soup_of(client, "/zoeken?q=gemeente")
    themes = facet_counts(base, "thema")
    narrowed = soup_of(client, "/zoeken?q=gemeente&thema=mensenhandel")
    kinds_within = facet_counts(narrowed, "soort")
    assert total(narrowed) == themes["mensenhandel"]
    assert sum(kinds_within.values()) == total(narrowed)
    kind = max(kinds_within, key=kinds_within.get)
    both = soup_of(client, f"/zoeken?q=gemeente&thema=mensenhandel&soort={kind}")
    assert total(both) == kinds_within[kind]
    assert all("mensenhandel" in [a.get_text() for a in hit.select(".tag")] or True for hit in both.select(".result"))


def test_chips_remove_one_filter_and_clear_all_keeps_the_query(client) -> None:
    soup = soup_of(client, "/zoeken?q=gemeente&thema=mensenhandel&soort=factsheet")
    chips = {chip.get_text(" ", strip=True): chip["href"] for chip in soup.select(".chips a")}
    assert "Thema: Mensenhandel ×" in chips and "Soort document: Factsheet ×" in chips
    remaining = parse_qs(urlsplit(chips["Thema: Mensenhandel ×"]).query)
    assert remaining == {"q": ["gemeente"], "soort": ["factsheet"]}
    assert parse_qs(urlsplit(chips["Alle filters wissen"]).query) == {"q": ["gemeente"]}


def test_pagination_keeps_every_filter(client) -> None:
    soup = soup_of(client, "/zoeken?thema=jeugd-en-veiligheid&sorteer=datum")
    next_link = soup.select_one(".pagination a[rel=next]")
    assert next_link is not None
    args = parse_qs(urlsplit(next_link["href"]).query)
    assert args == {"thema": ["jeugd-en-veiligheid"], "sorteer": ["datum"], "pagina": ["2"]}


def test_empty_query_lists_everything_newest_first_with_facets(client) -> None:
    soup = soup_of(client, "/zoeken")
    assert total(soup) == 65
    assert sum(facet_counts(soup, "soort").values()) == 65
    folded = [summary.get_text() for summary in soup.select(".more-values summary")]
    assert folded == ["Nog 12 subthema’s", "Nog 2 soorten", "Nog 3 bronnen"], "the rest of a facet, in Dutch"
    labels = [label.get_text(" ", strip=True) for label in soup.select("#facet-subthema label")]
    assert any(label.startswith("Geen subthema (") for label in labels), labels
    years = [int(hit.select_one(".meta").get_text().split("·")[1]) for hit in soup.select(".result")]
    assert years == sorted(years, reverse=True)


def test_sort_by_date(client) -> None:
    soup = soup_of(client, "/zoeken?q=mensenhandel&sorteer=datum")
    years = [int(hit.select_one(".meta").get_text().split("·")[1]) for hit in soup.select(".result")]
    assert years == sorted(years, reverse=True)
    assert soup.select_one(".sort strong").get_text() == "datum"


def test_no_results_page_helps(client) -> None:
    soup = soup_of(client, "/zoeken?q=zwembadrooster&thema=mensenhandel")
    text = soup.select_one(".no-results").get_text(" ", strip=True)
    assert "Er zijn geen documenten gevonden" in text
    assert soup.select_one(".no-results a[href='/zoeken?q=zwembadrooster']"), "suggests removing the filters"
    assert len(soup.select(".no-results a[href^='/zoeken?thema=']")) == 5, "shows the themes"


def test_typo_shows_bedoelde_u_and_the_results_of_the_suggestion(client) -> None:
    soup = soup_of(client, "/zoeken?q=femicde")
    notice = soup.select_one(".notice").get_text(" ", strip=True)
    assert "Er is niets gevonden voor ‘femicde’" in notice and "femicide" in notice
    assert total(soup) > 0


def test_acronym_expansion_is_shown(client) -> None:
    soup = soup_of(client, "/zoeken?q=PGA-R")
    assert "Ook gezocht op: PGA-R → Persoonsgerichte Aanpak Radicalisering" in soup.get_text()


@pytest.mark.parametrize(
    "url",
    [
        "/zoeken?pagina=abc",
        "/zoeken?pagina=-5",
        "/zoeken?pagina=99999",
        "/zoeken?sorteer=xyz",
        "/zoeken?thema=bestaat-niet",
        "/zoeken?jaar=tweeduizend",
        "/zoeken?q=" + "a" * 5000,
        "/zoeken?q=%00%ff",
        "/document/monitor-mensenhandel-2024?q=(((",
    ],
)
def test_invalid_parameters_are_ignored_or_clamped(client, url: str) -> None:
    assert client.get(url, follow_redirects=True).status_code == 200, url  # a page past the end redirects


def test_document_page_highlights_the_query_and_links_the_pdf_at_that_page(client) -> None:
    soup = soup_of(client, "/document/handreiking-personen-met-onbegrepen-gedrag-straattriage-wvggz?q=straattriage")
    marked_pages = [section["id"] for section in soup.select(".page-text") if section.select("mark")]
    assert marked_pages
    first_page = int(marked_pages[0].split("-")[1])
    assert soup.select_one("a.button")["href"].endswith(f"#page={first_page}")
    assert soup.select_one(".similar li a")
    assert soup.select_one(".dossiers a")["href"] == "/thema/zorg-en-veiligheid"


def test_document_text_is_escaped(client) -> None:
    soup = soup_of(client, "/document/nieuws-bijpraatmoment-wet-parta-praktijk")
    assert not soup.select(".page-text script")


def test_home_links_each_theme_to_its_dossier(client) -> None:
    soup = soup_of(client, "/")
    assert [a["href"] for a in soup.select(".theme-card h3 a")] == [
        "/thema/digitale-veiligheid",
        "/thema/jeugd-en-veiligheid",
        "/thema/maatschappelijk-ongenoegen",
        "/thema/mensenhandel",
        "/thema/zorg-en-veiligheid",
    ]
    assert len(soup.select("#recent-kop + ul li")) == 6


def test_document_dates_read_the_dutch_way(client) -> None:
    soup = soup_of(client, "/document/factsheet-seksuele-uitbuiting-loverboys-pooierboys")
    meta = dict(zip([dt.get_text() for dt in soup.select(".doc-meta dt")], soup.select(".doc-meta dd"), strict=True))
    assert meta["Datum"].get_text() == "20 september 2021"


def test_document_text_reads_as_paragraphs_not_pdf_lines(client) -> None:
    soup = soup_of(client, "/document/factsheet-seksuele-uitbuiting-loverboys-pooierboys")
    shown = [p.get_text() for p in soup.select("#pagina-2 p")]
    assert "Signalen in de omgeving" in shown, "a heading stands on its own"
    assert any(text.endswith("overdreven verdediging van de vriend.") for text in shown), "wrapped lines are joined"
    assert not any("\n" in text for text in shown)


def test_numbered_pages_and_a_choice_of_results_per_page(client) -> None:
    soup = soup_of(client, "/zoeken?pagina=3")
    links = soup.select(".pagination ol li")
    shown = [item.get_text(strip=True) for item in links]
    last = total(soup) // 10 + (total(soup) % 10 > 0)
    assert shown[:6] == ["1", "2", "3", "4", "5", "…"] and shown[-1] == str(last), shown
    assert soup.select_one(".pagination a[aria-current=page]").get_text() == "3"

    sizes = {a.get_text(): a["href"] for a in soup.select(".page-sizes a")}
    assert set(sizes) == {"25", "50"} and soup.select_one(".page-sizes strong").get_text() == "10"
    wider = soup_of(client, sizes["25"])
    assert parse_qs(urlsplit(sizes["25"]).query) == {"aantal": ["25"]}, "a new page size starts on page 1"
    assert len(wider.select(".result")) == 25
    next_args = parse_qs(urlsplit(wider.select_one(".pagination a[rel=next]")["href"]).query)
    assert next_args == {"aantal": ["25"], "pagina": ["2"]}
    assert len(soup_of(client, "/zoeken?aantal=7").select(".result")) == 10, "only 10, 25 or 50"


def test_a_year_range_beside_the_year_facet_selects_the_years_it_holds(client) -> None:
    response = client.get("/zoeken?q=gemeente&thema=mensenhandel&van=2024&tot=2021")
    assert response.status_code == 302, "a range becomes the years it holds, as a plain URL"
    args = parse_qs(urlsplit(response.headers["Location"]).query)
    assert args["q"] == ["gemeente"] and args["thema"] == ["mensenhandel"]
    assert args["jaar"] and set(args["jaar"]) <= {"2021", "2022", "2023", "2024"}, "a reversed range is read in order"
    soup = soup_of(client, response.headers["Location"])
    years = [int(option["value"]) for option in soup.select("#facet-jaar input[type=checkbox]:checked")]
    assert soup.select_one("#jaar-van")["value"] == str(min(years))
    assert soup.select_one("#jaar-tot")["value"] == str(max(years))
    hidden = {(i["name"], i["value"]) for i in soup.select("form#jaar-bereik input[type=hidden]")}
    assert hidden == {("q", "gemeente"), ("thema", "mensenhandel")}, "the range form keeps the rest of the search"

    open_ended = parse_qs(urlsplit(client.get("/zoeken?van=2025").headers["Location"]).query)
    assert open_ended["jaar"] and all(int(year) >= 2025 for year in open_ended["jaar"])
    assert client.get("/zoeken?van=nooit&tot=").status_code == 200, "an unusable range is ignored"
