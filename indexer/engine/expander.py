"""A raw query tree rewritten for the index's analysed fields: every word in title, summary and text,
as written and stemmed; a compound also as its separate parts (with less weight); two adjacent words
also as the compound they make ("jeugd bescherming": "jeugdbescherming"); an acronym also as its
expansion and the other way round; facet filters as the index holds them.
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.analysis.analyzers import MIN_TOKEN_CHARS
from indexer.analysis.lexicon import split_compound
from indexer.analysis.wordforms import STOP_WORDS, stem, words
from indexer.engine import ranking_weights
from indexer.engine.facet_specs import FACET_BY_FIELD
from indexer.engine.fields import PAGE_TEXT, TEXT_FIELDS
from indexer.engine.query_context import QueryContext, acronym_key
from indexer.engine.query_model import (
    NOTHING,
    And,
    AndNot,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
    Wildcard,
    pattern_of,
    simplified,
)
from indexer.engine.syntax import FILTER_FIELDS, MIN_PATTERN_PREFIX, literal_prefix

# Words that make a question a question but never narrow it down ("hoeveel meldingen in 2024").
QUESTION_WORDS = frozenset(
    [
        "hoeveel",
        "welke",
        "welk",
        "wanneer",
        "waarom",
        "waar",
        "mag",
        "mogen",
        "moeten",
        "gaat",
        "gaan",
        "krijg",
        "krijgen",
        "vind",
        "vinden",
        "zoek",
        "zoeken",
        "graag",
        "iemand",
        "weten",
        "informatie",
    ]
)
# Words no search is narrowed down by: left out of the query, unless typed as an acronym ("OM").
COMMON_WORDS = STOP_WORDS | QUESTION_WORDS
# Whether a compound part's stem may count on its own.
PartTest = Callable[[str], bool]


def _stems(text: str) -> list[str]:
    return [stem(word) for word in words(text) if word not in STOP_WORDS and len(word) >= MIN_TOKEN_CHARS]


class Expander:
    """Rewrites a raw parse tree for the document records (title, summary, text, filters) or,
    with `for_pages`, for the page records (text only, no filters)."""

    def __init__(
        self,
        context: QueryContext,
        for_pages: bool = False,
        part_alone: PartTest | None = None,
        joins: dict[str, list[str]] | None = None,
        known: Callable[[str], bool] | None = None,
        shouted: frozenset[str] = frozenset(),
    ) -> None:
        self.context = context
        # Words typed as acronyms ("OM"): only so does an acronym that is a stop word stand for its long
        # form; typed in lowercase it is the word, which the index leaves out.
        self.shouted = shouted
        self.joins = joins or {}  # word -> the compounds it makes with its neighbours in the query
        self.known = known  # whether the index has a word: parts rare in Dutch count when it does
        self.for_pages = for_pages
        self.part_alone = part_alone  # which compound parts also count on their own (last resort)
        self.fields = (PAGE_TEXT,) if for_pages else TEXT_FIELDS
        self.expansions: list[str] = []
        self.refused: list[str] = []  # patterns without MIN_PATTERN_PREFIX leading letters

    def _on_fields(self, make) -> Node:
        return Or([make(field) for field in self.fields])

    def _phrase(self, stems: list[str], boost: float = 1.0) -> Node:
        if len(stems) == 1:
            return self._on_fields(lambda field: Term(field, stems[0], boost=boost))
        return self._on_fields(lambda field: Phrase(field, stems, boost=boost))

    def word(self, raw: str) -> Node:
        common = raw in COMMON_WORDS
        the_word = raw in STOP_WORDS and raw not in self.shouted
        acronym = None if the_word else self.context.by_acronym.get(raw)
        if acronym:
            self.expansions.append(f"{acronym[0]} → {acronym[1]}")
            long_form = self._phrase(_stems(acronym[1]), ranking_weights.SYNONYM_BOOST)
            if common:  # the index leaves "om" out of every text: only the long form can be found
                return long_form
        elif common:
            return NOTHING
        alternatives = [self._phrase([stem(raw)])]
        # A document that writes "jeugdbescherming" has both "jeugd" and "bescherming" of the query.
        alternatives += [
            self._phrase([stem(joined)], ranking_weights.JOINED_WORDS_BOOST) for joined in self.joins.get(raw, ())
        ]
        if acronym:
            alternatives.append(long_form)
        parts = split_compound(raw, self.known)
        if parts:
            # "zorgcriminaliteit" also finds "criminaliteit in de zorg": in a document, the parts next to
            # each other, stop words aside, in either order (a phrase, answered by the word pairs); on a
            # page, short enough, all parts (Whoosh's phrases with positions made page hits slow). Only
            # when the search loosens to any word do the parts count anywhere in a document: every long
            # report has "vecht" and "partij" somewhere, few write "vechtpartij".
            stems = [stem(part) for part in parts]
            text_field = self.fields[-1]
            if not self.for_pages:
                alternatives += [
                    Phrase(text_field, side, boost=ranking_weights.COMPOUND_SPLIT_BOOST)
                    for side in (stems, stems[::-1])
                ]
            if self.part_alone or self.for_pages:
                alternatives.append(
                    And([Term(text_field, s) for s in stems], boost=ranking_weights.COMPOUND_SPLIT_BOOST)
                )
            if self.part_alone:
                alone = [s for s in stems if self.part_alone(s)]
                alternatives += [self._phrase([s], ranking_weights.COMPOUND_PART_ALONE_BOOST) for s in alone]
        return Or(alternatives) if len(alternatives) > 1 else alternatives[0]

    def expand(self, node: Node) -> Node:
        """Rewrite the raw parse tree into a query on the index's analysed fields."""
        if isinstance(node, Term) and node.field == "content":
            return self.word(node.text)
        if isinstance(node, Phrase) and node.field == "content":
            stems = [stem(word) for word in node.words if word not in STOP_WORDS and len(word) >= MIN_TOKEN_CHARS]
            return self._phrase(stems) if stems else NOTHING
        if isinstance(node, (Prefix, Wildcard)) and node.field == "content":
            if len(literal_prefix(pattern_of(node))) < MIN_PATTERN_PREFIX:
                self.refused.append(pattern_of(node))
                return NOTHING
            return self._on_fields(lambda field: type(node)(field, node.text))
        spec = FACET_BY_FIELD.get(node.field) if isinstance(node, (Term, Phrase)) else None
        if spec and self.for_pages:
            return NOTHING  # pages carry no metadata; the document query applies the filters
        if spec and spec.words_field:
            return _filter_words(node, spec.words_field)
        if isinstance(node, Term) and node.field in self.context.slugs:
            slugs = self.context.slugs_matching(node.field, node.text)
            return Or([Term(node.field, slug) for slug in slugs]) if len(slugs) > 1 else Term(node.field, slugs[0])
        if isinstance(node, Term) and node.field in FILTER_FIELDS:
            return node
        if isinstance(node, (And, Or)):
            children = [self.expand(child) for child in node.children]
            return type(node)([child for child in children if child is not NOTHING], boost=node.boost)
        if isinstance(node, AndNot):
            return AndNot(self.expand(node.positive), self.expand(node.negative))
        if isinstance(node, Not):
            return Not(self.expand(node.child))
        return NOTHING  # anything else (ranges on text, odd syntax) is dropped, never an error


def _filter_words(node: Term | Phrase, words_field: str) -> Node:
    """bron:politie, bron:"RIEC Rotterdam": documents whose source has every word given."""
    given = node.words if isinstance(node, Phrase) else [node.text]
    terms = [Term(words_field, stem(word)) for word in given if word not in STOP_WORDS]
    return And(terms) if len(terms) > 1 else (terms[0] if terms else NOTHING)


def _reverse_synonyms(text: str, context: QueryContext, expander: Expander) -> list[Node]:
    """A written-out expansion in the query also finds its acronym ("persoonsgerichte aanpak
    radicalisering" -> PGA-R)."""
    typed = words(text)
    # Every run of two or more typed words is looked up: the corpus may define hundreds of acronyms.
    spans = (" ".join(typed[start:end]) for start in range(len(typed)) for end in range(start + 2, len(typed) + 1))
    found = []
    for expansion in spans:
        if expansion in context.by_expansion:
            short = context.by_expansion[expansion][0]
            if acronym_key(short) in STOP_WORDS:
                continue  # the index has no "om": the typed long form finds what there is
            found.append(expander._on_fields(lambda field, short=short: Term(field, stem(acronym_key(short)))))
            expander.expansions.append(f"{expansion} → {short}")
    return found


def expanded(
    raw: Node,
    text: str,
    context: QueryContext,
    for_pages: bool,
    part_alone: PartTest | None,
    joins: dict[str, list[str]],
    known: Callable[[str], bool],
    shouted: frozenset[str] = frozenset(),
) -> tuple[Node, Expander]:
    expander = Expander(context, for_pages, part_alone, joins, known, shouted)
    query = expander.expand(raw)
    extra = _reverse_synonyms(text, context, expander)
    if extra and query is not NOTHING:
        query = Or([query, *extra])
    return simplified(query), expander
