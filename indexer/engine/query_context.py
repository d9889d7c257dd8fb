"""What the query side knows besides the typed text: the taxonomy's acronyms and theme slugs, and
per index generation the acronyms the documents define."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from indexer.analysis.analyzers import join_acronyms
from indexer.analysis.wordforms import fold, words
from indexer.engine.facet_specs import FACETS
from indexer.themes.taxonomy import Taxonomy


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: `with_corpus` caches per context
class QueryContext:
    """What the query side takes from the taxonomy (acronym pairs, theme slugs) and, per index
    generation, from the documents (the acronyms they define, see `with_corpus`)."""

    by_acronym: dict[str, tuple[str, str]]  # "pga_r" -> ("PGA-R", "Persoonsgerichte Aanpak Radicalisering")
    by_expansion: dict[str, tuple[str, str]]  # "persoonsgerichte aanpak radicalisering" -> same pair
    slugs: dict[str, tuple[str, ...]]  # facet field filtered by slug ("themes") -> known slugs

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> QueryContext:
        pairs = [(acronym.short, acronym.expansion) for theme in taxonomy.themes for acronym in theme.acronyms]
        slugs = {spec.field: spec.slugs(taxonomy) for spec in FACETS if spec.slugs}
        return cls(*_lookups({}, {}, pairs), slugs)

    def with_corpus(self, definitions: tuple[tuple[str, str], ...]) -> QueryContext:
        """This context plus the acronyms the documents define (`acronyms`); the taxonomy's win."""
        return _with_definitions(self, definitions) if definitions else self

    def slugs_matching(self, field: str, value: str) -> list[str]:
        """thema:zorg finds zorg-en-veiligheid: an exact slug, else every slug that starts with it."""
        known = self.slugs.get(field, ())
        if value in known:
            return [value]
        return [slug for slug in known if slug.startswith(value)] or [value]


def acronym_key(short: str) -> str:
    """How the query side looks an acronym up: "PGA-R" -> "pga_r", "RvdK" -> "rvdk"."""
    return fold(join_acronyms(short))


def _lookups(
    by_acronym: dict[str, tuple[str, str]], by_expansion: dict[str, tuple[str, str]], pairs: Iterable[tuple[str, str]]
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Both lookups with each (acronym, long form) pair added where it is not known yet: the first wins."""
    for short, expansion in pairs:
        by_acronym.setdefault(acronym_key(short), (short, expansion))
        by_expansion.setdefault(" ".join(words(expansion)), (short, expansion))
    return by_acronym, by_expansion


@lru_cache(maxsize=8)  # one entry per index generation searched; merging on every request cost 1 ms
def _with_definitions(context: QueryContext, definitions: tuple[tuple[str, str], ...]) -> QueryContext:
    return QueryContext(*_lookups(dict(context.by_acronym), dict(context.by_expansion), definitions), context.slugs)
