"""Turn the tagger's evidence into Dutch sentences, for the document page and the staff's review step."""

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
    """One reason per suggested theme. `matches` are theme matches as plain data, as a document's stored
    `tagging` record keeps them (`dataclasses.asdict` of each): the review step's fresh ones are turned
    into the same, so both pages say it alike."""
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
