"""Our own small query tree: what a typed query means, independent of any search engine.

The query side (`syntax`, `expander`, `query`) builds these nodes and every engine compiles them:
the embedded engine evaluates them on numpy arrays (`backends.whoosh.matching`) and hands the few it
leaves to Whoosh through `backends.whoosh.queries`. Nodes are frozen, compared by value, and shared
between trees: nothing changes a node after it is made.

`simplified` flattens what the builders nest (an OR of fields inside an OR of a word's
alternatives), drops empty parts and duplicates, as Whoosh's `normalize` did for its own trees
(`tests/test_matching.py` compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Nothing:
    """Matches no document: a stop word alone, a refused pattern, odd syntax."""

    boost: float = 1.0


NOTHING = Nothing()


@dataclass(frozen=True)
class _OnField:
    field: str
    text: str
    boost: float = 1.0


class Term(_OnField):
    """One term of one field."""


@dataclass(frozen=True)
class Phrase:
    """Words next to each other, in this order."""

    field: str
    words: tuple[str, ...]
    boost: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.words))  # a list given is kept hashable


class Prefix(_OnField):
    """Every word that starts with `text` (typed as "radicali*")."""


class Wildcard(_OnField):
    """Every word that fits `text`, with * and ? (typed as "radicali?ering")."""


@dataclass(frozen=True)
class _Compound:
    children: tuple[Node, ...]
    boost: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "children", tuple(self.children))  # a list given is kept hashable


class And(_Compound):
    """Documents that match every child."""


class Or(_Compound):
    """Documents that match any child, scored by the children they match."""


@dataclass(frozen=True)
class Not:
    """Every document that does not match `child`."""

    child: Node
    boost: float = 1.0


@dataclass(frozen=True)
class AndNot:
    """The documents of `positive` that do not match `negative` (typed as "zorg -jeugd")."""

    positive: Node
    negative: Node
    boost: float = 1.0


Node = Nothing | Term | Phrase | Prefix | Wildcard | And | Or | Not | AndNot
Pattern = Prefix | Wildcard
Compound = And | Or
_LEAVES = (Nothing, Term, Phrase, Prefix, Wildcard)


def pattern_of(node: Pattern) -> str:
    """A prefix or wildcard as typed: "radicali*" for Prefix("radicali")."""
    return f"{node.text}*" if isinstance(node, Prefix) else node.text


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (And, Or)):
        return node.children
    if isinstance(node, Not):
        return (node.child,)
    if isinstance(node, AndNot):
        return (node.positive, node.negative)
    return ()


def with_children(node: Node, fn: Callable[[Node], Node]) -> Node:
    """`node` with `fn` applied to each of its children (a leaf as it is)."""
    if isinstance(node, (And, Or)):
        return replace(node, children=tuple(fn(child) for child in node.children))
    if isinstance(node, Not):
        return replace(node, child=fn(node.child))
    if isinstance(node, AndNot):
        return replace(node, positive=fn(node.positive), negative=fn(node.negative))
    return node


def leaves(node: Node) -> Iterator[Node]:
    if isinstance(node, _LEAVES):
        yield node
    for child in children(node):
        yield from leaves(child)


def field_terms(node: Node) -> set[tuple[str, str]]:
    """(field, text) of every term and of every phrase's words."""
    found: set[tuple[str, str]] = set()
    for leaf in leaves(node):
        if isinstance(leaf, Term):
            found.add((leaf.field, leaf.text))
        elif isinstance(leaf, Phrase):
            found |= {(leaf.field, word) for word in leaf.words}
    return found


def boosted(node: Node, factor: float) -> Node:
    """`node` with its boost multiplied (for AND NOT: both sides')."""
    if factor == 1:
        return node
    if isinstance(node, AndNot):
        return AndNot(boosted(node.positive, factor), boosted(node.negative, factor))
    return replace(node, boost=node.boost * factor)


def _compound(node: Compound) -> Node:
    flat: list[Node] = []
    for child in node.children:
        child = simplified(child)
        if type(child) is type(node):
            flat += [boosted(grandchild, child.boost) for grandchild in child.children]
        elif child is not NOTHING:
            flat.append(child)
    unique = tuple(dict.fromkeys(flat))  # duplicates count once
    if not unique:
        return NOTHING
    if len(unique) == 1:
        return boosted(unique[0], node.boost)
    return type(node)(unique, node.boost)


def _wildcard(node: Wildcard) -> Node:
    """A wildcard without wildcards is a term; one with only a trailing * is a prefix."""
    text = node.text
    if "*" not in text and "?" not in text:
        return Term(node.field, text, node.boost)
    if "?" not in text and text.index("*") == len(text) - 1:
        return Prefix(node.field, text[:-1], node.boost)
    return node


def simplified(node: Node) -> Node:
    """`node` with nested ANDs and ORs flattened, empty parts and duplicates dropped."""
    if isinstance(node, (And, Or)):
        return _compound(node)
    if isinstance(node, AndNot):
        positive, negative = simplified(node.positive), simplified(node.negative)
        if positive is NOTHING:
            return NOTHING
        return positive if negative is NOTHING else AndNot(positive, negative, node.boost)
    if isinstance(node, Not):
        child = simplified(node.child)
        return NOTHING if child is NOTHING else Not(child, node.boost)
    if isinstance(node, Phrase):
        if not node.words:
            return NOTHING
        return Term(node.field, node.words[0]) if len(node.words) == 1 else node
    if isinstance(node, Wildcard):
        return _wildcard(node)
    return node
