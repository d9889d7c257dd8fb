"""Edges of the public pages, over real HTTP: a page past the end, an over-long query, the original
of a Markdown document, and hostile links in a dossier's Markdown."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import jsonschema
import pytest
from bs4 import BeautifulSoup
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from indexer.corpus.layout import BUNDLED_CORPUS, DOCUMENTS_DIR, THEMES_DIR, slug_for
from indexer.indexing.pipeline import run_index
from search_app.openapi import OPENAPI
from search_app.params import MAX_QUERY_CHARS
from tests.conftest import TEST_LIMITS, serving


def fetch(url: str) -> tuple[int, str, object, str]:
    """(status, final URL after redirects, headers, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.url, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, url, error.headers, error.read().decode("utf-8", "replace")


def page_of(url: str) -> tuple[str, BeautifulSoup]:
    status, final, _, body = fetch(url)
    assert status == 200, (url, body[:500])
    return final, BeautifulSoup(body, "html.parser")


def validate(instance: dict, schema_name: str) -> None:
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(OPENAPI, DRAFT202012))
    schema = {"$ref": f"urn:openapi#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema, registry=registry).validate(instance)


def test_a_page_past_the_end_leads_to_the_last_page(site: str) -> None:
    _, first = page_of(site + "/zoeken?q=gemeente")
    total = int(first.select_one(".result-count").get_text().split()[0])
    last = -(-total // 10)
    assert last > 1, "the query must give more than one page"
    final, page = page_of(site + "/zoeken?q=gemeente&pagina=99")
    assert parse_qs(urlsplit(final).query)["pagina"] == [str(last)], final
    assert page.select_one(".result-count").get_text().startswith(f"{total} documenten gevonden")
    assert page.select(".results .result"), "the last page shows its hits"
    assert page.select_one(".no-results") is None
    assert page.select_one(".pagination span").get_text() == f"Pagina {last} van {last}"


def test_a_page_past_the_end_of_nothing_is_the_first_page(site: str) -> None:
    final, page = page_of(site + "/zoeken?q=xyzzyquux&pagina=7")
    assert "pagina" not in parse_qs(urlsplit(final).query)
    assert page.select_one(".result-count").get_text().startswith("0 documenten")
    assert page.select_one(".no-results") is not None


def test_the_api_past_the_end_gives_the_last_page(site: str) -> None:
    status, _, _, body = fetch(site + "/api/zoeken?q=gemeente&pagina=99")
    assert status == 200
    data = json.loads(body)
    validate(data, "SearchResponse")
    assert data["page"] == data["last_page"] > 1
    assert data["hits"] and data["next_url"] is None
    assert len(data["hits"]) == data["total"] - (data["last_page"] - 1) * data["page_size"]


LONG_QUERY = "mensenhandel " * 60  # 780 characters


def test_an_over_long_query_is_shortened_and_the_page_says_so(site: str) -> None:
    _, page = page_of(site + "/zoeken?q=" + quote(LONG_QUERY))
    notice = " ".join(note.get_text(" ", strip=True) for note in page.select(".notice"))
    assert f"langer dan {MAX_QUERY_CHARS} tekens" in notice
    assert int(page.select_one(".result-count").get_text().split()[0]) > 0, "the start of it is still searched"
    _, short = page_of(site + "/zoeken?q=mensenhandel")
    assert "tekens" not in " ".join(note.get_text() for note in short.select(".notice"))


def test_the_api_says_when_the_query_was_shortened(site: str) -> None:
    long = json.loads(fetch(site + "/api/zoeken?q=" + quote(LONG_QUERY))[3])
    validate(long, "SearchResponse")
    assert long["query_truncated"] is True
    assert len(long["query"]) <= MAX_QUERY_CHARS and long["query"].endswith("mensenhandel"), "whole words only"
    short = json.loads(fetch(site + "/api/zoeken?q=mensenhandel")[3])
    assert short["query_truncated"] is False and short["query"] == "mensenhandel"


def test_the_original_of_a_markdown_document_is_its_text_without_front_matter(site: str) -> None:
    source = (BUNDLED_CORPUS / DOCUMENTS_DIR / "beleidsstuk-communicatiejaarplan-kennisagenda-var-2026.md").read_text(
        encoding="utf-8"
    )
    assert source.startswith("---\n")
    status, _, headers, body = fetch(site + "/bestand/beleidsstuk-communicatiejaarplan-kennisagenda-var-2026")
    assert status == 200
    assert headers.get_all("Content-Type") == ["text/plain; charset=utf-8"]
    assert body.startswith("# Communicatiejaarplan en kennisagenda VAR 2026")
    assert "samenvatting:" not in body and "---" not in body.splitlines()[0]
    assert body.strip() == source.split("\n---\n", 1)[1].strip()


def test_the_original_of_an_html_document_is_a_plain_text_download(site: str) -> None:
    html_file = sorted((BUNDLED_CORPUS / DOCUMENTS_DIR).glob("*.html"))[0]
    status, _, headers, _ = fetch(site + f"/bestand/{slug_for(html_file.name)}")
    assert status == 200
    assert headers.get_all("Content-Type") == ["text/plain; charset=utf-8"]
    assert headers["Content-Disposition"].startswith("attachment")


HOSTILE_DOSSIER = """---
thema: mensenhandel
titel: "Dossier met links"
begin_hier: []
---
## Links

Lees [de regio](https://www.example.org/regio), [zoeken](/zoeken?q=mensenhandel) of [mail ons](mailto:info@example.org).

Niet: [klik](javascript:alert(1)), [hoofdletters](JaVaScRiPt:alert(2)), [spaties]( javascript:alert(3)),
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==), [vb](vbscript:msgbox(5)) en [verwijzing][kwaad].

![plaatje](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNik+) ![logo](/static/logo.svg)

[kwaad]: javascript:alert(7)
"""


@pytest.fixture
def dossier_site(tmp_path: Path) -> str:
    corpus = tmp_path / "corpus"
    (corpus / DOCUMENTS_DIR).mkdir(parents=True)
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, corpus / THEMES_DIR)
    (corpus / "dossiers").mkdir()
    (corpus / "dossiers" / "mensenhandel.md").write_text(HOSTILE_DOSSIER, encoding="utf-8")
    (corpus / DOCUMENTS_DIR / "notitie.md").write_text("# Notitie\n\nOver mensenhandel in de regio.", encoding="utf-8")
    run_index(corpus, tmp_path / "index", limits=TEST_LIMITS)
    with serving(corpus, tmp_path / "index", tmp_path / "server.log") as base:
        yield base


def test_dossier_links_keep_only_safe_targets(dossier_site: str) -> None:
    _, page = page_of(dossier_site + "/thema/mensenhandel")
    introduction = page.select_one(".introduction")
    links = {link.get_text(): link.get("href") for link in introduction.select("a")}
    assert links["de regio"] == "https://www.example.org/regio"
    assert links["zoeken"] == "/zoeken?q=mensenhandel"
    assert links["mail ons"] == "mailto:info@example.org"
    for text in ("klik", "hoofdletters", "spaties", "data", "vb", "verwijzing"):
        assert links[text] is None, f"the link text stays, its target ({text}) goes"
    sources = {image.get("alt"): image.get("src") for image in introduction.select("img")}
    assert sources == {"plaatje": None, "logo": "/static/logo.svg"}
    for scheme in ("javascript:", "data:", "vbscript:"):
        assert scheme not in str(introduction).lower()
