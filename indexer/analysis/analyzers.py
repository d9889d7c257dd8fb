"""Dutch text analysis for the index and the query side.

    tokens  ->  lowercase, accents folded  ->  Dutch stop words out  ->  compound parts added
            ->  Dutch stem

Compound parts ("mensen", "mensenhandel", "handel", "monitor" for "mensenhandelmonitor") are added at index time
only, at the compound's own position and with a low weight, so a search for a part finds the
compound but a document that uses the exact word ranks higher. Hyphenated acronyms ("PGA-R",
"ZVH-RR") stay one token. Adjacent words are also joined into pair terms, for phrases, but only
where both are frequent Dutch words (`is_stored_pair`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib.metadata import version

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token, Tokenizer
from wordfreq import get_frequency_dict

from indexer.analysis.lexicon import LANGUAGE, WORDLIST, build_frequency_tables, compound_parts
from indexer.analysis.wordforms import STOP_WORDS, WORD_PATTERN, fold, stem
from indexer.corpus.sources import organisations
from indexer.engine import ranking_weights

# A word pair is stored only when both its stems are at least this frequent in Dutch (Zipf, by
# `wordfreq`: 3.0 is about once per million words; a stem counts as frequent when one of its word
# forms is). Every other pair has a rarely used word, whose pages `whoosh.pair_positions` checks by position.
PAIR_MIN_ZIPF = 3.0
# The term that stands, in a document's `word_pairs`, for every pair not stored: its frequency keeps
# the field's length the count of all pairs, which BM25 normalises by. A pair term always has a space.
UNSTORED_PAIRS = "-"

# Bump when the code below or `lexicon` changes what ends up in the index; a new wordfreq may split
# compounds and judge frequency differently, so its version counts too.
ANALYSIS_REVISION = 9
ANALYSIS_VERSION = f"{ANALYSIS_REVISION}-pairs{PAIR_MIN_ZIPF:g}-wordfreq{version('wordfreq')}"

# Words of one letter carry no meaning for search ("s" in "'s-Gravenhage").
MIN_TOKEN_CHARS = 2
# "PGA-R" -> "PGA_R": same length, so highlight offsets stay right, and \w keeps it one token.
_HYPHENATED_ACRONYM = re.compile(r"\b([A-Z]{2,})-([A-Z0-9]{1,4})\b")


def join_acronyms(text: str) -> str:
    return _HYPHENATED_ACRONYM.sub(r"\1_\2", text)


class DutchTokenizer(Tokenizer):
    """Words as in `wordforms.WORD_PATTERN`, with hyphenated acronyms kept whole."""

    def __init__(self) -> None:
        self.words = RegexTokenizer(WORD_PATTERN)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchTokenizer)

    def __hash__(self) -> int:
        return hash(DutchTokenizer)

    def __call__(self, value: str, **kwargs) -> Iterator:
        return self.words(join_acronyms(value), **kwargs)


class AccentFoldFilter(Filter):
    """Fold accents token by token; the lowercase filter has already run."""

    def __call__(self, tokens: Iterator) -> Iterator:
        for token in tokens:
            token.text = fold(token.text)
            yield token


class DecompoundFilter(Filter):
    """After each compound word, add its parts at the same position with a low weight (index only).

    The parts are of the word as written: Whoosh passes one token object down the filters, so once
    the word is yielded, the stem filter after this one has made its text the stem ("basisschol",
    whose parts are not "basis" and "school")."""

    def __call__(self, tokens: Iterator) -> Iterator:
        for token in tokens:
            whole, boost = token.text, token.boost
            parts = () if token.stopped or token.mode != "index" else compound_parts(whole)
            yield token
            for part in parts:
                token.text, token.boost = part, boost * ranking_weights.COMPOUND_PART_BOOST
                yield token


class DutchStemFilter(Filter):
    """Stem with the shared, thread-safe cache (see `wordforms.stem`)."""

    is_morph = True

    def __call__(self, tokens: Iterator) -> Iterator:
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def base_words() -> Analyzer:
    """Words, lowercase, accents folded, stop words and one-letter words out: what every field shares
    (and what `preanalysis` computes once per document)."""
    return (
        DutchTokenizer()
        | LowercaseFilter()
        | AccentFoldFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=MIN_TOKEN_CHARS)
    )


def dutch_analyzer() -> Analyzer:
    """The analyzer of every full-text field."""
    return base_words() | DecompoundFilter() | DutchStemFilter()


@cache
def _frequent_stems() -> frozenset[str]:
    """The stems of the Dutch words at least `PAIR_MIN_ZIPF` frequent (about 23,000, built once per
    process in under a second): a fixed resource, so a document's pairs never depend on the rest
    of the corpus, and incremental indexing stays correct."""
    floor = 10 ** (PAIR_MIN_ZIPF - 9)  # Zipf is log10 of the frequency per billion words
    frequencies = get_frequency_dict(LANGUAGE, WORDLIST)
    return frozenset(stem(fold(word)) for word, share in frequencies.items() if share >= floor)


def build_word_list_tables() -> None:
    """Make every table a search builds from wordfreq's lists now: the frequent stems that decide
    how a phrase is found, and the frequencies compounds are split by. A server process does so at
    its warm-up, before it lets the lists go (`word_lists`), whether its warm-up search needed them
    or not (its words may all be in the index's word table, or the search may fail). Built by a
    visitor's search instead, they cost it a second, and the list stayed in the process's memory."""
    _frequent_stems()
    build_frequency_tables()


def is_stored_pair(first: str, second: str) -> bool:
    """Whether the index holds the pair of these two stems as a `word_pairs` term: only when both
    are frequent, where checking positions would walk many pages. A pair with a rare word is found
    from that word's pages by position instead (`whoosh.pair_positions`); storing it made most of
    the index."""
    frequent = _frequent_stems()
    return first in frequent and second in frequent


class WordPairFilter(Filter):
    """Each word joined to the next one ("zorg veilig" for "zorg en veiligheid", stop words being
    gone): a phrase becomes terms that plain posting lists answer, without word positions. A pair
    the filter does not keep (`keeps`) becomes `UNSTORED_PAIRS`."""

    def keeps(self, first: str, second: str) -> bool:
        """Every pair, for an engine that answers phrases from pairs alone."""
        return True

    def __call__(self, tokens: Iterator) -> Iterator:
        previous = None
        for token in tokens:
            if token.stopped:
                continue
            text = token.text
            if previous is not None:
                token.text = f"{previous} {text}" if self.keeps(previous, text) else UNSTORED_PAIRS
                yield token
            previous = text


class FrequentWordPairFilter(WordPairFilter):
    """Only the pairs of two frequent words (`is_stored_pair`): the Whoosh index finds the others by
    the positions of its pages."""

    def keeps(self, first: str, second: str) -> bool:
        return is_stored_pair(first, second)


def word_pairs_analyzer() -> Analyzer:
    """Adjacent word stems as one term, for phrases: every pair."""
    return base_words() | DutchStemFilter() | WordPairFilter()


def frequent_word_pairs_analyzer() -> Analyzer:
    """Adjacent word stems as one term where both are frequent, for phrases (see `whoosh.matching`)."""
    return base_words() | DutchStemFilter() | FrequentWordPairFilter()


def spelling_analyzer() -> Analyzer:
    """Words as written (folded), for "Bedoelde u" suggestions from the index's vocabulary; compound
    parts too: "kloon modems" has no typo when the documents write "kloonmodems"."""
    return base_words() | DecompoundFilter()


def source_words_analyzer() -> Analyzer:
    """The words of a source, stemmed: `bron:politie` finds "Politie eenheid Rotterdam"."""
    return base_words() | DutchStemFilter()


class OrganisationTokenizer(Tokenizer):
    """One token per organisation a source names (`sources.organisations`): the source facet's values."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OrganisationTokenizer)

    def __hash__(self) -> int:
        return hash(OrganisationTokenizer)

    def __call__(self, value: str, positions: bool = False, mode: str = "", **kwargs) -> Iterator:
        token = Token(positions, mode=mode)
        for position, name in enumerate(organisations(value)):
            token.text, token.boost, token.stopped, token.pos = name, 1.0, False, position
            yield token
