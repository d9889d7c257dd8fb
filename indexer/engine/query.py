"""From what a professional types to our query tree (`query_model`): syntax, compounds, acronyms, field filters.

Supported: words (all must match), "phrases", -uitsluiten, OR, prefix*, and a filter per facet
(`facet_specs`: thema:, jaar:, bron:, ...). Each word is searched in title, summary and text, as
written and stemmed; a compound is also found as its separate parts (with less weight), and two
adjacent words also as the compound they make ("jeugd bescherming": "jeugdbescherming"); an acronym
from the taxonomy also finds its expansion and the other way round. Malformed input never raises:
it degrades to its plain words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from itertools import pairwise

from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, TEXT, FieldType, Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, OrGroup, QueryParser
from whoosh.qparser.default import QueryParserError

from indexer.analysis.analyzers import MIN_TOKEN_CHARS, AccentFoldFilter, join_acronyms
from indexer.analysis.lexicon import MAX_COMPOUND_CHARS, split_compound
from indexer.analysis.wordforms import STOP_WORDS, WORD_PATTERN, fold, stem, words
from indexer.backends.whoosh.queries import from_whoosh
from indexer.backends.whoosh.schema import PAGE_TEXT, TEXT_FIELDS
from indexer.engine import ranking_weights
from indexer.engine.facet_specs import FACET_BY_FIELD, FACETS, FacetSpec
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
from indexer.themes.taxonomy import Taxonomy

# The facets' fields, filtered with their Dutch names: thema:zorg, jaar:2024, bron:politie.
FILTER_FIELDS = frozenset(FACET_BY_FIELD)
FIELD_ALIASES = {spec.field: [spec.arg] for spec in FACETS}
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
# With at least this many words, a document that has all but one of them also counts.
MOST_WORDS_FROM = 3
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


# Whether a compound part's stem may count on its own.
PartTest = Callable[[str], bool]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: `with_corpus` caches per context
class QueryContext:
    """What the query side takes from the taxonomy (acronym pairs, theme slugs) and, per index
    generation, from the documents (the acronyms they define, see `with_corpus`)."""

    by_acronym: dict[str, tuple[str, str]]  # "pga_r" -> ("PGA-R", "Persoonsgerichte Aanpak Radicalisering")
    by_expansion: dict[str, tuple[str, str]]  # "persoonsgerichte aanpak radicalisering" -> same pair
    slugs: dict[str, tuple[str, ...]]  # facet field filtered by slug ("themes") -> known slugs

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> QueryContext:
        pairs = [(acronym.short, acronym.expansion) for theme in taxonomy.themes for acronym in theme.acronyms]
        slugs = {spec.field: spec.slugs(taxonomy) for spec in FACETS if spec.slugs}
        return cls(*_lookups({}, {}, pairs), slugs)

    def with_corpus(self, definitions: tuple[tuple[str, str], ...]) -> QueryContext:
        """This context plus the acronyms the documents define (`acronyms`); the taxonomy's win."""
        return _with_definitions(self, definitions) if definitions else self

    def slugs_matching(self, field: str, value: str) -> list[str]:
        """thema:zorg finds zorg-en-veiligheid: an exact slug, else every slug that starts with it."""
        known = self.slugs.get(field, ())
        if value in known:
            return [value]
        return [slug for slug in known if slug.startswith(value)] or [value]


def acronym_key(short: str) -> str:
    """How the query side looks an acronym up: "PGA-R" -> "pga_r", "RvdK" -> "rvdk"."""
    return fold(join_acronyms(short))


def _lookups(
    by_acronym: dict[str, tuple[str, str]], by_expansion: dict[str, tuple[str, str]], pairs: Iterable[tuple[str, str]]
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Both lookups with each (acronym, long form) pair added where it is not known yet: the first wins."""
    for short, expansion in pairs:
        by_acronym.setdefault(acronym_key(short), (short, expansion))
        by_expansion.setdefault(" ".join(words(expansion)), (short, expansion))
    return by_acronym, by_expansion


@lru_cache(maxsize=8)  # one entry per index generation searched; merging on every request cost 1 ms
def _with_definitions(context: QueryContext, definitions: tuple[tuple[str, str], ...]) -> QueryContext:
    return QueryContext(*_lookups(dict(context.by_acronym), dict(context.by_expansion), definitions), context.slugs)


def _no_pages() -> Node | None:
    return None


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: Node | None  # on document records; None: no words, list everything
    expansions: tuple[str, ...] = ()  # for "ook gezocht op: ..."
    refused: tuple[str, ...] = ()  # words with a leading wildcard, left out
    read_pages: Callable[[], Node | None] = field(default=_no_pages, repr=False, compare=False)

    @property
    def is_empty(self) -> bool:
        return self.query is None

    @cached_property
    def page_query(self) -> Node | None:
        """The same query on page records, to find the pages that match. Read when first asked:
        a request tries several readings of its query, and only the one it shows needs its pages."""
        return self.read_pages()


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


def _stems(text: str) -> list[str]:
    return [stem(word) for word in words(text) if word not in STOP_WORDS and len(word) >= MIN_TOKEN_CHARS]


class _Expander:
    """Rewrites a raw parse tree for the document records (title, summary, text, filters) or,
    with `for_pages`, for the page records (text only, no filters)."""

    def __init__(
        self,
        context: QueryContext,
        for_pages: bool = False,
        part_alone: PartTest | None = None,
        joins: dict[str, list[str]] | None = None,
        known: Callable[[str], bool] | None = None,
    ) -> None:
        self.context = context
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
        if raw in STOP_WORDS or raw in QUESTION_WORDS:
            return NOTHING
        alternatives = [self._phrase([stem(raw)])]
        # A document that writes "jeugdbescherming" has both "jeugd" and "bescherming" of the query.
        alternatives += [
            self._phrase([stem(joined)], ranking_weights.JOINED_WORDS_BOOST) for joined in self.joins.get(raw, ())
        ]
        acronym = self.context.by_acronym.get(raw)
        if acronym:
            alternatives.append(self._phrase(_stems(acronym[1]), ranking_weights.SYNONYM_BOOST))
            self.expansions.append(f"{acronym[0]} → {acronym[1]}")
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


def _reverse_synonyms(text: str, context: QueryContext, expander: _Expander) -> list[Node]:
    """A written-out expansion in the query also finds its acronym ("persoonsgerichte aanpak
    radicalisering" -> PGA-R)."""
    typed = words(text)
    # Every run of two or more typed words is looked up: the corpus may define hundreds of acronyms.
    spans = (" ".join(typed[start:end]) for start in range(len(typed)) for end in range(start + 2, len(typed) + 1))
    found = []
    for expansion in spans:
        if expansion in context.by_expansion:
            short = context.by_expansion[expansion][0]
            found.append(expander._on_fields(lambda field, short=short: Term(field, stem(acronym_key(short)))))
            expander.expansions.append(f"{expansion} → {short}")
    return found


def _plain_words(text: str) -> str:
    return " ".join(word for word in re.findall(WORD_PATTERN, text) if word.upper() not in ("AND", "OR", "NOT"))


def _expanded(
    raw: Node,
    text: str,
    context: QueryContext,
    for_pages: bool,
    part_alone: PartTest | None,
    joins: dict[str, list[str]],
    known: Callable[[str], bool],
) -> tuple[Node, _Expander]:
    expander = _Expander(context, for_pages, part_alone, joins, known)
    query = expander.expand(raw)
    extra = _reverse_synonyms(text, context, expander)
    if extra and query is not NOTHING:
        query = Or([query, *extra])
    return simplified(query), expander


def _is_word(node: Node) -> bool:
    return isinstance(node, Term) and node.field == "content" and node.text not in STOP_WORDS | QUESTION_WORDS


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


@lru_cache(maxsize=1024)  # a request parses its text for all and for most words alike, a next page again
def _parsed(text: str, any_word: bool) -> Node:
    """The typed text as Whoosh's parser reads it, words joined by AND (or OR), in our nodes."""
    parser = _OR_PARSER if any_word else _AND_PARSER
    try:
        return from_whoosh(parser.parse(prepare(text)))
    except (QueryParserError, ValueError, TypeError):
        return from_whoosh(parser.parse(_plain_words(text)))


def parse_query(
    text: str, context: QueryContext, match: str = "all", share_of: Callable[[str], float] = _no_document_has
) -> ParsedQuery:
    """Parse and expand user input. `match`: "all" words, "most" (all but one, from three words on)
    or "any" word or compound part; the search tries them in that order until enough is found.
    `share_of` tells which share of the index's documents has a stem (see `ranking_weights.MAX_PART_ALONE_SHARE`), and
    so which words the index has: a compound of a word rare in Dutch splits when the index has it."""
    raw = _parsed(text, any_word=match == "any")
    joins = _joined_words(raw)
    if match == "most":
        raw = _all_but_one(raw)
    elif match == "any":
        raw = _any_word(raw)
    part_alone = (lambda part: share_of(part) <= ranking_weights.MAX_PART_ALONE_SHARE) if match == "any" else None

    @cache  # the document and the page query ask alike
    def known(word: str) -> bool:
        return share_of(stem(word)) > 0

    query, expander = _expanded(raw, text, context, False, part_alone, joins, known)
    refused = tuple(dict.fromkeys(expander.refused))
    if query is NOTHING:
        return ParsedQuery(text, None, refused=refused)

    def read_pages() -> Node | None:
        page_query, _ = _expanded(raw, text, context, True, part_alone, joins, known)
        return None if page_query is NOTHING else page_query

    return ParsedQuery(text, query, tuple(dict.fromkeys(expander.expansions)), refused, read_pages)
