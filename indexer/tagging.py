"""Explainable auto-tagging: which themes is a document about, and why.

One pure function, `tag`, scores every theme by the taxonomy terms found in the title, the
beginning and the body of a document, and keeps the evidence (term, where, how often) for each.
It abstains rather than guess: a theme needs several distinct terms, enough weight, and must not
be a side remark next to the document's main theme. Tuned on the labelled part of the corpus
with `kennisbank evalueer-themas`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from indexer.analysis import fold, stem, words
from indexer.models import TermHit, ThemeMatch
from indexer.taxonomy import Taxonomy

CORE_WEIGHT = 3.0
TERM_WEIGHT = 1.0
LOCATION_WEIGHTS = {"titel": 4.0, "begin": 2.0, "tekst": 1.0}
# The beginning of a document: its summary plus this many words of its text.
BEGIN_WORDS = 350
# Compound matching ("mensenhandel" in "mensenhandelzaken") needs a term of at least this many
# letters and leaves a rest of at least this many letters: short words hide inside too many others.
MIN_COMPOUND_TERM_CHARS = 5
MIN_COMPOUND_REST_CHARS = 3

# Decision thresholds, tuned on the tuning half of the labelled corpus.
MIN_THEME_SCORE = 14.0
MIN_DISTINCT_TERMS = 3
RELATIVE_TO_BEST = 0.3
MIN_SUBTHEME_SCORE = 7.0
MIN_SUBTHEME_DISTINCT_TERMS = 2
SUBTHEME_RELATIVE_TO_BEST = 0.3


@dataclass(frozen=True)
class _Term:
    label: str  # as staff wrote it, shown in the reason
    stems: tuple[str, ...]
    folded: str
    weight: float
    owners: tuple[str, ...]  # theme slug, and the sub-theme slug when it is a sub-theme's term


def _term(label: str, weight: float, owners: tuple[str, ...]) -> _Term | None:
    tokens = words(label)
    if not tokens:
        return None
    return _Term(label, tuple(stem(token) for token in tokens), fold(label), weight, owners)


@dataclass(frozen=True)
class _Compiled:
    single: dict[str, list[_Term]]  # stem -> one-word terms
    phrases: dict[str, list[_Term]]  # first stem -> multi-word terms
    prefixes: dict[str, list[_Term]]  # folded one-word term -> terms, for compound heads
    suffixes: dict[str, list[_Term]]  # stem of one-word term -> terms, for compound tails
    acronyms: list[tuple[re.Pattern[str], _Term]]
    exclusions: tuple[tuple[str, ...], ...]  # stem sequences that never count


_CACHE: dict[str, _Compiled] = {}


def _compile(taxonomy: Taxonomy) -> _Compiled:
    cached = _CACHE.get(taxonomy.fingerprint)
    if cached is not None:
        return cached
    terms: list[_Term] = []
    acronyms: list[tuple[re.Pattern[str], _Term]] = []
    exclusions: list[tuple[str, ...]] = []
    for theme in taxonomy.themes:
        owner = (theme.slug,)
        for label in theme.core_terms:
            terms.append(_term(label, CORE_WEIGHT, owner))
        for label in theme.terms:
            terms.append(_term(label, TERM_WEIGHT, owner))
        for acronym in theme.acronyms:
            if not acronym.signal:
                continue
            terms.append(_term(acronym.expansion, CORE_WEIGHT, owner))
            pattern = re.compile(rf"(?<![\w-]){re.escape(acronym.short)}(?:'s|s)?(?![\w-])")
            acronyms.append((pattern, _Term(acronym.short, (), "", CORE_WEIGHT, owner)))
        for sub in theme.subthemes:
            for label in sub.core_terms:
                terms.append(_term(label, CORE_WEIGHT, (theme.slug, sub.slug)))
            for label in sub.terms:
                terms.append(_term(label, TERM_WEIGHT, (theme.slug, sub.slug)))
        exclusions.extend(tuple(stem(token) for token in words(label)) for label in theme.exclusions)
    compiled = _Compiled(
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        acronyms,
        tuple(e for e in exclusions if e),
    )
    for term in filter(None, terms):
        if len(term.stems) > 1:
            compiled.phrases[term.stems[0]].append(term)
            continue
        compiled.single[term.stems[0]].append(term)
        if len(term.folded) >= MIN_COMPOUND_TERM_CHARS and " " not in term.folded:
            compiled.prefixes[term.folded].append(term)
            compiled.suffixes[term.stems[0]].append(term)
    _CACHE[taxonomy.fingerprint] = compiled
    return compiled


def _mask_exclusions(stems: list[str], tokens: list[str], compiled: _Compiled) -> None:
    """Blank out phrases that look like a term but mean something else ("kernwapens")."""
    for exclusion in compiled.exclusions:
        size = len(exclusion)
        for i in range(len(stems) - size + 1):
            if tuple(stems[i : i + size]) == exclusion or (size == 1 and tokens[i].startswith(exclusion[0])):
                for j in range(i, i + size):
                    stems[j] = tokens[j] = ""


def _compound_terms(token: str, token_stem: str, compiled: _Compiled) -> list[_Term]:
    found: list[_Term] = []
    for cut in range(MIN_COMPOUND_REST_CHARS, len(token) - MIN_COMPOUND_REST_CHARS + 1):
        found.extend(compiled.prefixes.get(token[:cut], ()))
    for cut in range(MIN_COMPOUND_REST_CHARS, len(token_stem) - MIN_COMPOUND_TERM_CHARS + 1):
        found.extend(compiled.suffixes.get(token_stem[cut:], ()))
    return found


def _count_terms(text: str, compiled: _Compiled) -> Counter[_Term]:
    """How often each term occurs in `text`, compounds and phrases included."""
    counts: Counter[_Term] = Counter()
    tokens = words(text)
    stems = [stem(token) for token in tokens]
    _mask_exclusions(stems, tokens, compiled)
    per_token: dict[str, list[_Term]] = {}
    for i, (token, token_stem) in enumerate(zip(tokens, stems, strict=True)):
        if not token:
            continue
        if token not in per_token:
            matched = compiled.single.get(token_stem, []) + _compound_terms(token, token_stem, compiled)
            per_token[token] = list(dict.fromkeys(matched))
        counts.update(per_token[token])
        for phrase in compiled.phrases.get(token_stem, ()):
            if tuple(stems[i : i + len(phrase.stems)]) == phrase.stems:
                counts[phrase] += 1
    for pattern, term in compiled.acronyms:
        hits = len(pattern.findall(text))
        if hits:
            counts[term] += hits
    return counts


def _segments(title: str, summary: str, text: str) -> dict[str, str]:
    body_words = text.split()
    return {
        "titel": title,
        "begin": f"{summary}\n{' '.join(body_words[:BEGIN_WORDS])}",
        "tekst": " ".join(body_words[BEGIN_WORDS:]),
    }


def _decide(
    evidence: dict[str, list[TermHit]],
    scores: dict[str, float],
    min_score: float,
    min_distinct: int,
    relative: float,
    parent: dict[str, str] | None = None,
) -> tuple[ThemeMatch, ...]:
    best = max(scores.values(), default=0.0)
    chosen = [
        ThemeMatch(slug, round(score, 2), tuple(evidence[slug]), parent.get(slug) if parent else None)
        for slug, score in scores.items()
        if score >= min_score and len({hit.term for hit in evidence[slug]}) >= min_distinct and score >= relative * best
    ]
    return tuple(sorted(chosen, key=lambda match: -match.score))


def tag(
    title: str, summary: str, text: str, taxonomy: Taxonomy
) -> tuple[tuple[ThemeMatch, ...], tuple[ThemeMatch, ...]]:
    """Themes and sub-themes a document is about, strongest first, each with its evidence."""
    compiled = _compile(taxonomy)
    evidence: dict[str, list[TermHit]] = defaultdict(list)
    scores: Counter[str] = Counter()
    for location, segment in _segments(title, summary, text).items():
        for term, count in _count_terms(segment, compiled).items():
            contribution = term.weight * LOCATION_WEIGHTS[location] * (1.0 + math.log(count))
            for owner in term.owners:
                scores[owner] += contribution
                evidence[owner].append(TermHit(term.label, location, count))
    parents = taxonomy.subtheme_parents
    themes = _decide(
        evidence,
        {s: v for s, v in scores.items() if s not in parents},
        MIN_THEME_SCORE,
        MIN_DISTINCT_TERMS,
        RELATIVE_TO_BEST,
    )
    chosen = {match.slug for match in themes}
    subthemes = _decide(
        evidence,
        {s: v for s, v in scores.items() if parents.get(s) in chosen},
        MIN_SUBTHEME_SCORE,
        MIN_SUBTHEME_DISTINCT_TERMS,
        SUBTHEME_RELATIVE_TO_BEST,
        parents,
    )
    return themes, subthemes
