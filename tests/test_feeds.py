"""Atom feeds per theme and per search: valid Atom that lists the newest documents the page would show."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # the types; parsing goes through defusedxml
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from defusedxml.ElementTree import fromstring

from indexer.corpus.layout import BUNDLED_CORPUS
from search_app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture(scope="module")
def client(bundled_index: Path):
    return create_app({"CORPUS": BUNDLED_CORPUS, "INDEX": bundled_index, "TESTING": True}).test_client()


def feed_of(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    feed = fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.iter(f"{ATOM}entry")):  # what RFC 4287 requires of each
        assert element.findtext(f"{ATOM}id") and element.findtext(f"{ATOM}title")
        assert RFC3339.fullmatch(element.findtext(f"{ATOM}updated")), element.findtext(f"{ATOM}updated")
    return feed


def entry_ids(feed: ET.Element) -> list[str]:
    return [
        urlsplit(entry.findtext(f"{ATOM}id")).path.removeprefix("/document/") for entry in feed.iter(f"{ATOM}entry")
    ]


def test_the_search_page_offers_a_feed_of_the_same_search_newest_first(client) -> None:
    page = BeautifulSoup(client.get("/zoeken?q=loverboys&soort=factsheet&pagina=1").data, "html.parser")
    link = page.find("a", string="Volg deze zoekopdracht")
    assert page.select_one("link[rel=alternate][type='application/atom+xml']")["href"] == link["href"]
    assert parse_qs(urlsplit(link["href"]).query) == {"q": ["loverboys"], "soort": ["factsheet"], "sorteer": ["datum"]}

    feed = feed_of(client, link["href"])
    by_date = client.get("/api/zoeken?q=loverboys&soort=factsheet&sorteer=datum").get_json()
    assert entry_ids(feed) == [hit["id"] for hit in by_date["hits"]], "the documents the search shows, newest first"
    updated = [entry.findtext(f"{ATOM}updated") for entry in feed.iter(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    assert feed.findtext(f"{ATOM}title") == "Kennisbank: loverboys"


def test_every_theme_has_a_feed_linked_from_its_dossier(client) -> None:
    page = BeautifulSoup(client.get("/thema/mensenhandel").data, "html.parser")
    href = page.find("a", string="Volg dit thema")["href"]
    assert href == "/thema/mensenhandel/atom"
    feed = feed_of(client, href)
    assert feed.findtext(f"{ATOM}title") == "Kennisbank: Mensenhandel"
    terms = [{c.get("term") for c in entry.iter(f"{ATOM}category")} for entry in feed.iter(f"{ATOM}entry")]
    assert terms and all("mensenhandel" in found for found in terms)
    assert client.get("/thema/bestaat-niet/atom").status_code == 404
