"""The JSON API returns what its OpenAPI description promises, on both engines (`conftest.ENGINES`)."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from indexer.backends.config import EngineConfig
from indexer.corpus.layout import BUNDLED_CORPUS
from search_app import create_app
from search_app.openapi import OPENAPI


@pytest.fixture(scope="module")
def client(bundled_engine: tuple[Path, EngineConfig | None]):
    index, engine = bundled_engine
    return create_app({"CORPUS": BUNDLED_CORPUS, "INDEX": index, "ENGINE": engine, "TESTING": True}).test_client()


def validate(instance: dict, schema_name: str) -> None:
    resource = Resource.from_contents(OPENAPI, default_specification=DRAFT202012)
    registry = Registry().with_resource("urn:openapi", resource)
    schema = {"$ref": f"urn:openapi#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema, registry=registry).validate(instance)


@pytest.mark.parametrize(
    "url",
    [
        "/api/zoeken?q=loverboys",
        "/api/zoeken?q=gemeente&thema=mensenhandel&soort=factsheet&soort=monitor",
        "/api/zoeken",
        "/api/zoeken?q=mensehandel",
        "/api/zoeken?q=PGA-R&sorteer=datum&pagina=2",
        "/api/zoeken?q=zwembadrooster",
    ],
)
def test_search_responses_match_the_description(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200 and response.is_json
    validate(response.get_json(), "SearchResponse")


def test_search_api_has_the_same_facets_and_hits_as_the_page(client) -> None:
    data = client.get("/api/zoeken?q=gemeente&thema=mensenhandel").get_json()
    assert data["selected"] == {"thema": ["mensenhandel"]}
    assert all("mensenhandel" in hit["themes"] for hit in data["hits"])
    assert sum(option["count"] for option in data["facets"]["soort"]) == data["total"]
    assert data["next_url"].startswith("/api/zoeken?q=gemeente&thema=mensenhandel&pagina=2")


def test_document_response_matches_the_description(client) -> None:
    response = client.get("/api/document/monitor-mensenhandel-2024")
    validate(response.get_json(), "Document")
    assert response.get_json()["themes"] == [{"slug": "mensenhandel", "label": "Mensenhandel"}]


def test_unknown_document_is_a_json_404_in_dutch(client) -> None:
    response = client.get("/api/document/bestaat-niet")
    assert response.status_code == 404
    validate(response.get_json(), "Error")
    assert "niet gevonden" in response.get_json()["fout"]


def test_the_description_itself_is_served(client) -> None:
    data = client.get("/api/openapi.json").get_json()
    assert data["openapi"].startswith("3.1") and "/api/zoeken" in data["paths"]


@pytest.mark.parametrize(
    ("typed", "word", "title_word"),
    [("mensenh", "mensenhandel", "mensenhandel"), ("meldroute radicali", "meldroute radicalisering", "radicalisering")],
)
def test_suggestions_finish_the_last_word_and_name_matching_documents(
    client, typed: str, word: str, title_word: str
) -> None:
    response = client.get("/api/suggesties", query_string={"q": typed})
    found = response.get_json()
    validate(found, "Suggestions")
    assert found["words"][0] == word, found["words"]
    assert all(suggestion.startswith(typed.rsplit(" ", 1)[0]) for suggestion in found["words"])
    assert found["titles"] and all(hit["url"].startswith("/document/") for hit in found["titles"])
    assert any(title_word in hit["title"].lower() for hit in found["titles"])


@pytest.mark.parametrize("typed", ["", "ab", "*a*", "x" * 5000])
def test_suggestions_for_too_little_or_odd_input_are_empty_not_errors(client, typed: str) -> None:
    response = client.get("/api/suggesties", query_string={"q": typed})
    assert response.status_code == 200
    validate(response.get_json(), "Suggestions")
    assert response.get_json()["words"] == []


def _counts(data: dict, arg: str) -> dict[str, int]:
    return {option["value"]: option["count"] for option in data["facets"][arg]}


@pytest.mark.parametrize("query", ["q=gemeente&", ""])
def test_facets_are_disjunctive_or_within_and_across(client, query: str) -> None:
    """Each facet counts as if its own selection were not made; the other facets' selections hold."""
    everything = client.get(f"/api/zoeken?{query}").get_json()
    one_kind = client.get(f"/api/zoeken?{query}soort=factsheet").get_json()
    two_kinds = client.get(f"/api/zoeken?{query}soort=factsheet&soort=monitor").get_json()
    assert _counts(one_kind, "soort") == _counts(everything, "soort"), "a facet ignores its own selection"
    kinds = _counts(everything, "soort")
    assert one_kind["total"] == kinds["factsheet"] and two_kinds["total"] == kinds["factsheet"] + kinds["monitor"]
    assert sum(_counts(one_kind, "thema").values()) >= one_kind["total"], "other facets count within the selection"
    with_theme = client.get(f"/api/zoeken?{query}soort=factsheet&thema=mensenhandel").get_json()
    assert _counts(with_theme, "thema") == _counts(one_kind, "thema")
    assert with_theme["total"] == _counts(one_kind, "thema")["mensenhandel"]
