"""Typed text read into a raw query tree: words, "phrases", -uitsluiten, OR, AND, NOT, (groups),
prefix* and patterns, word^2, and a filter per facet (`facet_specs`: thema:, jaar:, bron:, ...).

The syntax is Whoosh's query syntax, read here into our nodes: explicit AND binds tighter than
explicit OR, both tighter than words side by side (joined by AND, or by OR for the loosest reading),
and NOT applies to what follows it. An operator without its operands, an unmatched quote or bracket
and a field nobody filters on are read as plain words; a range (`jaar:[2020 TO 2023]`) as nothing.
Malformed input never raises. `tests/test_syntax.py` compares the result with Whoosh's parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from indexer.analysis.analyzers import join_acronyms
from indexer.analysis.wordforms import WORD_PATTERN, fold
from indexer.engine import query_model as q
from indexer.engine.facet_specs import FACET_BY_FIELD, FACETS, FacetSpec

# The facets' fields, filtered with their Dutch names: thema:zorg, jaar:2024, bron:politie.
FILTER_FIELDS = frozenset(FACET_BY_FIELD)
# The name a filter may be typed with: its Dutch argument or the field itself.
_FIELD_OF_NAME = {**{spec.field: spec.field for spec in FACETS}, **{spec.arg: spec.field for spec in FACETS}}
# The field a plain word is searched in; expansion spreads it over title, summary and text.
DEFAULT_FIELD = "content"
# A word with * or ? must start with this many letters: a leading wildcard ("*a*") would make
# the search read the whole term dictionary (see `expansion`); such a word is left out, with a note.
MIN_PATTERN_PREFIX = 2
WILDCARDS = re.compile(r"[*?]")
OPERATORS = ("AND", "OR", "NOT")

_MINUS_WORD = re.compile(r"(^|\s)-(?=\w)")
_FILTER_PIECE = re.compile(r"^\w+:")
_LOOSE_HYPHEN = re.compile(r"(?<=\w)-(?=\s|$)|(?<=\w)-(?=\w)")
# Pieces of typed text: a bracket, a quoted phrase (with or without a field), a range, or a word.
_PIECE = re.compile(
    r"(?P<open>\()|(?P<close>\))"
    r'|(?:(?P<field>[^\s():"\[\]]+):)?(?:"(?P<phrase>[^"]*)"|(?P<range>\[[^\]]*\])|(?P<word>[^\s()"]+))'
    r'|(?P<stray>")'
)
_BOOST = re.compile(r"^(?P<text>.+)\^(?P<boost>\d+(?:\.\d+)?)$")

Join = Callable[[tuple[q.Node, ...]], q.Node]


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


def _tokens(text: str) -> list[str]:
    """The analysed words of a piece of text, as the index's word fields hold them."""
    return [fold(word) for word in re.findall(WORD_PATTERN, text)]


def _words(field: str, text: str, join: Join) -> q.Node:
    tokens = _tokens(text)
    if len(tokens) == 1:
        return q.Term(field, tokens[0])
    return join(tuple(q.Term(field, token) for token in tokens)) if tokens else q.NOTHING


def _filter(spec: FacetSpec, value: str, phrase: bool, join: Join) -> q.Node:
    """A facet filter's value as the index holds that facet: words, a keyword or the value itself."""
    if spec.words_field:
        return q.Phrase(spec.field, tuple(_tokens(value))) if phrase else _words(spec.field, value, join)
    return q.Term(spec.field, value.lower() if spec.lowercase else value)


def _word(text: str, join: Join) -> q.Node:
    boosted = _BOOST.match(text)
    if boosted:
        node = _word(boosted["text"], join)
        return node if node is q.NOTHING else q.boosted(node, float(boosted["boost"]))
    if WILDCARDS.search(text):
        return q.Wildcard(DEFAULT_FIELD, fold(text))
    return _words(DEFAULT_FIELD, text, join)


def _atom(piece: re.Match[str], join: Join) -> q.Node:
    field_name, phrase, word = piece["field"], piece["phrase"], piece["word"]
    spec = FACET_BY_FIELD.get(_FIELD_OF_NAME.get(field_name or "", ""))
    if piece["range"] is not None:
        return q.NOTHING
    if field_name and spec is None:  # nobody filters on it: its name and value are words
        return _words(DEFAULT_FIELD, f"{field_name} {phrase if phrase is not None else word}", join)
    if spec is not None:
        return _filter(spec, phrase if phrase is not None else word, phrase is not None, join)
    if phrase is not None:
        return q.Phrase(DEFAULT_FIELD, tuple(_tokens(phrase)))
    return _word(word, join)


class _Reader:
    """Recursive descent over the pieces: group > OR > AND > NOT > atom."""

    def __init__(self, pieces: list[re.Match[str]], join: Join) -> None:
        self.pieces, self.join, self.at = pieces, join, 0

    def _operator(self, offset: int = 0) -> str | None:
        index = self.at + offset
        if index < len(self.pieces) and self.pieces[index]["word"] in OPERATORS and not self.pieces[index]["field"]:
            return self.pieces[index]["word"]
        return None

    def _starts_operand(self, offset: int) -> bool:
        """Whether the piece at `offset` can begin what an operator applies to."""
        index = self.at + offset
        if index >= len(self.pieces) or self.pieces[index]["close"] or self.pieces[index]["stray"]:
            return False
        following = self._operator(offset)
        return following is None or (following == "NOT" and self._starts_operand(offset + 1))

    def group(self) -> q.Node:
        parts = []
        while self.at < len(self.pieces) and not self.pieces[self.at]["close"]:
            if self.pieces[self.at]["stray"]:
                self.at += 1
                continue
            parts.append(self.either())
        return self.join(tuple(parts))

    def either(self) -> q.Node:
        return self._chain("OR", self.both, q.Or)

    def both(self) -> q.Node:
        return self._chain("AND", self.unary, q.And)

    def _chain(self, operator: str, operand: Callable[[], q.Node], compound: Join) -> q.Node:
        """Operands joined by `operator` for as long as it stands between two of them."""
        parts = [operand()]
        while self._operator() == operator and self._starts_operand(1):
            self.at += 1
            parts.append(operand())
        return compound(tuple(parts)) if len(parts) > 1 else parts[0]

    def unary(self) -> q.Node:
        if self._operator() == "NOT" and self._starts_operand(1):
            self.at += 1
            return q.Not(self.unary())
        piece = self.pieces[self.at]
        self.at += 1
        if piece["open"]:
            inner = self.group()
            self.at += 1  # past the closing bracket (or the end)
            return inner
        return _atom(piece, self.join)


@lru_cache(maxsize=1024)  # a request parses its text for all and for most words alike, a next page again
def read(text: str, any_word: bool) -> q.Node:
    """The typed text as a raw tree, words side by side joined by AND (or OR)."""
    join: Join = q.Or if any_word else q.And
    pieces = list(_PIECE.finditer(prepare(text)))
    reader = _Reader(pieces, join)
    parts = []
    while reader.at < len(pieces):  # a closing bracket without its opening one is passed over
        parts.append(reader.group())
        reader.at += 1
    return q.simplified(join(tuple(parts)))
