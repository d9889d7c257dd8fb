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

from indexer.lexicon import MAX_COMPOUND_CHARS
from indexer.models import TermHit, ThemeMatch
from indexer.taxonomy import Taxonomy
from indexer.wordforms import fold, stem, words

CORE_WEIGHT = 3.0
TERM_WEIGHT = 1.0
LOCATION_WEIGHTS = {"titel": 4.0, "begin": 2.0, "tekst": 1.0}
# The beginning of a document: its summary plus this many words of its text.
BEGIN_WORDS = 350
# Compound matching ("mensenhandel" in "mensenhandelzaken") needs a term of at least this many
# letters and leaves a rest of at least this many letters: short words hide inside too many others.
MIN_COMPOUND_TERM_CHARS = 5
MIN_COMPOUND_REST_CHARS = 3
# Spread: in a long text, body evidence weighs by the share of its tenths that hold any of the
# theme's terms (a report about the theme versus a law with one article that mentions it).
SPREAD_PARTS = 10
SPREAD_MIN_WORDS = 3000

# Decision thresholds, tuned on the tuning half of the labelled corpus.
MIN_THEME_SCORE = 14.0
MIN_DISTINCT_TERMS = 3
# A second theme must weigh this share of the main theme's score; a theme named in the title
# (a document about "online radicalisering van minderjarigen") needs only the smaller share.
RELATIVE_TO_BEST = 0.35
TITLED_RELATIVE_TO_BEST = 0.12
# A short text (a news item) about one thing names it in its lead and repeats it: a strong term
# used so is enough there, at a lower score.
SHORT_TEXT_WORDS = 300
SHORT_TEXT_LEAD_WORDS = 30
SHORT_TEXT_MIN_SCORE = 10.0
MIN_SUBTHEME_SCORE = 7.0
MIN_SUBTHEME_DISTINCT_TERMS = 2
SUBTHEME_RELATIVE_TO_BEST = 0.3
# Raise when a change to the rules above or below changes which themes a document gets: the next
# `kennisbank index` then tags every indexed document again.
TAGGER_VERSION = 1


@dataclass(frozen=True)
class _Term:
    label: str  # as staff wrote it, shown in the reason
    stems: tuple[str, ...]
    folded: str
    weights: tuple[tuple[str, float], ...]  # (theme or sub-theme slug, weight) for every owner


class _TermTable:
    """Collects taxonomy terms; a term listed in several places counts once per owner."""

    def __init__(self) -> None:
        self._labels: dict[tuple[str, ...], str] = {}
        self._weights: dict[tuple[str, ...], dict[str, float]] = defaultdict(dict)

    def add(self, label: str, weight: float, *owners: str) -> None:
        stems = tuple(stem(token) for token in words(label))
        if not stems:
            return
        self._labels.setdefault(stems, label)
        for owner in owners:
            self._weights[stems][owner] = max(weight, self._weights[stems].get(owner, 0.0))

    def terms(self) -> list[_Term]:
        return [
            _Term(label, stems, fold(label), tuple(self._weights[stems].items()))
            for stems, label in self._labels.items()
        ]


@dataclass(frozen=True)
class _Exclusions:
    """One theme's exclusions, arranged for a single pass over a text."""

    words: frozenset[str]  # stems of one-word exclusions
    prefixes: tuple[str, ...]  # the same, as prefixes of a word ("kernwapen" also in "kernwapens")
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # first stem -> multi-word exclusions
    longest: int  # words in the longest exclusion

    @classmethod
    def of(cls, labels: tuple[str, ...]) -> _Exclusions:
        sequences = [tuple(stem(token) for token in words(label)) for label in labels]
        single = [sequence[0] for sequence in sequences if len(sequence) == 1]
        phrases: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for sequence in sequences:
            if len(sequence) > 1:
                phrases[sequence[0]].append(sequence)
        longest = max((len(sequence) for sequence in sequences), default=1)
        return cls(frozenset(single), tuple(single), {first: tuple(found) for first, found in phrases.items()}, longest)


@dataclass(frozen=True)
class _Compiled:
    single: dict[str, list[_Term]]  # stem -> one-word terms
    phrases: dict[str, list[_Term]]  # first stem -> multi-word terms
    prefixes: dict[str, list[_Term]]  # folded one-word term -> terms, for compound heads
    suffixes: dict[str, list[_Term]]  # stem of one-word term -> terms, for compound tails
    acronym_pattern: re.Pattern[str] | None  # every acronym in one pattern: one pass over a text
    acronyms: dict[str, _Term]  # acronym as written -> its term
    exclusions: dict[str, _Exclusions]  # theme -> what never counts for it
    theme_of: dict[str, str]  # theme or sub-theme slug -> its theme slug
    core: frozenset[tuple[str, str]]  # (owner, term label) of every strong term


_CACHE: dict[str, _Compiled] = {}


def _compile(taxonomy: Taxonomy) -> _Compiled:
    cached = _CACHE.get(taxonomy.fingerprint)
    if cached is not None:
        return cached
    table = _TermTable()
    acronyms: dict[str, dict[str, float]] = defaultdict(dict)
    exclusions: dict[str, _Exclusions] = {}
    for theme in taxonomy.themes:
        for label in theme.core_terms:
            table.add(label, CORE_WEIGHT, theme.slug)
        for label in theme.terms:
            table.add(label, TERM_WEIGHT, theme.slug)
        for acronym in theme.acronyms:
            if acronym.signal:
                table.add(acronym.expansion, CORE_WEIGHT, theme.slug)
                acronyms[acronym.short][theme.slug] = CORE_WEIGHT
        for sub in theme.subthemes:
            for label in sub.core_terms:
                table.add(label, CORE_WEIGHT, theme.slug, sub.slug)
            for label in sub.terms:
                table.add(label, TERM_WEIGHT, theme.slug, sub.slug)
        exclusions[theme.slug] = _Exclusions.of(theme.exclusions)
    acronym_terms = {short: _Term(short, (), "", tuple(owners.items())) for short, owners in acronyms.items()}
    alternatives = "|".join(re.escape(short) for short in sorted(acronym_terms, key=len, reverse=True))
    acronym_pattern = re.compile(rf"(?<![\w-])({alternatives})(?:'s|s)?(?![\w-])") if acronym_terms else None
    compiled = _Compiled(
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        acronym_pattern,
        acronym_terms,
        exclusions,
        {**{theme.slug: theme.slug for theme in taxonomy.themes}, **taxonomy.subtheme_parents},
        frozenset(
            (owner, term.label) for term in table.terms() for owner, weight in term.weights if weight >= CORE_WEIGHT
        )
        | frozenset((owner, short) for short, owners in acronyms.items() for owner in owners),
    )
    for term in table.terms():
        if len(term.stems) > 1:
            compiled.phrases[term.stems[0]].append(term)
            continue
        compiled.single[term.stems[0]].append(term)
        if len(term.folded) >= MIN_COMPOUND_TERM_CHARS and " " not in term.folded:
            compiled.prefixes[term.folded].append(term)
            compiled.suffixes[term.stems[0]].append(term)
    _CACHE[taxonomy.fingerprint] = compiled
    return compiled


def _is_excluded(rules: _Exclusions, stems: list[str], tokens: list[str], position: int) -> bool:
    """Whether the word at `position` lies inside a phrase that looks like a term of the theme but
    means something else ("kernwapens" for weapons among youth). Checked only where a term was
    found, so a long text costs no more than its hits."""
    if stems[position] in rules.words or (rules.prefixes and tokens[position].startswith(rules.prefixes)):
        return True
    for start in range(max(0, position - rules.longest + 1), position + 1):
        for sequence in rules.phrases.get(stems[start], ()):
            if start + len(sequence) > position and tuple(stems[start : start + len(sequence)]) == sequence:
                return True
    return False


def _compound_terms(token: str, token_stem: str, compiled: _Compiled) -> list[_Term]:
    if len(token) > MAX_COMPOUND_CHARS:
        return []  # not a word but a run of characters (a broken PDF): splitting it is quadratic
    found: list[_Term] = []
    for cut in range(MIN_COMPOUND_REST_CHARS, len(token) - MIN_COMPOUND_REST_CHARS + 1):
        found.extend(compiled.prefixes.get(token[:cut], ()))
    for cut in range(MIN_COMPOUND_REST_CHARS, len(token_stem) - MIN_COMPOUND_TERM_CHARS + 1):
        found.extend(compiled.suffixes.get(token_stem[cut:], ()))
    return found


def _longest(terms: list[_Term]) -> list[_Term]:
    if not terms:
        return terms
    longest = max(len(term.folded) for term in terms)
    return list(dict.fromkeys(term for term in terms if len(term.folded) == longest))


def _count_terms(text: str, compiled: _Compiled) -> Counter[tuple[_Term, str, int]]:
    """How often each term occurs in each tenth of `text` for each of its owners, compounds and
    phrases included."""
    tokens = words(text)
    stems = [stem(token) for token in tokens]
    per_token: dict[str, list[_Term]] = {}
    hits: list[tuple[_Term, int]] = []
    for i, (token, token_stem) in enumerate(zip(tokens, stems, strict=True)):
        if token not in per_token:
            # A word counts as the most specific term it is: "kindermishandeling" is that term,
            # not also "mishandeling"; only a word that is no term itself is split as a compound.
            exact = compiled.single.get(token_stem, [])
            per_token[token] = exact or _longest(_compound_terms(token, token_stem, compiled))
        hits.extend((term, i) for term in per_token[token])
        for phrase in compiled.phrases.get(token_stem, ()):
            if tuple(stems[i : i + len(phrase.stems)]) == phrase.stems:
                hits.append((phrase, i))
    counts: Counter[tuple[_Term, str, int]] = Counter()
    excluded: dict[tuple[str, int], bool] = {}
    for term, position in hits:
        for owner, _ in term.weights:
            theme = compiled.theme_of.get(owner, owner)
            if (theme, position) not in excluded:
                excluded[theme, position] = _is_excluded(compiled.exclusions[theme], stems, tokens, position)
            if not excluded[theme, position]:
                counts[term, owner, position * SPREAD_PARTS // len(tokens)] += 1
    for found in compiled.acronym_pattern.finditer(text) if compiled.acronym_pattern else ():
        term = compiled.acronyms[found.group(1)]
        for owner, _ in term.weights:
            counts[term, owner, found.start() * SPREAD_PARTS // len(text)] += 1
    return counts


def _segments(title: str, summary: str, text: str) -> dict[str, str]:
    body_words = text.split()
    return {
        "titel": title,
        "begin": f"{summary}\n{' '.join(body_words[:BEGIN_WORDS])}",
        "tekst": " ".join(body_words[BEGIN_WORDS:]),
    }


def score(title: str, summary: str, text: str, taxonomy: Taxonomy) -> tuple[ThemeMatch, ...]:
    """Every theme and sub-theme with any evidence, strongest first, before any decision."""
    compiled = _compile(taxonomy)
    evidence: dict[str, list[TermHit]] = defaultdict(list)
    scores: Counter[str] = Counter()
    for location, segment in _segments(title, summary, text).items():
        counts: Counter[tuple[_Term, str]] = Counter()
        parts: dict[str, set[int]] = defaultdict(set)
        for (term, owner, part), count in _count_terms(segment, compiled).items():
            counts[term, owner] += count
            parts[owner].add(part)
        spread = location == "tekst" and len(segment.split()) >= SPREAD_MIN_WORDS
        for (term, owner), count in counts.items():
            factor = len(parts[owner]) / SPREAD_PARTS if spread else 1.0
            scores[owner] += dict(term.weights)[owner] * LOCATION_WEIGHTS[location] * (1.0 + math.log(count)) * factor
            evidence[owner].append(TermHit(term.label, location, count))
    parents = taxonomy.subtheme_parents
    matches = (
        ThemeMatch(slug, round(value, 2), tuple(evidence[slug]), parents.get(slug)) for slug, value in scores.items()
    )
    return tuple(sorted(matches, key=lambda match: -match.score))


def tagging_version(taxonomy: Taxonomy) -> str:
    """What a document's tags follow from; when it changes, indexed documents are tagged again."""
    return f"{TAGGER_VERSION}.{taxonomy.fingerprint}"


def _distinct_terms(match: ThemeMatch) -> int:
    return len({hit.term for hit in match.hits})


def _in_title(match: ThemeMatch) -> bool:
    return any(hit.location == "titel" for hit in match.hits)


def _repeated_core(match: ThemeMatch, core: frozenset[tuple[str, str]]) -> bool:
    """A strong term found at least twice, wherever: a short text saying it again is no passing word."""
    counts: Counter[str] = Counter()
    for hit in match.hits:
        counts[hit.term] += hit.count
    return any(count >= 2 and (match.slug, term) in core for term, count in counts.items())


def _titled_and_repeated(match: ThemeMatch, core: frozenset[tuple[str, str]]) -> bool:
    """A strong term in the title that the text repeats: how a short news item about one thing says it."""
    titled = {hit.term for hit in match.hits if hit.location == "titel" and (match.slug, hit.term) in core}
    return any(hit.term in titled for hit in match.hits if hit.location != "titel")


def _led(summary: str, text: str, taxonomy: Taxonomy, core: frozenset[tuple[str, str]]) -> frozenset[str]:
    """In a short text, the themes whose strong terms stand in its lead."""
    body = f"{summary}\n{text}".split()
    if len(body) > SHORT_TEXT_WORDS:
        return frozenset()
    lead = " ".join(body[:SHORT_TEXT_LEAD_WORDS])
    return frozenset(
        match.slug
        for match in score("", "", lead, taxonomy)
        if any((match.slug, hit.term) in core for hit in match.hits)
    )


def _decide(
    candidates: list[ThemeMatch],
    min_score: float,
    min_distinct: int,
    relative: float,
    titled_relative: float,
    core: frozenset[tuple[str, str]],
    led: frozenset[str] = frozenset(),
) -> tuple[ThemeMatch, ...]:
    best = max((match.score for match in candidates), default=0.0)
    return tuple(
        match
        for match in candidates
        if any((match.slug, hit.term) in core for hit in match.hits)
        and (
            (match.score >= min_score and (_distinct_terms(match) >= min_distinct or _titled_and_repeated(match, core)))
            or (match.slug in led and match.score >= SHORT_TEXT_MIN_SCORE and _repeated_core(match, core))
        )
        and match.score >= (titled_relative if _in_title(match) else relative) * best
    )


def tag(
    title: str, summary: str, text: str, taxonomy: Taxonomy
) -> tuple[tuple[ThemeMatch, ...], tuple[ThemeMatch, ...]]:
    """Themes and sub-themes a document is about, strongest first, each with its evidence; each
    needs at least one strong term, as context words alone (sociale media, wapen) say nothing."""
    candidates = score(title, summary, text, taxonomy)
    core = _compile(taxonomy).core
    themes = _decide(
        [m for m in candidates if m.parent is None],
        MIN_THEME_SCORE,
        MIN_DISTINCT_TERMS,
        RELATIVE_TO_BEST,
        TITLED_RELATIVE_TO_BEST,
        core,
        _led(summary, text, taxonomy, core),
    )
    chosen = {match.slug for match in themes}
    subthemes = _decide(
        [m for m in candidates if m.parent in chosen],
        MIN_SUBTHEME_SCORE,
        MIN_SUBTHEME_DISTINCT_TERMS,
        SUBTHEME_RELATIVE_TO_BEST,
        SUBTHEME_RELATIVE_TO_BEST,
        core,
    )
    return themes, subthemes
