"""Whole page texts with the query's terms marked, for a document opened from a search."""

from __future__ import annotations

import html

from whoosh import highlight

from indexer.analysis import dutch_analyzer
from indexer.query import QueryContext, parse_query

_ANALYZER = dutch_analyzer()
# A page longer than this is shown without marks rather than slowing the page down.
MAX_HIGHLIGHT_CHARS = 200_000


def query_terms(query_text: str, context: QueryContext) -> frozenset[str]:
    """The analysed terms (stems, compound parts, expansions) a query looks for in page text."""
    parsed = parse_query(query_text, context)
    if parsed.page_query is None:
        return frozenset()
    return frozenset(text for field, text in parsed.page_query.all_terms(phrases=True) if field == "content")


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
