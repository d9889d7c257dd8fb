"""Acronyms the documents define themselves: "Raad voor de Kinderbescherming (RvdK)" or
"RvdK (Raad voor de Kinderbescherming)", found in a document's text when it is indexed.

Each document's definitions go into its record (`schema.ACRONYMS`, one term per definition), so a
rebuild and an incremental run keep them with the documents they come from; `acronym_table`
decides per index generation which ones search uses.

A long form defines an acronym when its words' initials spell it: every word gives its first
letter and may give more at the start of a compound part ("Expertise|centrum"), after a hyphen or
at an inner capital; function words (van, voor, de, en; of, and, for) may give their first letter
or nothing. "Regionaal Informatie- en Expertisecentrum" spells RIEC, "Centraal Bureau voor de
Statistiek" CBS. A long form must be a name (start with a capital): "seksuele uitbuiting (SU)" is
a shorthand of one text, not a name others search for.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from whoosh.lang import stopwords_for_language

from indexer.analysis.lexicon import split_compound
from indexer.analysis.wordforms import STOP_WORDS, fold

# Dutch documents quote English names too ("Financial Action Task Force (FATF)").
FUNCTION_WORDS = STOP_WORDS | frozenset(stopwords_for_language("en"))
MIN_LETTERS, MAX_LETTERS = 2, 10
# An acronym has at least this many capitals: "RvdK", "KMar" and "OM" are acronyms, "Bibob" a name.
MIN_CAPITALS = 2
MIN_LONG_WORDS = 2
# Names skip a word now and then (see `spells`); more would let ordinary phrases spell acronyms.
MAX_SKIPPED_WORDS = 1
# A long form before its acronym is looked for among this many words more than it has letters.
EXTRA_WORDS = 4
MAX_LONG_CHARS = 150
# Between a pair term's acronym and its long form (a long form is on one line).
SEPARATOR = "\t"

_ACRONYM = r"[A-Z][A-Za-z]*(?:-[A-Za-z]+)?"
# "(RvdK)", "(hierna: RvdK)": the long form stands before it.
_ACRONYM_AFTER = re.compile(rf"\((?:(?:hierna|verder)\b:?\s*)?({_ACRONYM})\)")
# "RvdK (Raad voor de Kinderbescherming)": the long form fills the brackets.
_ACRONYM_BEFORE = re.compile(rf"\b({_ACRONYM})\s*\(\s*([^()]{{3,{MAX_LONG_CHARS}}})\)")
# A long form holds no sentence end, bracket or blank line (a single line break only wraps it).
_LONG_FORM_END = re.compile(r".*(?:[.;:!?()\[\]{}]|\n\s*\n)", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*-?")
_LEADING_ARTICLES = frozenset(["de", "het", "een", "the", "a", "an"])

Definition = tuple[str, str]  # ("RvdK", "Raad voor de Kinderbescherming")


def acronym_letters(short: str) -> str | None:
    """The folded letters an acronym spells, or None for a word that is no acronym."""
    letters = short.replace("-", "")
    capitals = sum(char.isupper() for char in letters)
    if not MIN_LETTERS <= len(letters) <= MAX_LETTERS or capitals < MIN_CAPITALS or not letters.isalpha():
        return None
    return fold(letters)


@lru_cache(maxsize=20_000)
def _anchors(word: str) -> tuple[str, ...]:
    """The letters a word may give, in order: its first letter, then those that start a
    compound part, follow a hyphen or are an inner capital."""
    folded = fold(word.rstrip("-"))
    if len(folded) != len(word.rstrip("-")):
        return (folded[:1],)
    starts = {0}
    offset = 0
    for piece in folded.split("-"):
        starts.add(offset)
        position = 0
        for part in split_compound(piece)[1:]:  # after a linking "s" or "e" ("veiligheid|s|huis")
            position = piece.find(part, position + 1)
            if position < 0:
                break
            starts.add(offset + position)
        offset += len(piece) + 1
    starts |= {index for index, char in enumerate(word) if char.isupper()}
    return tuple(folded[index] for index in sorted(starts) if index < len(folded) and folded[index] != "-")


def spells(letters: str, long_words: list[str]) -> bool:
    """Whether the words spell the letters: every word that is no function word gives its first
    letter and possibly more anchors (`_anchors`); a function word its first letter or nothing.
    Between the first and the last word, MAX_SKIPPED_WORDS other words may give nothing ("Centraal
    Orgaan opvang Asielzoekers" is COA)."""

    @cache
    def from_word(i: int, j: int, skips: int) -> bool:
        if j == len(long_words):
            return i == len(letters)
        word = long_words[j]
        optional = fold(word) in FUNCTION_WORDS
        skippable = optional or (skips and 0 < j < len(long_words) - 1)
        if skippable and from_word(i, j + 1, skips - (not optional)):
            return True
        anchors = _anchors(word)[:1] if optional else _anchors(word)
        return within_word(i, j, skips, anchors, 0)

    def within_word(i: int, j: int, skips: int, anchors: tuple[str, ...], a: int) -> bool:
        if i == len(letters) or letters[i] != anchors[a]:
            return False
        if from_word(i + 1, j + 1, skips):
            return True
        return any(within_word(i + 1, j, skips, anchors, b) for b in range(a + 1, len(anchors)))

    return bool(long_words) and fold(long_words[0]) not in FUNCTION_WORDS and from_word(0, 0, MAX_SKIPPED_WORDS)


def _long_before(letters: str, text: str) -> str | None:
    """The shortest run of words at the end of `text` that spells the letters."""
    found = list(_WORD.finditer(text))
    for count in range(MIN_LONG_WORDS, min(len(found), len(letters) + EXTRA_WORDS) + 1):
        run = found[-count:]
        if spells(letters, [match.group() for match in run]):
            return text[run[0].start() : run[-1].end()]
    return None


def _long_inside(letters: str, text: str) -> str | None:
    """The whole text between brackets, when it spells the letters (a leading article aside)."""
    found = list(_WORD.finditer(text))
    if found and fold(found[0].group()) in _LEADING_ARTICLES:
        found = found[1:]
    if len(found) < MIN_LONG_WORDS or text[found[-1].end() :].strip():
        return None
    return text[found[0].start() :] if spells(letters, [match.group() for match in found]) else None


def _tidy(long_form: str) -> str:
    return " ".join(long_form.split())


def find_definitions(text: str) -> list[Definition]:
    """Every (acronym, long form) a text defines, once each, in order of appearance."""
    found: dict[Definition, None] = {}
    after = _ACRONYM_AFTER.finditer(text)
    candidates = [(m.start(), m.group(1), _long_before, _before(text, m.start())) for m in after]
    candidates += [(m.start(), m.group(1), _long_inside, m.group(2)) for m in _ACRONYM_BEFORE.finditer(text)]
    for _, short, long_of, candidate in sorted(candidates, key=lambda item: item[0]):
        letters = acronym_letters(short)
        long_form = long_of(letters, candidate) if letters and "\n\n" not in candidate.strip() else None
        if long_form and long_form[0].isupper():  # a name, not a shorthand ("seksuele uitbuiting (SU)")
            found[(short, _tidy(long_form))] = None
    return list(found)


def _before(text: str, end: int) -> str:
    """The text before a bracket back to the end of the previous sentence, at most MAX_LONG_CHARS."""
    window = text[max(0, end - MAX_LONG_CHARS) : end]
    ended = _LONG_FORM_END.match(window)
    return window[ended.end() :] if ended else window


def as_terms(definitions: list[Definition]) -> str:
    """A document's definitions as the value of its `ACRONYMS` field: one per line."""
    return "\n".join(f"{short}{SEPARATOR}{long_form}" for short, long_form in definitions)
