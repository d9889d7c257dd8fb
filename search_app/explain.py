"""Turn the tagger's stored evidence into Dutch sentences for the document page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

LOCATION_LABELS = {"titel": "in de titel", "begin": "in het begin", "tekst": "verderop in de tekst"}
# Terms shown per theme; the strongest evidence comes first.
MAX_TERMS_SHOWN = 6


@dataclass(frozen=True)
class ThemeReason:
    slug: str
    score: float
    terms: tuple[str, ...]  # "‘mensenhandel’: 3× in de titel, 12× verderop in de tekst"


def theme_reasons(matches: list[dict]) -> list[ThemeReason]:
    """One reason per suggested theme, from the stored `tagging` record of a document."""
    reasons = []
    for match in matches:
        per_term: dict[str, dict[str, int]] = defaultdict(dict)
        for hit in match.get("hits", ()):
            per_term[hit["term"]][hit["location"]] = hit["count"]
        ranked = sorted(per_term.items(), key=lambda item: -sum(item[1].values()))[:MAX_TERMS_SHOWN]
        terms = tuple(
            f"‘{term}’: " + ", ".join(f"{count}× {LOCATION_LABELS[where]}" for where, count in places.items())
            for term, places in ranked
        )
        reasons.append(ThemeReason(match["slug"], match["score"], terms))
    return reasons
