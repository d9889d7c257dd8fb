"""The taxonomy's terms, arranged once per taxonomy version for fast matching in any text."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from indexer.analysis.wordforms import fold, phrase_stems, stem, words
from indexer.themes.tagging.inflection import conjugated_forms, inflected_forms
from indexer.themes.tagging.rules import RULES
from indexer.themes.taxonomy import Abroad, Pairing, Taxonomy


@dataclass(frozen=True)
class Term:
    label: str  # as staff wrote it, shown in the reason
    stems: tuple[str, ...]
    # every folded way the theme files write it, the first first ("radicalisering", "radicaliseren":
    # one stem, one term); an acronym's is empty: it is matched as written
    spellings: tuple[str, ...]
    weights: tuple[tuple[str, float], ...]  # (theme or sub-theme slug, weight) for every owner
    near: frozenset[str] = frozenset()  # counts only near one of these folded words or word pairs, when any

    @property
    def folded(self) -> str:
        """The term as first written, folded: what compounds and the longest match go by."""
        return self.spellings[0] if self.spellings else ""


_Key = tuple[tuple[str, ...], Pairing | None]  # the term's stems, and its pairing (None for none)


def _near_words(pairing: Pairing | None) -> frozenset[str]:
    return frozenset(" ".join(words(word)) for word in pairing.near) if pairing else frozenset()


class _TermTable:
    """Collects taxonomy terms; a term listed in several places counts once per owner."""

    def __init__(self) -> None:
        self._shown: dict[_Key, str] = {}  # the label as first written, with its pairing's name
        self._weights: dict[_Key, dict[str, float]] = defaultdict(dict)
        self._spellings: dict[_Key, dict[str, None]] = defaultdict(dict)

    def add(self, label: str, weight: float, *owners: str, pairing: Pairing | None = None) -> None:
        stems = phrase_stems(label)
        if not stems:
            return
        key = (stems, pairing)
        shown = f"{label} (bij {pairing.name})" if pairing else label
        self._shown.setdefault(key, shown)
        self._spellings[key][fold(label)] = None
        for owner in owners:
            self._weights[key][owner] = max(weight, self._weights[key].get(owner, 0.0))

    def terms(self) -> list[Term]:
        return [
            Term(shown, key[0], tuple(self._spellings[key]), tuple(self._weights[key].items()), _near_words(key[1]))
            for key, shown in self._shown.items()
        ]

    def of_repeating_pairings(self) -> frozenset[tuple[str, str]]:
        """(owner, term label) of the terms of pairings that a brief must say twice."""
        return frozenset(
            (owner, shown)
            for key, shown in self._shown.items()
            if key[1] and key[1].brief_needs_repetition
            for owner in self._weights[key]
        )


@dataclass(frozen=True)
class Exclusions:
    """One theme's exclusions, arranged for a single pass over a text."""

    words: frozenset[str]  # stems of one-word exclusions
    prefixes: tuple[str, ...]  # the same, as prefixes of a word ("kernwapen" also in "kernwapens")
    phrases: dict[str, tuple[tuple[str, ...], ...]]  # first stem -> multi-word exclusions
    longest: int  # words in the longest exclusion

    @classmethod
    def of(cls, labels: tuple[str, ...]) -> Exclusions:
        sequences = [phrase_stems(label) for label in labels]
        single = [sequence[0] for sequence in sequences if len(sequence) == 1]
        phrases: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for sequence in sequences:
            if len(sequence) > 1:
                phrases[sequence[0]].append(sequence)
        longest = max((len(sequence) for sequence in sequences), default=1)
        return cls(frozenset(single), tuple(single), {first: tuple(found) for first, found in phrases.items()}, longest)


@dataclass(frozen=True)
class ForeignPlaces:
    """A theme about the Netherlands, compiled: its places abroad as folded words, its words of a Dutch side."""

    # first word -> the places that begin with it: a text's words are looked up, not every place
    places: dict[str, tuple[tuple[str, ...], ...]]
    home: frozenset[str]

    @classmethod
    def of(cls, abroad: Abroad) -> ForeignPlaces:
        places: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for place in abroad.places:
            if folded := tuple(words(place)):
                places[folded[0]].append(folded)
        return cls({first: tuple(found) for first, found in places.items()}, frozenset(map(fold, abroad.home)))


@dataclass(frozen=True)
class Compiled:
    single: dict[str, list[Term]]  # stem -> one-word terms
    phrases: dict[str, list[Term]]  # first stem -> multi-word terms
    prefixes: dict[str, list[Term]]  # folded one-word term -> terms, for compound heads
    suffixes: dict[str, list[Term]]  # stem of one-word term -> terms, for compound tails
    acronym_pattern: re.Pattern[str] | None  # every acronym in one pattern: one pass (`counting._acronyms_in`)
    acronyms: dict[str, Term]  # acronym as written -> its term
    exclusions: dict[str, Exclusions]  # theme -> what never counts for it
    theme_of: dict[str, str]  # theme or sub-theme slug -> its theme slug
    core: frozenset[tuple[str, str]]  # (owner, term label) of every strong term
    abroad: dict[str, ForeignPlaces]  # theme about the Netherlands -> what says a text is about elsewhere
    # (owner, term label) of the strong terms a brief must say twice: of its theme or its pairing
    needs_repetition_in_brief: frozenset[tuple[str, str]]
    # word -> the terms it is, itself or as a compound: the same in every text (`counting`)
    word_terms: dict[str, list[Term]] = field(default_factory=dict, compare=False, repr=False)


_CACHE: dict[str, Compiled] = {}


def _table(taxonomy: Taxonomy) -> tuple[_TermTable, dict[str, dict[str, float]]]:
    """Every term with its owners and weights, and every acronym that signals a theme."""
    table = _TermTable()
    acronyms: dict[str, dict[str, float]] = defaultdict(dict)
    for theme in taxonomy.themes:
        for label in theme.core_terms:
            table.add(label, RULES.core_weight, theme.slug)
        for label in theme.terms:
            table.add(label, RULES.term_weight, theme.slug)
        for acronym in theme.acronyms:
            if acronym.signal:
                table.add(acronym.expansion, RULES.core_weight, theme.slug)
                acronyms[acronym.short][theme.slug] = RULES.core_weight
        for pairing in theme.pairings:
            for label in pairing.terms:
                table.add(label, RULES.core_weight, theme.slug, pairing=pairing)
        for sub in theme.subthemes:
            for label in sub.core_terms:
                table.add(label, RULES.core_weight, theme.slug, sub.slug)
            for label in sub.terms:
                table.add(label, RULES.term_weight, theme.slug, sub.slug)
    return table, acronyms


def _add_inflections(compiled: Compiled, terms: list[Term]) -> None:
    """A strong one-word term also in the plural, inflected or conjugated forms that stem differently
    ("wapens" for "wapen", "gehackt" for "hacken"), in compounds too ("vuurwapens"); a form that is a
    term of its own stays that term. The forms of each of its spellings: a verb listed after a noun of
    its stem ("radicaliseren" after "radicalisering") is conjugated too.
    Context words (weak terms) are left as they are: in long texts their plurals added enough weight
    to tag a law that only mentions weapons (measured on the tuning part)."""
    own = set(compiled.single)
    for term in terms:
        if max(weight for _, weight in term.weights) < RULES.core_weight:
            continue
        # Forms may share a stem ("gehackt", "gehackte"): each stem is one way to say the term, not two.
        forms = {form for spelling in term.spellings for form in inflected_forms(spelling) | conjugated_forms(spelling)}
        for form_stem in {stem(form) for form in forms}:
            if form_stem == term.stems[0] or form_stem in own:
                continue
            compiled.single[form_stem].append(term)
            if len(term.folded) >= RULES.min_compound_term_chars:
                compiled.suffixes[form_stem].append(term)


def compile_taxonomy(taxonomy: Taxonomy) -> Compiled:
    """The taxonomy arranged for matching; compiled once per taxonomy version."""
    cached = _CACHE.get(taxonomy.fingerprint)
    if cached is not None:
        return cached
    table, acronyms = _table(taxonomy)
    terms = table.terms()
    acronym_terms = {short: Term(short, (), (), tuple(owners.items())) for short, owners in acronyms.items()}
    alternatives = "|".join(re.escape(short) for short in sorted(acronym_terms, key=len, reverse=True))
    # No look-behind for the start of a word: it keeps Python's engine from skipping ahead to the
    # letters acronyms begin with, five times slower on a long report (`counting._acronyms_in` checks).
    acronym_pattern = re.compile(rf"({alternatives})(?:'s|s)?(?![\w-])") if acronym_terms else None
    core = frozenset(
        (owner, term.label) for term in terms for owner, weight in term.weights if weight >= RULES.core_weight
    ) | frozenset((owner, short) for short, owners in acronyms.items() for owner in owners)
    repeating_themes = {theme.slug for theme in taxonomy.themes if theme.brief_needs_repetition}
    compiled = Compiled(
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
        acronym_pattern,
        acronym_terms,
        {theme.slug: Exclusions.of(theme.exclusions) for theme in taxonomy.themes},
        {**{theme.slug: theme.slug for theme in taxonomy.themes}, **taxonomy.subtheme_parents},
        core,
        {theme.slug: ForeignPlaces.of(theme.abroad) for theme in taxonomy.themes if theme.abroad},
        table.of_repeating_pairings() | frozenset((owner, label) for owner, label in core if owner in repeating_themes),
    )
    for term in terms:
        if len(term.stems) > 1:
            compiled.phrases[term.stems[0]].append(term)
            continue
        compiled.single[term.stems[0]].append(term)
        if len(term.folded) >= RULES.min_compound_term_chars and " " not in term.folded:
            compiled.prefixes[term.folded].append(term)
            compiled.suffixes[term.stems[0]].append(term)
    strong = [
        t
        for t in terms
        if len(t.stems) == 1 and " " not in t.folded and max(dict(t.weights).values()) >= RULES.core_weight
    ]
    _add_inflections(compiled, strong)
    _CACHE[taxonomy.fingerprint] = compiled
    return compiled
