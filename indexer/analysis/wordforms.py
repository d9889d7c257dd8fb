"""What counts as a Dutch word, and its folded and stemmed forms: shared by every module that reads text.

Lowercase without accents (ideeën = ideeen), and the classic Snowball Dutch stemmer (not the newer
Kraaij-Pohlmann variant) behind a thread-safe cache. The stemmer is PyStemmer's C build of it
("dutch_porter"): it stems as Whoosh's pure-Python port does, word for word over 313,667 folded Dutch
words (`tests/test_text.py` keeps checking), in a quarter of the time; a 300-page report has 11,000
distinct words for the tagger to stem.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache, lru_cache

import Stemmer
from whoosh.lang import stopwords_for_language

STOP_WORDS = frozenset(stopwords_for_language("nl"))
WORD_PATTERN = r"\w+(?:\.?\w+)*"
_WORD = re.compile(WORD_PATTERN)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

# Classic Snowball Dutch, the algorithm Whoosh's stemmer ports; PyStemmer's "dutch" is Kraaij-Pohlmann.
STEMMER_ALGORITHM = "dutch_porter"
# A PyStemmer object keeps state while it stems, so each thread has its own.
_per_thread = threading.local()


# Unicode puts every combining mark in its first two planes; looking only there makes the table in
# 15 ms instead of 150 (`tests/test_text.py` checks that no mark lies beyond).
LAST_CODE_POINT_WITH_MARKS = 0x1FFFF


@cache
def _combining_marks() -> dict[int, None]:
    """Every combining mark (the accents NFKD splits off), for str.translate to drop in one pass."""
    return {code: None for code in range(LAST_CODE_POINT_WITH_MARKS + 1) if unicodedata.combining(chr(code))}


def fold(text: str) -> str:
    """Lowercase without accents or ligatures, so "Ideeën" and "ideeen" compare equal."""
    if text.isascii():  # most Dutch words: nothing to decompose
        return text.lower()
    # Only the runs of non-ASCII characters change. NFKD leaves ASCII as it is and never reorders
    # marks across it, so decomposing each run on its own gives what decomposing the whole text
    # gives (`tests/test_text.py`), and a page of Dutch text has few such runs: 2,000 characters of
    # a page took 30 µs instead of 43 (snippets fold page text to find a term's first place).
    return _NON_ASCII.sub(_folded_run, text.lower())


def _folded_run(run: re.Match) -> str:
    # Lowercased again: some letters decompose to capitals that have no lowercase of their own
    # ("ℂ", the bold "𝐌" of text pasted from social media).
    return unicodedata.normalize("NFKD", run.group()).translate(_combining_marks()).lower()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Dutch stem of a folded word.

    functools.lru_cache is safe to share between threads; the stemmer's own cache is per object, so
    it is switched off and one cache serves every thread.
    """
    stemmer = getattr(_per_thread, "stemmer", None)
    if stemmer is None:
        stemmer = _per_thread.stemmer = Stemmer.Stemmer(STEMMER_ALGORITHM, 0)
    return stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The folded words of a text, in order, stop words included (phrases need them)."""
    return _WORD.findall(fold(text))


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of a phrase's words, in order: how a term is told apart from another ("steekpartijen"
    and "steekpartij" are one)."""
    return tuple(stem(token) for token in words(phrase))
