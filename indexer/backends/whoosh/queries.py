"""Our query tree (`engine.query_model`) compiled to Whoosh's query objects, for the two places that
let Whoosh match: the page query, whose phrases need word positions, and phrases in titles and
summaries. Everything else is evaluated on arrays (`matching`)."""

from __future__ import annotations

from whoosh import query as whoosh

from indexer.engine import query_model as q


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
