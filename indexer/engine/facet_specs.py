"""The facets, declared once as data (the Datasette pattern).

The engine counts them (`facets`), the query reads `arg:value` as their filters (`query`), the URL
arguments, the page's headings and value labels (`search_app.params`, `search_app.presenters`) and
the API description (`search_app.openapi`) all come from `FACETS`. Adding a facet is one `FacetSpec`
here plus its index field (`schema`, filled in `records`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexer.corpus.kinds import KINDS
from indexer.corpus.sources import organisations
from indexer.engine.fields import SOURCE_WORDS
from indexer.themes.taxonomy import Taxonomy

# How a facet's values are ordered: most frequent first, or (years) the newest first.
BY_COUNT = "count"
NEWEST_FIRST = "newest"

# A facet value as people read it; the taxonomy names themes.
Labeller = Callable[[str, Taxonomy], str]


def as_written(value: str, _taxonomy: Taxonomy) -> str:
    return value


def theme_name(value: str, taxonomy: Taxonomy) -> str:
    return taxonomy.label(value)


def kind_name(value: str, _taxonomy: Taxonomy) -> str:
    return KINDS.get(value, value)


def theme_slugs(taxonomy: Taxonomy) -> tuple[str, ...]:
    return tuple(theme.slug for theme in taxonomy.themes)


def subtheme_slugs(taxonomy: Taxonomy) -> tuple[str, ...]:
    return tuple(sub.slug for theme in taxonomy.themes for sub in theme.subthemes)


@dataclass(frozen=True)
class FacetSpec:
    field: str  # the index field whose terms are the facet's values
    arg: str  # Dutch URL argument (thema=...) and query filter (thema:...)
    title: str  # the facet's heading on the page
    plural: str  # its values after a number, as the page folds the rest away ("Nog 12 bronnen")
    label: Labeller = as_written
    none_label: str = "Onbekend"  # the label of `facets.NO_VALUE`: documents without a value
    order: str = BY_COUNT
    # The filter `arg:value` takes the value lowercased (as the index holds keywords), or as typed.
    lowercase: bool = True
    # The filter matches these slugs by their start (thema:zorg finds zorg-en-veiligheid).
    slugs: Callable[[Taxonomy], tuple[str, ...]] | None = None
    # The filter matches the words of this field instead of whole values (bron:politie).
    words_field: str | None = None
    # A URL value may name several facet values ("A en B" selects both organisations).
    split: Callable[[str], tuple[str, ...]] | None = None


FACETS = (
    FacetSpec("themes", "thema", "Thema", "thema’s", theme_name, "Geen thema", slugs=theme_slugs),
    FacetSpec("subthemes", "subthema", "Subthema", "subthema’s", theme_name, "Geen subthema", slugs=subtheme_slugs),
    FacetSpec("kind", "soort", "Soort document", "soorten", kind_name),
    FacetSpec("year", "jaar", "Jaar", "jaren", order=NEWEST_FIRST, lowercase=False),
    FacetSpec("source", "bron", "Bron", "bronnen", words_field=SOURCE_WORDS, split=organisations),
)
FACET_BY_FIELD = {spec.field: spec for spec in FACETS}
