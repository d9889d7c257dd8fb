"""The analysis an engineer assembles from maintained libraries in an afternoon, untuned.

Lowercase words, PyStemmer's Dutch Snowball stemmer, and compounds split where both parts are
frequent Dutch words by `wordfreq`'s Zipf frequencies (linking s/e/en), the parts indexed beside the
whole word. Queries also try adjacent words joined, when the index holds the joined word. This is
the "library baseline" of issue 17: our own analysis has to beat it, so it stays plain.
"""

from __future__ import annotations

import functools
import itertools
import re

import Stemmer
from wordfreq import zipf_frequency

LANGUAGE = "nl"
MIN_COMPOUND_LETTERS = 8
MIN_PART_LETTERS = 3
MIN_PART_ZIPF = 3.0  # "frequent": about once per million words or more
LINKING_LETTERS = ("en", "s", "e")

_WORD = re.compile(r"\w+")
_stemmer = Stemmer.Stemmer("dutch")


def words(text: str) -> list[str]:
    """Lowercase word tokens, as a plain tokenizer gives them."""
    return _WORD.findall(text.lower())


@functools.lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The two parts of a compound, or () when no split beats the whole word."""
    if len(word) < MIN_COMPOUND_LETTERS or not word.isalpha():
        return ()
    whole = zipf_frequency(word, LANGUAGE)
    best: tuple[float, tuple[str, ...]] = (0.0, ())
    for cut in range(MIN_PART_LETTERS, len(word) - MIN_PART_LETTERS + 1):
        head, tail = word[:cut], word[cut:]
        heads = [head] + [head[: -len(link)] for link in LINKING_LETTERS if head.endswith(link)]
        for candidate in heads:
            if len(candidate) < MIN_PART_LETTERS:
                continue
            first, second = zipf_frequency(candidate, LANGUAGE), zipf_frequency(tail, LANGUAGE)
            if min(first, second) < MIN_PART_ZIPF:
                continue
            mean = (first * second) ** 0.5
            if mean > whole and mean > best[0]:
                best = (mean, (candidate, tail))
    return best[1]


@functools.lru_cache(maxsize=500_000)
def _word_terms(word: str) -> tuple[str, ...]:
    return tuple(_stemmer.stemWords([word, *compound_parts(word)]))


def analyse(text: str) -> list[str]:
    """Index terms: each word's stem, followed by its compound parts' stems."""
    return [term for word in words(text) for term in _word_terms(word)]


def analyse_query(text: str, known: set[str] | dict[str, object]) -> list[str]:
    """Query terms, plus adjacent words joined into one where the index holds the joined word."""
    tokens = words(text)
    joined = [_stemmer.stemWord(a + b) for a, b in itertools.pairwise(tokens)]
    return [term for word in tokens for term in _word_terms(word)] + [term for term in joined if term in known]
