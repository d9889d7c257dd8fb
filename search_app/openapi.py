"""The OpenAPI description of the JSON API; the tests validate real responses against it."""

from __future__ import annotations

from indexer.engine.facet_specs import FACETS
from search_app.params import MAX_QUERY_CHARS, PAGE_SIZES

_STRING_LIST = {"type": "array", "items": {"type": "string"}}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _record(properties: dict) -> dict:
    """An object with exactly these properties, every one always present."""
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


HIT = _record(
    {
        "id": {"type": "string"},
        "path": {"type": "string", "description": "Pad van het bestand binnen het corpus."},
        "title": {"type": "string"},
        "kind": {"type": "string", "description": "Soort document, bijvoorbeeld factsheet of handreiking."},
        "themes": _STRING_LIST,
        "subthemes": _STRING_LIST,
        "year": {"type": ["integer", "null"]},
        "source": {"type": "string"},
        "summary": {"type": "string"},
        "score": {"type": "number"},
        "pages": {
            "type": "array",
            "items": {"type": "integer"},
            "description": "Pagina's waarop de zoekvraag voorkomt.",
        },
        "best_page": {"type": ["integer", "null"]},
        "snippet": {"type": "string", "description": "Veilige HTML: tekst ge-escaped, zoektermen in <mark>."},
        "page_count": {"type": "integer"},
        "url": {"type": "string"},
        "original_url": {"type": "string", "description": "Het originele bestand; voeg #page=N toe voor een PDF."},
    }
)

FACET_OPTION = _record(
    {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "selected": {"type": "boolean"},
    }
)

SEARCH_RESPONSE = _record(
    {
        "query": {"type": "string"},
        "query_truncated": {
            "type": "boolean",
            "description": f"De zoekvraag was langer dan {MAX_QUERY_CHARS} tekens; gezocht is op het begin "
            "ervan, tot en met het laatste hele woord. Dat begin staat in `query`.",
        },
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1},
        "last_page": {"type": "integer", "minimum": 1},
        "sort": {"type": "string", "enum": ["relevantie", "datum"]},
        "next_url": _NULLABLE_STRING,
        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {
            "type": "object",
            "description": "Per facet de waarden met aantallen; de aantallen van een facet gelden alsof "
            "de eigen selectie van die facet er niet is.",
            "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/FacetOption"}},
        },
        "selected": {"type": "object", "additionalProperties": _STRING_LIST},
        "suggestion": {**_NULLABLE_STRING, "description": "‘Bedoelde u’: de zoekvraag met verbeterde spelling."},
        "corrected": {"type": "boolean", "description": "De resultaten zijn die van de suggestie."},
        "relaxed": {"type": "boolean", "description": "Niet alle woorden kwamen samen voor."},
        "expansions": {**_STRING_LIST, "description": "Ook gezocht op: afkortingen en hun voluit."},
        "notes": {**_STRING_LIST, "description": "Hoe de zoekvraag is gelezen: weggelaten of ingekorte zoekwoorden."},
    }
)

THEME_REF = _record({"slug": {"type": "string"}, "label": {"type": "string"}})

DOCUMENT = _record(
    {
        "id": {"type": "string"},
        "path": {"type": "string"},
        "title": {"type": "string"},
        "kind": {"type": "string"},
        "themes": {"type": "array", "items": {"$ref": "#/components/schemas/ThemeRef"}},
        "subthemes": {"type": "array", "items": {"$ref": "#/components/schemas/ThemeRef"}},
        "themes_curated": {"type": "boolean", "description": "Thema's vastgesteld door de redactie."},
        "suggested_themes": {
            "type": "array",
            "items": _record({"slug": {"type": "string"}, "score": {"type": "number"}, "reasons": _STRING_LIST}),
        },
        "year": {"type": ["integer", "null"]},
        "date": {**_NULLABLE_STRING, "format": "date"},
        "source": {"type": "string"},
        "language": {"type": "string"},
        "summary": {"type": "string"},
        "page_count": {"type": "integer"},
        "word_count": {"type": "integer"},
        "url": {"type": "string"},
        "original_url": {"type": "string"},
    }
)

ERROR = _record({"fout": {"type": "string", "description": "Wat er misging en wat u kunt doen, in het Nederlands."}})


def _array_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    }


SUGGESTIONS = _record(
    {
        "words": {"type": "array", "items": {"type": "string"}},
        "titles": {
            "type": "array",
            "items": _record({"title": {"type": "string"}, "url": {"type": "string"}}),
        },
    }
)

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Kennisbank VeiligheidsAlliantie regio Rotterdam",
        "version": "1.0.0",
        "description": "Zoeken in de kennisbank: dezelfde zoekvragen, filters en aantallen als de website.",
    },
    "paths": {
        "/api/zoeken": {
            "get": {
                "summary": "Zoeken met facetten",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": 'Zoekvraag: woorden, "zinnen", -uitsluiten, OR, voorvoeg*, thema:, jaar:.',
                    },
                    *(
                        _array_parameter(spec.arg, f"Filter op {spec.arg}; meerdere waarden combineren met OF.")
                        for spec in FACETS
                    ),
                    {
                        "name": "sorteer",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["relevantie", "datum"]},
                    },
                    {
                        "name": "pagina",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1},
                        "description": "Paginanummer; voorbij de laatste pagina komt de laatste pagina terug.",
                    },
                    {
                        "name": "aantal",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "enum": list(PAGE_SIZES)},
                        "description": "Resultaten per pagina; een andere waarde geeft het standaardaantal.",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "Resultaten",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}},
                    },
                },
            }
        },
        "/api/suggesties": {
            "get": {
                "summary": "Suggesties tijdens het typen",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "Wat tot nu toe is getypt; het laatste woord wordt afgemaakt.",
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Afgemaakte zoekvragen en titels van passende documenten",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestions"}}},
                    }
                },
            }
        },
        "/api/document/{id}": {
            "get": {
                "summary": "Metadata van één document",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "Het document",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}},
                    },
                    "404": {
                        "description": "Onbekend document",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Hit": HIT,
            "FacetOption": FACET_OPTION,
            "SearchResponse": SEARCH_RESPONSE,
            "ThemeRef": THEME_REF,
            "Document": DOCUMENT,
            "Error": ERROR,
            "Suggestions": SUGGESTIONS,
        }
    },
}
