"""Between our query tree (`query_model`) and Whoosh's query objects, both ways.

Whoosh's query parser reads the typed syntax (words, "phrases", OR, NOT, field:value, patterns);
`from_whoosh` turns what it gives into our nodes, node for node, so the query side never holds a
Whoosh object. `to_whoosh` compiles our nodes for the two places that still let Whoosh match: the
page query, whose phrases need word positions, and phrases in titles and summaries.
"""

from __future__ import annotations

from whoosh import query as whoosh

from indexer.engine import query_model as q

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


def to_whoosh(node: q.Node) -> whoosh.Query:
    """The Whoosh query that matches what `node` means."""
    if isinstance(node, q.Term):
        return whoosh.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, q.Phrase):
        return whoosh.Phrase(node.field, list(node.words), boost=node.boost)
    if isinstance(node, q.Prefix):
        return whoosh.Prefix(node.field, node.text, boost=node.boost)
    if isinstance(node, q.Wildcard):
        return whoosh.Wildcard(node.field, node.text, boost=node.boost)
    if isinstance(node, (q.And, q.Or)):
        compound = whoosh.And if isinstance(node, q.And) else whoosh.Or
        return compound([to_whoosh(child) for child in node.children], boost=node.boost)
    if isinstance(node, q.Not):
        return whoosh.Not(to_whoosh(node.child), boost=node.boost)
    if isinstance(node, q.AndNot):
        return whoosh.AndNot(to_whoosh(node.positive), to_whoosh(node.negative))
    return whoosh.NullQuery
