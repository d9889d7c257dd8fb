"""Search results as the pages and the API show them: labels, counts and the URLs that toggle them.

Templates only loop over these records; every decision about labels and links is made here.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.engine.facet_specs import FACET_BY_FIELD
from indexer.engine.results import NO_VALUE, SearchResults
from indexer.themes.taxonomy import Taxonomy
from search_app.params import SearchRequest, cleared, toggled, url

SEARCH_PATH = "/zoeken"
# Facets with many values show this many, the rest behind "meer".
VISIBLE_VALUES = 8
# Numbered result pages link this many pages either side of the current one.
PAGE_NEIGHBOURS = 2


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
    plural: str  # "bronnen": "Nog 12 bronnen"
    options: tuple[FacetOption, ...]
    visible: int


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def label_for(field_name: str, value: str, taxonomy: Taxonomy) -> str:
    spec = FACET_BY_FIELD[field_name]
    return spec.none_label if value == NO_VALUE else spec.label(value, taxonomy)


def facet_views(
    results: SearchResults, request: SearchRequest, taxonomy: Taxonomy, links: bool = True
) -> tuple[FacetView, ...]:
    """The facets as the pages show them; `links` False leaves out each value's link that toggles it
    (the JSON API has no use for them, and they cost a tenth of its answer's time)."""
    views = []
    for facet in results.facets:
        options = tuple(
            FacetOption(
                value.value,
                label_for(facet.field, value.value, taxonomy),
                value.count,
                value.selected,
                url(SEARCH_PATH, toggled(request, facet.field, value.value)) if links else "",
            )
            for value in facet.values
        )
        if options:
            visible = max(VISIBLE_VALUES, sum(option.selected for option in options))
            spec = FACET_BY_FIELD[facet.field]
            views.append(FacetView(facet.field, spec.arg, spec.title, spec.plural, options, visible))
    return tuple(views)


def chips(request: SearchRequest, taxonomy: Taxonomy) -> tuple[Chip, ...]:
    return tuple(
        Chip(
            f"{FACET_BY_FIELD[field_name].title}: {label_for(field_name, value, taxonomy)}",
            url(SEARCH_PATH, toggled(request, field_name, value)),
        )
        for field_name, values in request.selections.items()
        for value in values
    )


def first_sentence(text: str) -> str:
    """The first sentence of a description: a theme card on the home page stays short (/thema has it all)."""
    head, stop, _ = text.partition(". ")
    return head + "." if stop else text


def theme_counts(results: SearchResults) -> dict[str, int]:
    """How many documents each theme has, from a search's theme facet (the home page, /thema)."""
    facet = next(facet for facet in results.facets if facet.field == "themes")
    return {value.value: value.count for value in facet.values}


def page_numbers(page: int, last_page: int) -> list[int | None]:
    """The page numbers to link: the first, the last and PAGE_NEIGHBOURS either side of this one;
    None where numbers are left out (shown as "…")."""
    wanted = {1, last_page, *range(page - PAGE_NEIGHBOURS, page + PAGE_NEIGHBOURS + 1)}
    numbers: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last_page):
        if number > previous + 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def clear_url(request: SearchRequest) -> str:
    return url(SEARCH_PATH, cleared(request))
