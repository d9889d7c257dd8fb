"""Scoring every theme by the evidence for it: which terms, where in the document, how spread."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from indexer.analysis.wordforms import words
from indexer.models import TermHit, ThemeMatch
from indexer.themes.tagging.counting import count_terms, neighbourhood
from indexer.themes.tagging.rules import RULES
from indexer.themes.tagging.terms import Term, compile_taxonomy
from indexer.themes.taxonomy import Taxonomy

_LOCATION_WEIGHTS = dict(RULES.location_weights)


def _segments(title: str, summary: str, body_words: list[str]) -> dict[str, str]:
    head = " ".join(body_words[: RULES.begin_words])
    # A summary taken from the text's first paragraph is not said twice.
    if " ".join(summary.split()).removesuffix(" …") in head:
        summary = ""
    return {
        "titel": title,
        "begin": f"{summary}\n{head}",
        "tekst": " ".join(body_words[RULES.begin_words :]),
    }


def score(title: str, summary: str, text: str, taxonomy: Taxonomy) -> tuple[ThemeMatch, ...]:
    """Every theme and sub-theme with any evidence, strongest first, before any decision."""
    compiled = compile_taxonomy(taxonomy)
    evidence: dict[str, list[TermHit]] = defaultdict(list)
    scores: Counter[str] = Counter()
    # A short text's title sets the scene: "Jongen (16) aangehouden" makes its stabbing a youth's.
    body_words = text.split()
    around = neighbourhood(words(title)) if len(body_words) <= RULES.short_text_words else frozenset()
    for location, segment in _segments(title, summary, body_words).items():
        counts: Counter[tuple[Term, str]] = Counter()
        parts: dict[str, set[int]] = defaultdict(set)
        for (term, owner, part), count in count_terms(segment, compiled, around).items():
            counts[term, owner] += count
            parts[owner].add(part)
        spread = location == "tekst" and len(body_words) - RULES.begin_words >= RULES.spread_min_words
        for (term, owner), count in counts.items():
            factor = len(parts[owner]) / RULES.spread_parts if spread else 1.0
            weight = dict(term.weights)[owner] * _LOCATION_WEIGHTS[location]
            scores[owner] += weight * (1.0 + math.log(count)) * factor
            evidence[owner].append(TermHit(term.label, location, count))
    parents = taxonomy.subtheme_parents
    matches = (
        ThemeMatch(slug, round(value, 2), tuple(evidence[slug]), parents.get(slug)) for slug, value in scores.items()
    )
    # Ties by name: the owners of a shared term come out of a set, in an order that changes per process.
    return tuple(sorted(matches, key=lambda match: (-match.score, match.slug)))
