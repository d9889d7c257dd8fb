"""Deciding which themes a document is about: abstain rather than guess.

A theme needs at least one strong term (context words alone, such as "sociale media" or "wapen",
say nothing), several distinct terms and enough weight (more in a long text), and must not be a side
remark next to the document's main theme. A short news item is read as one: a strong term in its
lead, and strong terms said twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from indexer.analysis.wordforms import words
from indexer.models import ThemeMatch
from indexer.themes.tagging.counting import count_terms
from indexer.themes.tagging.rules import RULES
from indexer.themes.tagging.scoring import score
from indexer.themes.tagging.terms import Compiled, ForeignPlaces, compile_taxonomy
from indexer.themes.taxonomy import Taxonomy

Core = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class _Bar:
    """What a theme or a sub-theme must clear."""

    min_score: float
    min_distinct: int
    relative: float
    titled_relative: float


_THEME_BAR = _Bar(
    RULES.min_theme_score, RULES.min_distinct_terms, RULES.relative_to_best, RULES.titled_relative_to_best
)
_SUBTHEME_BAR = _Bar(
    RULES.min_subtheme_score,
    RULES.min_subtheme_distinct_terms,
    RULES.subtheme_relative_to_best,
    RULES.subtheme_relative_to_best,
)


def _distinct_terms(match: ThemeMatch) -> int:
    return len({hit.term for hit in match.hits})


def _in_title(match: ThemeMatch) -> bool:
    return any(hit.location == "titel" for hit in match.hits)


def _has_core(match: ThemeMatch, core: Core) -> bool:
    return any((match.slug, hit.term) in core for hit in match.hits)


def _said_twice(match: ThemeMatch, core: Core) -> bool:
    """Strong terms said twice in all (one said again, or two of them), wherever: a short text saying
    its subject again is no passing word. A strong phrase found with a strong term inside it
    ("gedwongen prostitutie", "prostitutie") is one mention, not two."""
    strong = [hit for hit in match.hits if (match.slug, hit.term) in core]
    phrases = {hit.term: f" {' '.join(words(hit.term))} " for hit in strong}
    mentions = 0
    for hit in strong:
        inside = sum(
            other.count
            for other in strong
            if other.term != hit.term and other.location == hit.location and phrases[hit.term] in phrases[other.term]
        )
        mentions += max(0, hit.count - inside)
    return mentions >= 2


def _said_throughout(match: ThemeMatch, core: Core) -> bool:
    """One strong term said `RULES.repeated_term_count` times or more, wherever."""
    said: dict[str, int] = {}
    for hit in match.hits:
        if (match.slug, hit.term) in core:
            said[hit.term] = said.get(hit.term, 0) + hit.count
    return max(said.values(), default=0) >= RULES.repeated_term_count


def _titled_and_repeated(match: ThemeMatch, core: Core) -> bool:
    """A strong term in the title that the text repeats: how a short news item about one thing says it."""
    titled = {hit.term for hit in match.hits if hit.location == "titel" and (match.slug, hit.term) in core}
    return any(hit.term in titled for hit in match.hits if hit.location != "titel")


@dataclass(frozen=True)
class _Lead:
    """A short text's lead: the themes whose strong terms stand in it, and what else they need."""

    themes: frozenset[str] = frozenset()
    min_score: float = 0.0
    # The strong terms that must be said twice (`_said_twice`) when they are all a theme has: all of
    # them in a short text; in a brief (which is all lead) only those that other news uses in passing
    # (`kort_bericht_herhaald` on a theme or a pairing).
    needing_repetition: Core = frozenset()


def _lead(summary: str, text: str, length: int, compiled: Compiled) -> _Lead:
    """What a short text's lead says; `length` is how many words `text` has."""
    if len(summary.split()) + length > RULES.short_text_words:
        return _Lead()
    body = f"{summary}\n{text}".split()
    if length <= RULES.brief_words:
        lead, minimum, needing_repetition = body, RULES.brief_min_score, compiled.needs_repetition_in_brief
    else:
        lead, minimum, needing_repetition = (
            body[: RULES.short_text_lead_words],
            RULES.short_text_min_score,
            compiled.core,
        )
    # Only which themes have a strong term there matters, not how much they weigh: no `score` needed.
    said = count_terms(" ".join(lead), compiled)
    themes = frozenset(owner for term, owner, _ in said if (owner, term.label) in compiled.core)
    return _Lead(themes, minimum, needing_repetition)


def _repeated_if_needed(match: ThemeMatch, core: Core, needing_repetition: Core) -> bool:
    """A short text whose only strong terms are ones it must repeat is about the theme when it says
    them twice: one stabbing near a young person, named once in a brief, is a report of ordinary crime
    (labelling convention 2). The title counts: a headline naming the young suspect makes youth the point."""
    strong = [hit for hit in match.hits if (match.slug, hit.term) in core]
    return any((match.slug, hit.term) not in needing_repetition for hit in strong) or _said_twice(match, core)


def length_scale(length: int) -> float:
    """How much higher the bar stands for a text of `length` words: every term turns up somewhere in
    a long report, so its passing mentions add up to a score a shorter text only reaches by being about it."""
    if length <= RULES.spread_min_words:
        return 1.0
    return 1.0 + RULES.min_score_per_decade * math.log10(length / RULES.spread_min_words)


def _decide(
    candidates: list[ThemeMatch],
    bar: _Bar,
    core: Core,
    lead: _Lead,
    scale: float = 1.0,
    repetition_suffices: bool = False,
) -> tuple[ThemeMatch, ...]:
    """The candidates that clear `bar`; `repetition_suffices`: the text is no report (at most
    `RULES.spread_min_words` long), so one strong term said throughout is enough."""
    best = max((match.score for match in candidates), default=0.0)

    def clears(match: ThemeMatch) -> bool:
        broad = match.score >= bar.min_score * scale and (
            _distinct_terms(match) >= bar.min_distinct
            or _titled_and_repeated(match, core)
            or (repetition_suffices and _said_throughout(match, core))
        )
        short = (
            match.slug in lead.themes
            and match.score >= lead.min_score
            and _repeated_if_needed(match, core, lead.needing_repetition)
        )
        share = bar.titled_relative if _in_title(match) else bar.relative
        return _has_core(match, core) and (broad or short) and match.score >= share * best

    return tuple(match for match in candidates if clears(match))


def _abroad(title: str, summary: str, text: str, length: int, compiled: Compiled) -> frozenset[str]:
    """The themes about the Netherlands that this text (of `length` words), about elsewhere without a
    Dutch side, is not about."""
    abroad = compiled.abroad
    if not abroad or length > RULES.abroad_max_words:
        return frozenset()
    said = words(f"{title}\n{summary}\n{text}")
    named, joined = set(said), f" {' '.join(said)} "

    def names(foreign: ForeignPlaces) -> bool:
        return any(
            len(place) == 1 or f" {' '.join(place)} " in joined
            for first in named & foreign.places.keys()
            for place in foreign.places[first]
        )

    return frozenset(slug for slug, foreign in abroad.items() if named.isdisjoint(foreign.home) and names(foreign))


def is_administrative(title: str) -> bool:
    """Whether a title is a regulation's that only arranges money or positions (labelling rule 4)."""
    title_words = words(title)
    return (
        bool(title_words)
        and title_words[0] in RULES.regulation_title_starts
        and any(marker in word for word in title_words for marker in RULES.administrative_title_words)
    )


def tag(
    title: str, summary: str, text: str, taxonomy: Taxonomy, evidence: tuple[ThemeMatch, ...] | None = None
) -> tuple[tuple[ThemeMatch, ...], tuple[ThemeMatch, ...]]:
    """Themes and sub-themes a document is about, strongest first, each with its evidence.

    `evidence` is what `score` found for the same document, for callers that show it too and so
    need not score the document twice."""
    if is_administrative(title):
        return (), ()
    compiled = compile_taxonomy(taxonomy)
    length = len(text.split())  # once: a long report's text is a megabyte
    elsewhere = _abroad(title, summary, text, length, compiled)
    if evidence is None:
        evidence = score(title, summary, text, taxonomy)
    candidates = [m for m in evidence if (m.parent or m.slug) not in elsewhere]
    core = compiled.core
    lead = _lead(summary, text, length, compiled)
    themes = _decide(
        [m for m in candidates if m.parent is None],
        _THEME_BAR,
        core,
        lead,
        length_scale(length),
        repetition_suffices=length <= RULES.spread_min_words,
    )
    chosen = {match.slug for match in themes}
    subthemes = _decide([m for m in candidates if m.parent in chosen], _SUBTHEME_BAR, core, _Lead())
    return themes, subthemes
