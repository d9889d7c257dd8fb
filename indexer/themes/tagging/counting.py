"""Finding taxonomy terms in a text: words, compounds, phrases and acronyms, minus exclusions."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise

from indexer.analysis.lexicon import MAX_COMPOUND_CHARS
from indexer.analysis.wordforms import stem, words
from indexer.themes.tagging.rules import RULES
from indexer.themes.tagging.terms import Compiled, Exclusions, Term

# Words whose terms are kept per compiled taxonomy (a few hundred bytes each), past which all are forgotten.
MAX_KEPT_WORDS = 200_000
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _is_excluded(rules: Exclusions, stems: list[str], tokens: list[str], position: int) -> bool:
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


def _compound_terms(token: str, token_stem: str, compiled: Compiled) -> list[Term]:
    if len(token) > MAX_COMPOUND_CHARS:
        return []  # not a word but a run of characters (a broken PDF): splitting it is quadratic
    rest, shortest = RULES.min_compound_rest_chars, RULES.min_compound_term_chars
    found: list[Term] = []
    for cut in range(rest, len(token) - rest + 1):
        found.extend(compiled.prefixes.get(token[:cut], ()))
    for cut in range(rest, len(token_stem) - shortest + 1):
        found.extend(compiled.suffixes.get(token_stem[cut:], ()))
    return found


def _terms_of(token: str, token_stem: str, compiled: Compiled) -> list[Term]:
    """The terms a word is. A word counts as the most specific term it is: "kindermishandeling" is
    that term, not also "mishandeling"; only a word that is no term itself is split as a compound.
    Kept per word across texts: splitting a text's new compounds was a fifth of tagging it."""
    found = compiled.word_terms.get(token)
    if found is None:
        if len(compiled.word_terms) >= MAX_KEPT_WORDS:
            compiled.word_terms.clear()
        exact = compiled.single.get(token_stem, [])
        found = compiled.word_terms[token] = exact or _longest(_compound_terms(token, token_stem, compiled))
    return found


def _longest(terms: list[Term]) -> list[Term]:
    if not terms:
        return terms
    longest = max(len(term.folded) for term in terms)
    return list(dict.fromkeys(term for term in terms if len(term.folded) == longest))


def _is_near(term: Term, tokens: list[str], position: int, around: frozenset[str]) -> bool:
    """Whether a paired term has one of its words close by, or in `around` (a short text's title)."""
    if not term.near or term.near & around:
        return True
    window = tokens[max(0, position - RULES.near_words) : position + RULES.near_words + 1]
    return not term.near.isdisjoint(neighbourhood(window))


def neighbourhood(tokens: list[str]) -> frozenset[str]:
    """The words and pairs of adjacent words ("15 jarige" for "15-jarige") of a stretch of text."""
    return frozenset(tokens) | frozenset(f"{first} {second}" for first, second in pairwise(tokens))


def _pairs_resolved(
    hits: list[tuple[Term, int]], tokens: list[str], around: frozenset[str]
) -> list[tuple[Term, int, frozenset[str]]]:
    """Each hit with the owners it counts for. A paired term counts only near its words, once per owner
    however many of its theme's pairings hold the word, and then instead of the same word as a plain
    term of the same owner; another theme's plain term for that word still counts ("ontucht" near a
    school is Jeugd en Veiligheid's and stays Zorg en Veiligheid's), and so does a sub-theme's. A paired
    term never counts inside another phrase that is a term itself ("online fraude" is one term, not also
    "fraude" online), though a paired phrase may also be a plain one ("sexual exploitation")."""
    phrases_at: dict[int, set[tuple[tuple[str, ...], int]]] = defaultdict(set)
    for term, start in hits:
        if len(term.stems) > 1 and not term.near:
            for offset in range(len(term.stems)):
                phrases_at[start + offset].add((term.stems, start))
    claimed: dict[tuple[tuple[str, ...], int], frozenset[str]] = defaultdict(frozenset)
    paired: list[tuple[Term, int, frozenset[str]]] = []
    for term, position in hits:
        if not term.near:
            continue
        inside_other_phrase = bool(phrases_at.get(position, set()) - {(term.stems, position)})
        if inside_other_phrase or not _is_near(term, tokens, position, around):
            continue
        owners = _owners(term) - claimed[term.stems, position]
        if owners:
            claimed[term.stems, position] |= owners
            paired.append((term, position, owners))
    plain = [
        (term, position, _owners(term) - claimed[term.stems, position]) for term, position in hits if not term.near
    ]
    return [(term, position, owners) for term, position, owners in plain if owners] + paired


def _owners(term: Term) -> frozenset[str]:
    return frozenset(owner for owner, _ in term.weights)


def _acronyms_in(text: str, compiled: Compiled) -> Iterator[re.Match[str]]:
    """The taxonomy's acronyms in a text as written, each a word of its own ("NCTV", not the "CTV"
    in it): a match that continues a word is passed over and the search goes on at its next letter."""
    position = 0
    while compiled.acronym_pattern and (found := compiled.acronym_pattern.search(text, position)):
        if found.start() == 0 or not _WORD_OR_HYPHEN.match(text, found.start() - 1):
            yield found
            position = found.end()
        else:
            position = found.start() + 1


def count_terms(text: str, compiled: Compiled, around: frozenset[str] = frozenset()) -> Counter[tuple[Term, str, int]]:
    """How often each term occurs in each part (`RULES.spread_parts`) of `text` for each of its
    owners, compounds and phrases included; `around`: words that count as near every word."""
    tokens = words(text)
    stem_of = {token: stem(token) for token in set(tokens)}
    stems = [stem_of[token] for token in tokens]
    # Each distinct word is looked up once, and only the places of words that are a term or begin a
    # phrase are visited: a 300-page report has some 130,000 words and a few thousand such places.
    terms_of = {token: _terms_of(token, token_stem, compiled) for token, token_stem in stem_of.items()}
    phrases_of = {token: compiled.phrases.get(token_stem, ()) for token, token_stem in stem_of.items()}
    telling = {token for token in stem_of if terms_of[token] or phrases_of[token]}
    hits: list[tuple[Term, int]] = []
    for i in [i for i, token in enumerate(tokens) if token in telling]:
        hits.extend((term, i) for term in terms_of[tokens[i]])
        for phrase in phrases_of[tokens[i]]:
            if tuple(stems[i : i + len(phrase.stems)]) == phrase.stems:
                hits.append((phrase, i))
    counts: Counter[tuple[Term, str, int]] = Counter()
    excluded: dict[tuple[str, int], bool] = {}
    for term, position, owners in _pairs_resolved(hits, tokens, around):
        for owner in owners:
            theme = compiled.theme_of.get(owner, owner)
            if (theme, position) not in excluded:
                excluded[theme, position] = _is_excluded(compiled.exclusions[theme], stems, tokens, position)
            if not excluded[theme, position]:
                counts[term, owner, position * RULES.spread_parts // len(tokens)] += 1
    for found in _acronyms_in(text, compiled):
        term = compiled.acronyms[found.group(1)]
        for owner in _owners(term):
            counts[term, owner, found.start() * RULES.spread_parts // len(text)] += 1
    return counts
