"""Our query tree as a Typesense `filter_by`: which records the cluster returns as candidates.

A token field holds our analysed tokens separated by spaces, and `field:token` in a filter matches a
record whose field has that token (exactly: no prefix, no typo); `word_pairs_tokens` and the facet
fields are arrays, matched by whole element with `:=`. AND and OR become `&&` and `||`, across
fields too. Typesense filters cannot exclude a token, so an exclusion (`-woord`, NOT) is left out
here and applied by the second stage, which has the candidates' terms: the filter is a superset of
the query's documents, never a subset. A phrase in the text is all of its word pairs; a phrase in
another field is all of its words there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

from indexer.backends.typesense.collections import SPELLING, token_field
from indexer.engine.fields import WORD_PAIRS
from indexer.engine.matching import TermKey
from indexer.engine.query_model import NOTHING, And, AndNot, Node, Not, Or, Phrase, Term

# The compiled form of a tree that no record matches (a filter cannot say "nothing" otherwise).
NEVER = "id:=`-`"
# Fields that hold analysed tokens as one string; every other field is an array of values.
_TOKEN_FIELDS = ("title", "summary", "content", "page_text", "source_words")
# Typesense 0.24 refuses a filter of about a hundred operands, operators and parentheses ("Filter
# expression is not valid"; 97 passed, 101 did not).
MAX_FILTER_TOKENS = 90
_FILTER_TOKEN = re.compile(r"\w+:=?(?:`[^`]*`|\[[^\]]*\])|&&|\|\||[()]")
# Fields of arrays of our tokens, matched by whole element.
_TOKEN_ARRAYS = (WORD_PAIRS, SPELLING)
# Text phrases are looked up in these (a document's pairs, or a page's).
_PHRASE_FIELDS = ("content", "page_text")


def _value(text: str) -> str:
    return "`" + text.replace("`", "") + "`"


def term_filter(field: str, text: str) -> str:
    """Records whose `field` (a field of the query tree) holds `text`."""
    return terms_filter(field, [text])


def terms_filter(field: str, texts: list[str]) -> str:
    """Records whose `field` holds any of `texts`: one operand, however many (Typesense refuses a
    filter of about fifty operands as "not valid")."""
    values = _value(texts[0]) if len(texts) == 1 else "[" + ",".join(_value(text) for text in sorted(set(texts))) + "]"
    if field in _TOKEN_FIELDS:
        return f"{token_field(field)}:{values}"
    if field in _TOKEN_ARRAYS:
        return f"{token_field(field)}:={values}"
    return f"{field}:={values}"


def _all(parts: Iterable[str | None]) -> str | None:
    """AND of the parts; None (no restriction) parts drop out, NEVER wins."""
    kept = [part for part in parts if part is not None]
    if NEVER in kept:
        return NEVER
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else "(" + " && ".join(kept) + ")"


def _any(parts: Iterable[str | None]) -> str | None:
    """OR of the parts; one unrestricted part makes the whole unrestricted, NEVER drops out."""
    kept = []
    for part in parts:
        if part is None:
            return None
        if part != NEVER:
            kept.append(part)
    if not kept:
        return NEVER
    return kept[0] if len(kept) == 1 else "(" + " || ".join(kept) + ")"


def phrase_filter(node: Phrase) -> str | None:
    if node.field in _PHRASE_FIELDS and len(node.words) > 1:
        return _all(term_filter(WORD_PAIRS, f"{first} {second}") for first, second in pairwise(node.words))
    return _all(term_filter(node.field, word) for word in node.words)


def query_filter(node: Node | None) -> str | None:
    """The records that may match `node` (None: every record). A tree too large for Typesense (a
    reading of all but one of many words) becomes the records with any of its terms: a superset,
    which the second stage narrows."""
    exact = _tree_filter(node)
    if exact is None or _size(exact) <= MAX_FILTER_TOKENS:
        return exact
    terms: dict[str, list[str]] = {}
    for field, text in _positive_terms(node):
        terms.setdefault(field, []).append(text)
    return _any(terms_filter(field, texts) for field, texts in terms.items())


def _size(filter_by: str) -> int:
    return len(_FILTER_TOKEN.findall(filter_by))


def _positive_terms(node: Node) -> Iterator[tuple[str, str]]:
    """(field, text) of every term a match needs one of (exclusions left out; a phrase as its pairs)."""
    if isinstance(node, Term):
        yield node.field, node.text
    elif isinstance(node, Phrase):
        if node.field in _PHRASE_FIELDS and len(node.words) > 1:
            yield from ((WORD_PAIRS, f"{first} {second}") for first, second in pairwise(node.words))
        else:
            yield from ((node.field, word) for word in node.words)
    elif isinstance(node, AndNot):
        yield from _positive_terms(node.positive)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _positive_terms(child)


def _tree_filter(node: Node | None) -> str | None:
    if node is None:
        return None
    if node is NOTHING:
        return NEVER
    if isinstance(node, Term):
        return term_filter(node.field, node.text)
    if isinstance(node, Phrase):
        return phrase_filter(node)
    if isinstance(node, AndNot):
        return _tree_filter(node.positive)
    if isinstance(node, Not):
        return None
    if isinstance(node, And):
        return _all(_tree_filter(child) for child in node.children) if node.children else NEVER
    if isinstance(node, Or):
        terms: dict[str, list[str]] = {}
        for child in node.children:
            if isinstance(child, Term):
                terms.setdefault(child.field, []).append(child.text)
        grouped = [terms_filter(field, texts) for field, texts in terms.items()]
        return _any([*grouped, *(_tree_filter(child) for child in node.children if not isinstance(child, Term))])
    return NEVER


def key_filter(key: TermKey) -> str:
    """The records that hold a term the evaluator asks the global count of (`engine.matching.term_key`)."""
    fields, text = key
    if fields == "page_text":  # a pair found by position in the embedded engine: here a stored pair
        return term_filter(WORD_PAIRS, text)
    return _any(term_filter(field, text) for field in fields.split()) or NEVER


def any_of(field: str, values: Iterable[str]) -> str:
    """Records whose `field` (an id, a facet, a document's id on a page) is one of `values`."""
    return f"{field}:=[{','.join(_value(value) for value in sorted(values))}]"


def selection_filter(selections: dict[str, set[str]], leave_out: str | None = None) -> str | None:
    """The facet selections (OR within a facet, AND across), but that of `leave_out`."""
    return _all(any_of(field, values) for field, values in sorted(selections.items()) if values and field != leave_out)


def both(first: str | None, second: str | None) -> str | None:
    return _all((first, second))
