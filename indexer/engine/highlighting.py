"""Query terms marked in page text: whole pages for a document page, short snippets for hits.

A word is marked when the index would have found it for one of the query's terms: its Dutch stem
is a term, or the stem of one of its compound parts is (so "mensenhandel" is marked for a search
on "handel"). That is what the analyzer does at index time, done word by word with the same
cached stemmer and compound splitter; Whoosh's highlighter did the same through its whole token
pipeline and fragmenter, which was a third of a search request (ten snippets a page).
A snippet looks only at a window around the first place where a term occurs, found as text: a stem
is how the word begins as written, except that Dutch stemming takes one letter of a doubled vowel in
the last syllable ("straat" -> "strat"), so that letter is looked for twice. A prefix or wildcard
("radicali*") marks a word that fits the pattern as written, as `expansion` matches patterns; a
search expands its patterns first, so its snippets mark exactly the terms searched.
"""

from __future__ import annotations

import fnmatch
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile

from indexer.analysis.analyzers import MIN_TOKEN_CHARS, join_acronyms
from indexer.analysis.lexicon import compound_parts
from indexer.analysis.wordforms import STOP_WORDS, WORD_PATTERN, fold, stem
from indexer.engine.fields import PAGE_TEXT
from indexer.engine.query import parse_query
from indexer.engine.query_context import QueryContext
from indexer.engine.query_model import Node, Prefix, Wildcard, field_terms, leaves, pattern_of
from indexer.engine.syntax import WILDCARDS, literal_prefix

# A page longer than this is shown without marks rather than slowing the page down.
MAX_HIGHLIGHT_CHARS = 200_000
# A snippet shows about this many characters, starting a little before the first marked word.
SNIPPET_CHARS = 240
SNIPPET_LEAD_CHARS = 60
# Page text is folded this many characters at a time while looking for the first term.
FOLD_PIECE_CHARS = 2_000
_WORD = re.compile(WORD_PATTERN)
# Where Snowball's Dutch stemmer changes letters rather than cutting them off, so that a stem is no
# beginning of its word as written. It undoubles the vowel of a last syllable, one of a, e, o, u between
# letters that are not vowels ("strat" of "straat", "schol" of "school", "rad" of "gemeenteraad"; a
# "y" beside a vowel counts as a consonant there), and it makes "-heden" "-heid" ("eenheden").
_UNDOUBLED_END = re.compile(r"(?<=[^aeiouè])([aeou])([^aeiouè])$")
_PLURAL_HEID = ("heid", "heden")


def terms_of(query: Node | None) -> frozenset[str]:
    """The analysed terms a page query looks for in the page text, and its patterns ("radicali*")."""
    if query is None:
        return frozenset()
    patterns = {pattern_of(node) for node in leaves(query) if isinstance(node, (Prefix, Wildcard))}
    terms = {text for field, text in field_terms(query) if field == PAGE_TEXT}
    return frozenset(terms | patterns)


@dataclass(frozen=True)
class _Terms:
    """A query's page terms, prepared for marking words."""

    plain: frozenset[str]
    beginnings: frozenset[str]  # how the words of the terms begin as written: plain terms' forms, patterns' letters
    within: Callable[[str], object]  # finds a plain term's written form inside a lower-cased word
    fits: Callable[[str], object] | None  # matches a word against the patterns (None without patterns)


def _written_forms(term: str) -> frozenset[str]:
    """How a word the index made a stem of may begin as written: the stem itself, and the stem as it
    was before the stemmer changed letters ("strat": "straat"; "eenheid": "eenheden")."""
    singular, plural = _PLURAL_HEID
    forms = {term, _UNDOUBLED_END.sub(r"\1\1\2", term)}
    if term.endswith(singular):
        forms.add(term.removesuffix(singular) + plural)
    return frozenset(forms)


@lru_cache(maxsize=256)
def _prepared(terms: frozenset[str]) -> _Terms:
    """Plain terms with one search for all of them, and one matcher for all the patterns."""
    patterns = [term for term in terms if WILDCARDS.search(term)]
    plain = terms.difference(patterns)
    forms = {form for term in plain for form in _written_forms(term)}
    within = re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)) or "(?!)").search
    beginnings = frozenset(forms | {literal_prefix(pattern) for pattern in patterns})
    if not patterns:
        return _Terms(plain, beginnings, within, None)
    combined = "|".join(f"(?:{fnmatch.translate(pattern)})" for pattern in sorted(patterns))
    return _Terms(plain, beginnings, within, re.compile(combined).match)


def query_terms(query_text: str, context: QueryContext) -> frozenset[str]:
    """The analysed terms (stems, compound parts, expansions) a query looks for in page text."""
    return terms_of(parse_query(query_text, context).page_query)


@lru_cache(maxsize=50_000)
def _word_stem(word: str) -> str | None:
    """The stem the index makes of one word as written; None for a stop word. Cached: every snippet
    of every search asks again for the same words."""
    folded = fold(word)
    if folded in STOP_WORDS or len(folded) < MIN_TOKEN_CHARS:
        return None
    return stem(folded)


@lru_cache(maxsize=50_000)
def _part_stems(word: str) -> frozenset[str]:
    """The stems of the compound parts the index adds beside a word as written. Splitting a word is
    slow, so it is asked only of a word whose own stem is not a term."""
    return frozenset(stem(part) for part in compound_parts(fold(word)))


def _may_hold(word: str, terms: _Terms) -> bool:
    """Whether a term can be among the word's index terms: a stem is a prefix of the word it comes
    from and a compound part's stem a substring of the compound, each in one of its `_written_forms`
    (as `_first_occurrence` relies on).
    Splitting every word of a page into compound parts was a third of a search request's time."""
    folded = word.lower()
    return terms.within(folded) is not None or not folded.isascii()


def _marks(word: str, terms: _Terms) -> bool:
    """Whether the index made one of the terms of this word (its stem or a compound part's stem), or
    the word fits a pattern."""
    if _may_hold(word, terms):
        word_stem = _word_stem(word)
        if word_stem is not None and (word_stem in terms.plain or not terms.plain.isdisjoint(_part_stems(word))):
            return True
    return terms.fits is not None and _fits(terms.fits, word)


def _marked_spans(text: str, terms: frozenset[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of every word of `text` to mark, in order."""
    prepared = _prepared(terms)
    joined = join_acronyms(text)  # "PGA-R" -> "PGA_R": same length, one word, as the index has it
    return (match.span() for match in _WORD.finditer(joined) if _marks(match.group(), prepared))


def _fits(fits: Callable[[str], object], word: str) -> bool:
    """A word fits a pattern as written (folded), as `expansion` matches patterns; not a stop word."""
    return _word_stem(word) is not None and bool(fits(fold(word)))


def _html(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """Safe HTML of text[start:end] with the spans inside <mark>."""
    end = len(text) if end is None else end
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces += [html.escape(text[position:span_start]), f"<mark>{html.escape(text[span_start:span_end])}</mark>"]
        position = span_end
    pieces.append(html.escape(text[position:end]))
    return "".join(pieces)


def highlight_text(text: str, terms: frozenset[str]) -> str:
    """Safe HTML: the text escaped, every word that matches a term inside <mark>."""
    if not terms or len(text) > MAX_HIGHLIGHT_CHARS:
        return html.escape(text)
    return _html(text, list(_marked_spans(text, terms)))


def _first_occurrence(text: str, terms: frozenset[str]) -> int | None:
    """Where a term first occurs in the folded text (stems are mostly prefixes of the words they
    come from, compound parts substrings of the compounds); None when none does. The text is folded
    a piece at a time, up to the first piece with a term: folding a whole long page took a tenth
    of a search request. A piece ends before a space, where folding is the same piece by piece, and
    a term (one word) cannot run over into the next piece."""
    literals = {literal.replace("_", "-") for literal in _prepared(terms).beginnings} - {""}
    piece = len(text) if any(" " in literal for literal in literals) else FOLD_PIECE_CHARS
    start, offset = 0, 0
    while literals and start < len(text):
        stop = text.find(" ", start + piece)
        stop = len(text) if stop < 0 else stop
        folded = fold(text[start:stop])
        positions = [position for literal in literals if (position := folded.find(literal)) >= 0]
        if positions:
            return offset + min(positions)
        start, offset = stop, offset + len(folded)
    return None


def snippet(text: str, terms: frozenset[str]) -> str:
    """Safe HTML: about SNIPPET_CHARS of `text` from just before the first marked word, the
    marked words inside <mark>; "" when no word matches."""
    if not terms:
        return ""
    first = _first_occurrence(text, terms)
    window_start = 0 if first is None else max(0, first - SNIPPET_LEAD_CHARS)
    window = text[window_start : window_start + 2 * SNIPPET_CHARS + SNIPPET_LEAD_CHARS]
    spans = _marked_spans(window, terms)
    first_span = next(spans, None)
    if first_span is None:
        return ""
    start = max(0, first_span[0] - SNIPPET_LEAD_CHARS)
    if window_start + start > 0:  # begin at a word
        start = window.find(" ", start, first_span[0]) + 1
    end = window.rfind(" ", 0, start + SNIPPET_CHARS)
    end = len(window) if end <= first_span[1] or len(window) <= start + SNIPPET_CHARS else end
    # Only the words up to the end of the snippet are looked at: they come in order.
    shown = [first_span, *takewhile(lambda span: span[1] <= end, spans)]
    prefix = "… " if window_start + start > 0 else ""
    suffix = " …" if window_start + end < len(text) else ""
    return f"{prefix}{_html(window, shown, start, end)}{suffix}"
