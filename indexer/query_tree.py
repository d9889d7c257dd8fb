"""Whoosh's `Query.normalize` for the trees `query` builds, without its deep copies.

Whoosh flattens an OR inside an OR (and an AND inside an AND) by copying every grandchild with
`with_boost`, which deep-copies it even when its boost does not change. Our expanded queries nest
an OR of fields inside an OR of a word's alternatives inside the words' AND, so those copies were
the largest single cost of parsing a query. This gives the same tree (a test compares the two),
sharing the leaves, which nothing changes after parsing.
"""

from __future__ import annotations

import copy

from whoosh.query import BinaryQuery, CompoundQuery, Every, NullQuery, NumericRange, Query, TermRange, WrappingQuery

__all__ = ["simplified"]

# Whoosh merges these among siblings (overlapping ranges, a field matched by Every); left to it.
_MERGED_BY_WHOOSH = (Every, NumericRange, TermRange)


def _with_boost(node: Query, boost: float) -> Query:
    if boost == node.boost:
        return node
    boosted = copy.copy(node)
    boosted.boost = boost
    return boosted


def _compound(node: CompoundQuery) -> Query:
    children: list[Query] = []
    for child in node.subqueries:
        child = simplified(child)
        if type(child) is type(node):
            children += [_with_boost(grandchild, grandchild.boost * child.boost) for grandchild in child.subqueries]
        elif child is not NullQuery:
            children.append(child)
    if any(isinstance(child, _MERGED_BY_WHOOSH) for child in children):
        return type(node)(children, boost=node.boost).normalize()
    children = list(dict.fromkeys(children))  # duplicates count once, as in Whoosh
    if not children:
        return NullQuery
    if len(children) == 1:
        return _with_boost(children[0], children[0].boost * node.boost)
    return type(node)(children, boost=node.boost)


def simplified(node: Query) -> Query:
    """`node` with nested ANDs and ORs flattened, empty parts and duplicates dropped."""
    if isinstance(node, BinaryQuery | WrappingQuery):
        # AND NOT, NOT: each class has its own rules; over flat children Whoosh copies nothing.
        return node.apply(simplified).normalize()
    if isinstance(node, CompoundQuery):
        return _compound(node)
    return node.normalize()
