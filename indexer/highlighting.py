"""Query terms marked in page text: whole pages for a document page, short snippets for hits.

A word is marked when the index would have found it for one of the query's terms: its Dutch stem
is a term, or the stem of one of its compound parts is (so "mensenhandel" is marked for a search
on "handel"). That is what the analyzer does at index time, done word by word with the same
cached stemmer and compound splitter; Whoosh's highlighter did the same through its whole token
pipeline and fragmenter, which was a third of a search request (ten snippets a page).
A snippet looks only at a window around the first place where a term occurs.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from whoosh.query import Query

from indexer.analysis import MIN_TOKEN_CHARS, join_acronyms
from indexer.lexicon import split_compound
from indexer.query import QueryContext, parse_query
from indexer.schema import PAGE_TEXT
from indexer.wordforms import STOP_WORDS, WORD_PATTERN, fold, stem

# A page longer than this is shown without marks rather than slowing the page down.
MAX_HIGHLIGHT_CHARS = 200_000
# A snippet shows about this many characters, starting a little before the first marked word.
SNIPPET_CHARS = 240
SNIPPET_LEAD_CHARS = 60
_WORD = re.compile(WORD_PATTERN)


def terms_of(query: Query | None) -> frozenset[str]:
    """The analysed terms a page query looks for in the page text."""
    if query is None:
        return frozenset()
    return frozenset(text for field, text in query.all_terms(phrases=True) if field == PAGE_TEXT)


def query_terms(query_text: str, context: QueryContext) -> frozenset[str]:
    """The analysed terms (stems, compound parts, expansions) a query looks for in page text."""
    return terms_of(parse_query(query_text, context).page_query)


@lru_cache(maxsize=50_000)
def _index_terms(word: str) -> frozenset[str]:
    """The terms the index makes of one word as written: its stem and its compound parts' stems
    (none for a stop word). Cached: every snippet of every search asks again for the same words."""
    folded = fold(word)
    if folded in STOP_WORDS or len(folded) < MIN_TOKEN_CHARS:
        return frozenset()
    return frozenset([stem(folded), *(stem(part) for part in split_compound(folded))])


def _marked_words(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` to mark."""
    joined = join_acronyms(text)  # "PGA-R" -> "PGA_R": same length, one word, as the index has it
    return [match.span() for match in _WORD.finditer(joined) if not terms.isdisjoint(_index_terms(match.group()))]


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
    return _html(text, _marked_words(text, terms))


def _first_occurrence(text: str, terms: frozenset[str]) -> int | None:
    """Where a term first occurs in the folded text (stems are mostly prefixes of the words they
    come from, compound parts substrings of the compounds); None when none does."""
    folded = fold(text)
    positions = [position for term in terms if (position := folded.find(term.replace("_", "-"))) >= 0]
    return min(positions) if positions else None


def snippet(text: str, terms: frozenset[str]) -> str:
    """Safe HTML: about SNIPPET_CHARS of `text` from just before the first marked word, the
    marked words inside <mark>; "" when no word matches."""
    if not terms:
        return ""
    first = _first_occurrence(text, terms)
    window_start = 0 if first is None else max(0, first - SNIPPET_LEAD_CHARS)
    window = text[window_start : window_start + 2 * SNIPPET_CHARS + SNIPPET_LEAD_CHARS]
    spans = _marked_words(window, terms)
    if not spans:
        return ""
    start = max(0, spans[0][0] - SNIPPET_LEAD_CHARS)
    if window_start + start > 0:  # begin at a word
        start = window.find(" ", start, spans[0][0]) + 1
    end = window.rfind(" ", 0, start + SNIPPET_CHARS)
    end = len(window) if end <= spans[0][1] or len(window) <= start + SNIPPET_CHARS else end
    prefix = "… " if window_start + start > 0 else ""
    suffix = " …" if window_start + end < len(text) else ""
    return f"{prefix}{_html(window, spans, start, end)}{suffix}"
