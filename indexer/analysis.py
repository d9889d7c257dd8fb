"""Dutch text analysis shared by the index, the query side and the tagger.

One definition of "a word" keeps the tagger's matches and the search engine's matches in step:
lowercase, accents folded (ideeën = ideeen), Dutch stop words out, Whoosh's own Dutch stemmer
(the classic Snowball "dutch" algorithm; we do not mix in the newer Kraaij-Pohlmann variant).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang import stemmer_for_language, stopwords_for_language

# Bump when anything below changes what ends up in the index: a stale index is then rebuilt.
ANALYSIS_VERSION = 1

STOP_WORDS = frozenset(stopwords_for_language("nl"))
# Words of one letter carry no meaning for search ("s", "t" in "'s-Gravenhage", "r" in "PGA-R").
MIN_TOKEN_CHARS = 2
WORD_PATTERN = r"\w+(?:\.?\w+)*"
_WORD = re.compile(WORD_PATTERN)

_dutch_stemmer = stemmer_for_language("nl")


def fold(text: str) -> str:
    """Lowercase without accents or ligatures, so "Ideeën" and "ideeen" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Dutch stem of a folded word.

    functools.lru_cache is safe to share between threads, unlike Whoosh's own stemming cache,
    which fails now and then under a threaded web server.
    """
    return _dutch_stemmer(word)


def words(text: str) -> list[str]:
    """The folded words of a text, in order, stop words included (phrases need them)."""
    return _WORD.findall(fold(text))


class AccentFoldFilter(Filter):
    """Fold accents token by token; the tokenizer has already lowercased."""

    def __call__(self, tokens: Iterator) -> Iterator:
        for token in tokens:
            token.text = fold(token.text)
            yield token


class DutchStemFilter(Filter):
    """Stem with the shared, thread-safe cache; leaves the query side and the index in step."""

    is_morph = True

    def __call__(self, tokens: Iterator) -> Iterator:
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def dutch_analyzer() -> Analyzer:
    """The analyzer of every full-text field."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | AccentFoldFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=MIN_TOKEN_CHARS)
        | DutchStemFilter()
    )
