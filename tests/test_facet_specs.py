"""Every declared facet reaches every place that shows or filters facets: the page, the URL
arguments, the query's filters, the JSON API and its OpenAPI description (real app over HTTP)."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from indexer.engine.facet_specs import FACETS, FacetSpec
from search_app.openapi import OPENAPI


def read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def api(site: str, **args: str) -> dict:
    return json.loads(read(f"{site}/api/zoeken?{urlencode(args)}"))


def test_the_page_shows_every_facet_in_declared_order(site: str) -> None:
    soup = BeautifulSoup(read(f"{site}/zoeken"), "html.parser")
    shown = [(box["id"], box.legend.get_text(strip=True)) for box in soup.select("fieldset.facet")]
    assert shown == [(f"facet-{spec.arg}", spec.title) for spec in FACETS]


def test_the_api_and_its_description_name_every_facet(site: str) -> None:
    parameters = {parameter["name"] for parameter in OPENAPI["paths"]["/api/zoeken"]["get"]["parameters"]}
    assert {spec.arg for spec in FACETS} <= parameters, "OpenAPI describes every facet's URL argument"
    assert set(api(site)["facets"]) == {spec.arg for spec in FACETS}


@pytest.mark.parametrize("spec", FACETS, ids=lambda spec: spec.arg)
def test_a_facet_value_selects_by_url_argument_and_query_filter(site: str, spec: FacetSpec) -> None:
    """A value (the most frequent one, or the newest year) selects exactly the documents it counts,
    whether chosen as URL argument or typed as a filter."""
    option = api(site)["facets"][spec.arg][0]
    chosen = api(site, **{spec.arg: option["value"]})
    assert chosen["selected"] == {spec.arg: [option["value"]]}
    assert chosen["total"] == option["count"], f"{spec.arg}={option['value']}"
    typed = api(
        site, q=f'{spec.arg}:"{option["value"]}"' if " " in option["value"] else f"{spec.arg}:{option['value']}"
    )
    assert typed["total"] >= option["count"] > 0, f"the filter {spec.arg}: finds what the facet counts"
