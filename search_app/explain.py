"""Turn the tagger's evidence into Dutch sentences, for the document page and the staff's review step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.backends.stored_documents import matches_from_json
from indexer.models import ThemeMatch

LOCATION_LABELS = {"titel": "in de titel", "begin": "in het begin", "tekst": "verderop in de tekst"}
# Terms shown per theme; the strongest evidence comes first.
MAX_TERMS_SHOWN = 6


@dataclass(frozen=True)
class ThemeReason:
    slug: str
    score: float
    terms: tuple[str, ...]  # "‘mensenhandel’: 3× in de titel, 12× verderop in de tekst"


def theme_reasons(matches: Iterable[ThemeMatch]) -> list[ThemeReason]:
    """One reason per suggested theme: its terms, each with where and how often the text says it."""
    reasons = []
    for match in matches:
        per_term: dict[str, dict[str, int]] = defaultdict(dict)
        for hit in match.hits:
            per_term[hit.term][hit.location] = hit.count
        ranked = sorted(per_term.items(), key=lambda item: -sum(item[1].values()))[:MAX_TERMS_SHOWN]
        terms = tuple(
            f"‘{term}’: " + ", ".join(f"{count}× {LOCATION_LABELS[where]}" for where, count in places.items())
            for term, places in ranked
        )
        reasons.append(ThemeReason(match.slug, match.score, terms))
    return reasons


def stored_theme_reasons(tagging: dict) -> list[ThemeReason]:
    """The reasons of an indexed document, from the `tagging` record its index keeps."""
    return theme_reasons(matches_from_json(tagging.get("themes", [])))
