"""From what a professional types to our query tree (`query_model`), read strictly or loosely.

A search tries its text as "all" words, then "most" (all but one, from three words on), then "any"
word or compound part; `parse_query` gives each reading, the syntax read by `syntax` and the words
rewritten for the index by `expander`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import pairwise

from indexer.analysis.acronyms import acronym_letters
from indexer.analysis.lexicon import MAX_COMPOUND_CHARS
from indexer.analysis.wordforms import WORD_PATTERN, fold, stem
from indexer.engine import ranking_weights
from indexer.engine.expander import COMMON_WORDS, expanded
from indexer.engine.query_context import QueryContext
from indexer.engine.query_model import NOTHING, And, Node, Not, Or, Phrase, Term
from indexer.engine.syntax import FILTER_FIELDS, read

# With at least this many words, a document that has all but one of them also counts.
MOST_WORDS_FROM = 3


def _no_pages() -> Node | None:
    return None


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: Node | None  # on document records; None: no words, list everything
    expansions: tuple[str, ...] = ()  # for "ook gezocht op: ..."
    refused: tuple[str, ...] = ()  # words with a leading wildcard, left out
    read_pages: Callable[[], Node | None] = field(default=_no_pages, repr=False, compare=False)
    common: tuple[str, ...] = ()  # with no query: the typed words left out as too common ("de", "om")

    @property
    def is_empty(self) -> bool:
        return self.query is None

    @cached_property
    def page_query(self) -> Node | None:
        """The same query on page records, to find the pages that match. Read when first asked:
        a request tries several readings of its query, and only the one it shows needs its pages."""
        return self.read_pages()


def _is_word(node: Node) -> bool:
    return isinstance(node, Term) and node.field == "content" and node.text not in COMMON_WORDS


def _joined_words(node: Node, joins: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Each word of the query with the compounds it makes with the word before and after it
    ("jeugd bescherming" -> "jeugdbescherming" for both words)."""
    joins = {} if joins is None else joins
    if isinstance(node, (And, Or)):
        for left, right in pairwise(node.children):
            joined = f"{getattr(left, 'text', '')}{getattr(right, 'text', '')}"
            if _is_word(left) and _is_word(right) and len(joined) <= MAX_COMPOUND_CHARS:
                joins.setdefault(left.text, []).append(joined)
                joins.setdefault(right.text, []).append(joined)
        for child in node.children:
            _joined_words(child, joins)
    return joins


def _all_but_one(raw: Node) -> Node:
    """For a plain list of words: documents that have all of them, or all but one."""
    if not isinstance(raw, And):
        return raw
    words_ = [child for child in raw.children if _is_word(child)]
    others = [child for child in raw.children if not _is_word(child)]
    if len(words_) < MOST_WORDS_FROM:
        return raw
    return And([*others, Or([And([w for w in words_ if w is not left_out]) for left_out in words_])])


def typed_acronyms(text: str) -> frozenset[str]:
    """The words typed as acronyms ("OM", "RvdK"), folded as the query tree holds a single word."""
    return frozenset(fold(word) for word in re.findall(WORD_PATTERN, text) if acronym_letters(word))


def _common_words(text: str) -> tuple[str, ...]:
    """The typed words too common to search on ("de", "om"), as typed."""
    typed = re.findall(WORD_PATTERN, text)
    return tuple(dict.fromkeys(word for word in typed if fold(word) in COMMON_WORDS))


def _no_document_has(_stem: str) -> float:
    """Without the index's frequencies at hand, every compound part may count on its own."""
    return 0.0


def _loosens(node: Node) -> bool:
    """Whether a part of the query may be left out when loosening: words may, filters and
    exclusions may not (`bron:politie woninginbraak ondermijning` stays within the police's documents)."""
    return not isinstance(node, Not) and not (isinstance(node, (Term, Phrase)) and node.field in FILTER_FIELDS)


def _any_word(raw: Node) -> Node:
    """For "any" matching: any of the words, but every filter and exclusion still holds."""
    if not isinstance(raw, Or):
        return raw
    words_ = [child for child in raw.children if _loosens(child)]
    required = [child for child in raw.children if not _loosens(child)]
    if not required:
        return raw
    if not words_:  # filters only ("thema:jeugd soort:factsheet"): every one of them holds
        return And(required)
    return And([*required, Or(words_)])


def parse_query(
    text: str, context: QueryContext, match: str = "all", share_of: Callable[[str], float] = _no_document_has
) -> ParsedQuery:
    """Parse and expand user input. `match`: "all" words, "most" (all but one, from three words on)
    or "any" word or compound part; the search tries them in that order until enough is found.
    `share_of` tells which share of the index's documents has a stem (see `ranking_weights.MAX_PART_ALONE_SHARE`), and
    so which words the index has: a compound of a word rare in Dutch splits when the index has it."""
    raw = read(text, any_word=match == "any")
    joins = _joined_words(raw)
    if match == "most":
        raw = _all_but_one(raw)
    elif match == "any":
        raw = _any_word(raw)
    part_alone = (lambda part: share_of(part) <= ranking_weights.MAX_PART_ALONE_SHARE) if match == "any" else None

    @cache  # the document and the page query ask alike
    def known(word: str) -> bool:
        return share_of(stem(word)) > 0

    shouted = typed_acronyms(text)
    query, expander = expanded(raw, text, context, False, part_alone, joins, known, shouted)
    refused = tuple(dict.fromkeys(expander.refused))
    if query is NOTHING:
        return ParsedQuery(text, None, refused=refused, common=_common_words(text))

    def read_pages() -> Node | None:
        page_query, _ = expanded(raw, text, context, True, part_alone, joins, known, shouted)
        return None if page_query is NOTHING else page_query

    return ParsedQuery(text, query, tuple(dict.fromkeys(expander.expansions)), refused, read_pages)
