"""Typed text read into a raw query tree: words, "phrases", -uitsluiten, OR, prefix*, and a filter per
facet (`facet_specs`: thema:, jaar:, bron:, ...).

Whoosh's query parser reads the syntax; `from_whoosh` turns what it gives into our nodes, node for
node, so nothing after this module holds a Whoosh object. Malformed input never raises: it
degrades to its plain words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh import query as whoosh
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, TEXT, FieldType, Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, OrGroup, QueryParser
from whoosh.qparser.default import QueryParserError

from indexer.analysis.analyzers import AccentFoldFilter, join_acronyms
from indexer.analysis.wordforms import WORD_PATTERN
from indexer.engine import query_model as q
from indexer.engine.facet_specs import FACET_BY_FIELD, FACETS, FacetSpec

# The facets' fields, filtered with their Dutch names: thema:zorg, jaar:2024, bron:politie.
FILTER_FIELDS = frozenset(FACET_BY_FIELD)
FIELD_ALIASES = {spec.field: [spec.arg] for spec in FACETS}
# A word with * or ? must start with this many letters: a leading wildcard ("*a*") would make
# the search read the whole term dictionary (see `expansion`); such a word is left out, with a note.
MIN_PATTERN_PREFIX = 2
WILDCARDS = re.compile(r"[*?]")

_MINUS_WORD = re.compile(r"(^|\s)-(?=\w)")
_FILTER_PIECE = re.compile(r"^\w+:")
_LOOSE_HYPHEN = re.compile(r"(?<=\w)-(?=\s|$)|(?<=\w)-(?=\w)")


def _raw_schema() -> Schema:
    """How the parser reads typed text: words, and each facet's filter value as `FacetSpec` says."""
    words_only = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | AccentFoldFilter()

    def filter_field(spec: FacetSpec) -> FieldType:
        if spec.words_field:
            return TEXT(analyzer=words_only)
        return KEYWORD(lowercase=True) if spec.lowercase else ID()

    return Schema(content=TEXT(analyzer=words_only), **{spec.field: filter_field(spec) for spec in FACETS})


def _parser(group) -> QueryParser:
    parser = QueryParser("content", _raw_schema(), group=group)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


_AND_PARSER = _parser(AndGroup)
_OR_PARSER = _parser(OrGroup)


def literal_prefix(pattern: str) -> str:
    """The letters of a pattern before its first wildcard: where its terms start."""
    return WILDCARDS.split(pattern, maxsplit=1)[0]


def prepare(text: str) -> str:
    """Query text in the parser's syntax: "-woord" -> "NOT woord", other hyphens -> spaces,
    except inside filter values (thema:zorg-en-veiligheid)."""
    pieces = []
    for piece in re.split(r"(\s+)", join_acronyms(text)):
        piece = _MINUS_WORD.sub(r"\1NOT ", piece)
        pieces.append(piece if _FILTER_PIECE.match(piece.removeprefix("NOT ")) else _LOOSE_HYPHEN.sub(" ", piece))
    return "".join(pieces)


def _plain_words(text: str) -> str:
    return " ".join(word for word in re.findall(WORD_PATTERN, text) if word.upper() not in ("AND", "OR", "NOT"))


_LEAF_TYPES = {whoosh.Term: q.Term, whoosh.Prefix: q.Prefix, whoosh.Wildcard: q.Wildcard}


def from_whoosh(node: whoosh.Query) -> q.Node:
    """Our node for a Whoosh parse tree; what we do not search on (ranges, "every") is nothing."""
    kind = type(node)
    if kind in _LEAF_TYPES:
        return _LEAF_TYPES[kind](node.fieldname, node.text, node.boost)
    if kind is whoosh.Phrase:
        return q.Phrase(node.fieldname, tuple(node.words), node.boost)
    if kind in (whoosh.And, whoosh.Or):
        compound = q.And if kind is whoosh.And else q.Or
        return compound(tuple(from_whoosh(child) for child in node.subqueries), node.boost)
    if kind is whoosh.Not:
        return q.Not(from_whoosh(node.query), node.boost)
    if kind is whoosh.AndNot:
        return q.AndNot(from_whoosh(node.a), from_whoosh(node.b))
    return q.NOTHING


@lru_cache(maxsize=1024)  # a request parses its text for all and for most words alike, a next page again
def read(text: str, any_word: bool) -> q.Node:
    """The typed text as Whoosh's parser reads it, words joined by AND (or OR), in our nodes."""
    parser = _OR_PARSER if any_word else _AND_PARSER
    try:
        return from_whoosh(parser.parse(prepare(text)))
    except (QueryParserError, ValueError, TypeError):
        return from_whoosh(parser.parse(_plain_words(text)))
