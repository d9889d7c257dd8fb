"""The website, served by the production server over real HTTP on loopback."""

from __future__ import annotations

import itertools
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup


def get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def test_home_shows_the_five_themes_with_counts(site: str) -> None:
    status, headers, body = get(site + "/")
    page = BeautifulSoup(body, "html.parser")
    assert status == 200 and page.html["lang"] == "nl"
    cards = page.select(".theme-card")
    assert [card.h3.get_text(strip=True) for card in cards] == [
        "Digitale Veiligheid",
        "Jeugd en Veiligheid",
        "Maatschappelijk Ongenoegen",
        "Mensenhandel",
        "Zorg en Veiligheid",
    ]
    assert all(int(card.select_one(".count").get_text().split()[0]) >= 10 for card in cards)
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_search_shows_hits_with_highlighted_snippets_and_page_links(site: str) -> None:
    status, _, body = get(site + "/zoeken?q=loverboys")
    page = BeautifulSoup(body, "html.parser")
    assert status == 200
    first = page.select_one(".result")
    assert "loverboy" in first.h3.get_text().lower()
    assert first.select_one(".snippet mark")
    page_links = first.select(".pages a")
    assert page_links and all("#page=" in link["href"] for link in page_links)


def test_document_page_and_original_pdf(site: str) -> None:
    status, _, body = get(site + "/document/monitor-mensenhandel-2024")
    page = BeautifulSoup(body, "html.parser")
    assert status == 200 and page.h1.get_text() == "Regionale mensenhandelmonitor 2024"
    original = page.select_one("a.button")["href"]
    status, headers, _ = get(site + original)
    assert status == 200 and headers["Content-Type"] == "application/pdf"


def test_html_originals_are_never_served_as_html(site: str) -> None:
    status, headers, body = get(site + "/bestand/nieuws-bijpraatmoment-wet-parta-praktijk")
    assert "<html" in body.lower(), "the markup arrives as text, to be saved, never rendered"
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "path",
    [
        "/zoeken?q=%22niet+afgesloten",
        "/zoeken?q=&pagina=abc",
        "/zoeken?q=thema:&pagina=-4",
        "/zoeken?q=(((",
        "/zoeken?q=*",
    ],
)
def test_odd_input_never_errors(site: str, path: str) -> None:
    status, _, body = get(site + path)
    assert status == 200, body


def test_unknown_pages_get_a_dutch_404(site: str) -> None:
    for path in ("/document/bestaat-niet", "/bestand/bestaat-niet", "/nergens"):
        status, _, body = get(site + path)
        assert status == 404
        assert "Pagina niet gevonden" in body


def test_document_page_explains_its_themes(site: str) -> None:
    _, _, body = get(site + "/document/factsheet-online-radicalisering-minderjarigen")
    page = BeautifulSoup(body, "html.parser")
    text = page.select_one(".why-themes").get_text(" ", strip=True)
    assert "door de redactie vastgesteld" in text
    assert "Maatschappelijk Ongenoegen" in text and "Jeugd en Veiligheid" in text
    assert "‘radicalisering’:" in text and "in de titel" in text
    levels = [int(heading.name[1]) for heading in page.find_all(re.compile(r"^h[1-6]$"))]
    skipped = [(before, after) for before, after in itertools.pairwise(levels) if after - before > 1]
    assert not skipped, f"a heading level is skipped: {levels}"


def test_every_request_gets_an_access_log_line(site: str, site_log: Path) -> None:
    assert get(site + "/zoeken?q=toegangslogproef")[0] == 200
    line = ""
    for _ in range(100):  # gunicorn writes the line just after the answer; give it a moment
        line = next((line for line in site_log.read_text().splitlines() if "toegangslogproef" in line), "")
        if line:
            break
        time.sleep(0.05)
    assert re.fullmatch(r'127\.0\.0\.1 \[.+\] "GET /zoeken\?q=toegangslogproef HTTP/1\.1" 200 \d+ \d+ms', line), line


def test_reading_the_site_sets_no_cookie_and_the_icon_is_found(site: str) -> None:
    """As the privacy page says: only staff who log in get a cookie."""
    for path in ("/", "/zoeken?q=loverboys", "/thema", "/thema/mensenhandel", "/over/privacy", "/zoeken/atom"):
        status, headers, _ = get(site + path)
        assert status == 200 and "Set-Cookie" not in headers, path
    status, headers, body = get(site + "/favicon.ico")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml") and "<svg" in body
