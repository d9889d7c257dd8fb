"""Search results as the pages and the API show them: labels, counts and the URLs that toggle them.

Templates only loop over these records; every decision about labels and links is made here.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.facets import NO_VALUE
from indexer.search import SearchResults
from indexer.taxonomy import Taxonomy
from indexer.vocabulary import KINDS
from search_app.params import FIELD_ARGS, SearchRequest, cleared, toggled, url

FACET_TITLES = {"themes": "Thema", "subthemes": "Subthema", "kind": "Soort document", "year": "Jaar", "source": "Bron"}
SEARCH_PATH = "/zoeken"
# Facets with many values show this many, the rest behind "meer".
VISIBLE_VALUES = 8


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # the search with this value toggled


@dataclass(frozen=True)
class FacetView:
    field: str
    arg: str  # URL argument name
    title: str
    options: tuple[FacetOption, ...]
    visible: int


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def label_for(field_name: str, value: str, taxonomy: Taxonomy) -> str:
    if value == NO_VALUE:
        return "Geen thema" if field_name in ("themes", "subthemes") else "Onbekend"
    if field_name in ("themes", "subthemes"):
        return taxonomy.label(value)
    if field_name == "kind":
        return KINDS.get(value, value)
    return value


def facet_views(results: SearchResults, request: SearchRequest, taxonomy: Taxonomy) -> tuple[FacetView, ...]:
    views = []
    for facet in results.facets:
        options = tuple(
            FacetOption(
                value.value,
                label_for(facet.field, value.value, taxonomy),
                value.count,
                value.selected,
                url(SEARCH_PATH, toggled(request, facet.field, value.value)),
            )
            for value in facet.values
        )
        if options:
            visible = max(VISIBLE_VALUES, sum(option.selected for option in options))
            views.append(FacetView(facet.field, FIELD_ARGS[facet.field], FACET_TITLES[facet.field], options, visible))
    return tuple(views)


def chips(request: SearchRequest, taxonomy: Taxonomy) -> tuple[Chip, ...]:
    return tuple(
        Chip(
            f"{FACET_TITLES[field_name]}: {label_for(field_name, value, taxonomy)}",
            url(SEARCH_PATH, toggled(request, field_name, value)),
        )
        for field_name, values in request.selections.items()
        for value in values
    )


def clear_url(request: SearchRequest) -> str:
    return url(SEARCH_PATH, cleared(request))
