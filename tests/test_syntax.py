"""Our reading of the query syntax against Whoosh's own parser, which the search used before.

Whoosh's `QueryParser`, set up as the search set it up (words folded as the index folds them, the
facet fields with their Dutch names), is the reference: for every judged query, every benchmark
request and a table of odd input, both readings must give the same tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from whoosh import query as whoosh
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, OrGroup, QueryParser

from bench.queries import generate_queries
from indexer.analysis.analyzers import AccentFoldFilter
from indexer.analysis.wordforms import WORD_PATTERN
from indexer.engine import query_model as q
from indexer.engine.facet_specs import FACETS
from indexer.engine.syntax import prepare, read

ROOT = Path(__file__).resolve().parent.parent
ODD_INPUT = [
    "a OR b c",
    "a b OR c",
    "a AND b OR c",
    "NOT a b",
    "a NOT b",
    "a -b c",
    "(a b) OR c",
    "a OR",
    "AND a",
    "NOT",
    "a NOT",
    "((a))",
    "a) b",
    "a (b",
    'a "b',
    '"a b" c',
    '"de het een"',
    "a a",
    "a AND NOT b",
    "thema:jeugd a",
    "thema:Jeugd",
    "thema:zorg-en-veiligheid a",
    "soort:Factsheet x",
    "jaar:2020 a",
    "jaar:[2020 TO 2023] x",
    'bron:"RIEC Rotterdam" a',
    "bron:politie -straattriage",
    "foo:bar a",
    "zorg/veiligheid",
    "café ideeën",
    "a^2 b",
    "a*",
    "Radi*",
    "a?c",
    "*a*",
    "PGA-R x",
]


def _whoosh_parser(group) -> QueryParser:
    words = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | AccentFoldFilter()
    fields = {
        spec.field: TEXT(analyzer=words) if spec.words_field else KEYWORD(lowercase=True) if spec.lowercase else ID()
        for spec in FACETS
    }
    parser = QueryParser("content", Schema(content=TEXT(analyzer=words), **fields), group=group)
    parser.add_plugin(FieldAliasPlugin({spec.field: [spec.arg] for spec in FACETS}))
    return parser


PARSERS = {False: _whoosh_parser(AndGroup), True: _whoosh_parser(OrGroup)}
_LEAVES = {whoosh.Term: q.Term, whoosh.Prefix: q.Prefix, whoosh.Wildcard: q.Wildcard}


def _ours(node: whoosh.Query) -> q.Node:
    """Whoosh's tree in our nodes; ranges and "every" are nothing, as the search treats them."""
    kind = type(node)
    if kind in _LEAVES:
        return _LEAVES[kind](node.fieldname, node.text, node.boost)
    if kind is whoosh.Phrase:
        return q.Phrase(node.fieldname, tuple(node.words), node.boost)
    if kind in (whoosh.And, whoosh.Or):
        return (q.And if kind is whoosh.And else q.Or)(tuple(_ours(child) for child in node.subqueries), node.boost)
    if kind is whoosh.Not:
        return q.Not(_ours(node.query), node.boost)
    if kind is whoosh.AndNot:
        return q.AndNot(_ours(node.a), _ours(node.b))
    return q.NOTHING


def _judged_queries() -> list[str]:
    texts = []
    for name in ("echte-zoekvragen.yaml", "zoekvragen.yaml"):
        texts += [item["vraag"] for item in yaml.safe_load((ROOT / "corpus" / "evaluatie" / name).read_text())]
    return texts


@pytest.mark.parametrize("any_word", [False, True], ids=["all words", "any word"])
def test_our_reading_of_the_syntax_equals_whooshs(any_word: bool) -> None:
    typed = set(ODD_INPUT) | set(_judged_queries()) | {spec.text for spec in generate_queries(600)}
    different = [
        (text, theirs, ours)
        for text in sorted(typed)
        if (theirs := q.simplified(_ours(PARSERS[any_word].parse(prepare(text))))) != (ours := read(text, any_word))
    ]
    assert len(typed) > 800
    assert different == [], different[:3]


def test_a_field_nobody_filters_on_is_read_as_its_words() -> None:
    """Whoosh dropped the first word of "x:y:z"; every word is kept here."""
    assert read("x:y:z", any_word=False) == q.And(tuple(q.Term("content", word) for word in "xyz"))
