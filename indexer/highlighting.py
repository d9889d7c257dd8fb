"""Query terms marked in page text: whole pages for a document page, short snippets for hits.

Marking means analysing the text word by word, which is the slowest part of a search request when
done for whole pages. A snippet therefore analyses only a window around the first place where one
of the terms occurs, found with a plain substring search on the folded text.
"""

from __future__ import annotations

import html

from whoosh import highlight
from whoosh.query import Query

from indexer.analysis import dutch_analyzer
from indexer.query import QueryContext, parse_query
from indexer.schema import PAGE_TEXT
from indexer.wordforms import fold

_ANALYZER = dutch_analyzer()
# A page longer than this is shown without marks rather than slowing the page down.
MAX_HIGHLIGHT_CHARS = 200_000


# A snippet shows at most this many characters; the window analysed around a match is a bit wider.
SNIPPET_CHARS = 240
# Analysing the window is most of a snippet's cost (ten per results page), so it is kept tight.
SNIPPET_WINDOW_CHARS = 360


def terms_of(query: Query | None) -> frozenset[str]:
    """The analysed terms a page query looks for in the page text."""
    if query is None:
        return frozenset()
    return frozenset(text for field, text in query.all_terms(phrases=True) if field == PAGE_TEXT)


def query_terms(query_text: str, context: QueryContext) -> frozenset[str]:
    """The analysed terms (stems, compound parts, expansions) a query looks for in page text."""
    return terms_of(parse_query(query_text, context).page_query)


def highlight_text(text: str, terms: frozenset[str]) -> str:
    """Safe HTML: the text escaped, every word that matches a term inside <mark>."""
    if not terms or len(text) > MAX_HIGHLIGHT_CHARS:
        return html.escape(text)
    marked = highlight.highlight(
        text,
        terms,
        _ANALYZER,
        highlight.WholeFragmenter(charlimit=MAX_HIGHLIGHT_CHARS),
        highlight.HtmlFormatter(tagname="mark"),
        top=1,
        mode="index",
    )
    return marked or html.escape(text)


def _window(text: str, terms: frozenset[str]) -> str:
    """The part of `text` around the earliest occurrence of a term (stems are mostly prefixes of the
    words they come from, compound parts substrings of the compounds)."""
    folded = fold(text)
    positions = [position for term in terms if (position := folded.find(term.replace("_", "-"))) >= 0]
    if not positions:
        return text[: SNIPPET_WINDOW_CHARS * 2]
    start = max(0, min(positions) - SNIPPET_WINDOW_CHARS // 4)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    return text[start : start + SNIPPET_WINDOW_CHARS]


def snippet(text: str, terms: frozenset[str]) -> str:
    """Safe HTML: up to two fragments of `text` around the terms, marked; "" when none occur."""
    if not terms:
        return ""
    return highlight.highlight(
        _window(text, terms),
        terms,
        _ANALYZER,
        highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
        highlight.HtmlFormatter(tagname="mark", between=" … "),
        top=2,
        mode="index",
    )
