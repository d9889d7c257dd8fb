"""Evaluating a parsed query over a set of document records at once: a match mask and BM25F scores.

Every term becomes its records and their BM25F scores (`Found`), computed from the term's postings
in a few numpy operations, and the query tree combines them: AND joins the records and adds the
scores, OR unites both, NOT removes. Terms with few records are joined as records; the rest, and
every NOT, as arrays over every record (`Match`). The facet counts, the total
and the ranking all come from the one result.

The records and their postings come from a `PostingSource`: the embedded engine's whole index
(`backends.whoosh.matching`) or the candidates the cluster returned (`backends.typesense.candidates`),
so both engines rank with this one formula. What differs is where the global statistics come from:
the embedded index counts a term's documents itself; candidates take the cluster's counts.

A word looked up in the title, the summary and the text is one BM25F term: its weighted, length-
normalised frequencies in the three fields are added before they saturate, with one idf. Scored
field by field and summed, a query word in a short title outweighed every other word of the query
in the text, and a word in all three fields counted three times.

A phrase in the text (also an acronym's written-out expansion, or a compound's parts) is all of its
pairs of adjacent words, each scored as one BM25 term of `word_pairs` (`PostingSource.pair`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce
from itertools import pairwise
from typing import Protocol

import numpy as np

from indexer.engine import ranking_weights, record_sets
from indexer.engine.fields import TEXT_FIELDS, WORD_PAIRS
from indexer.engine.query_model import NOTHING, And, AndNot, Node, Not, Or, Phrase, Prefix, Term, Wildcard

# Fields ranked with BM25F on the document records; any other field is a filter.
RANKED_FIELDS = (*TEXT_FIELDS, WORD_PAIRS)

# Terms are joined as records while they hold fewer than one record per this many of the index;
# past that, one pass over every record is cheaper than sorting and searching theirs.
RECORDS_PER_JOINED_RECORD = 8

# A term's key for its global statistics: (space-separated fields, text); a phrase's text is quoted.
TermKey = tuple[str, str]
EMPTY_SCORES = np.zeros(0, dtype=np.float32)


def term_key(fields: tuple[str, ...], text: str) -> TermKey:
    return (" ".join(fields), text)


def bm25(frequency: np.ndarray, document_count: int, found: int) -> np.ndarray:
    """BM25 of (length-normalised) frequencies, for a term that `found` of `document_count` documents have."""
    idf = math.log(document_count / (found + 1)) + 1
    return idf * frequency * (ranking_weights.TERM_SATURATION + 1) / (frequency + ranking_weights.TERM_SATURATION)


@dataclass(frozen=True)
class Match:
    """Which records match (bool array) and their scores (float array, 0 where not matching)."""

    mask: np.ndarray
    scores: np.ndarray


@dataclass(frozen=True)
class Found:
    """A term's matching records (distinct, sorted) and their scores. A request keeps its terms so,
    and spreads them over every record only where they are combined: held as `Match`es, a request's
    terms took dozens of arrays as long as the index at once, and each term a pass over all of them."""

    docnums: np.ndarray
    scores: np.ndarray


# A node's result inside the evaluator: a term's records, or every record's.
Part = Match | Found


class PostingSource(Protocol):
    """Records to evaluate a query over (arrays of length `size`) and what BM25F needs of the index."""

    size: int
    documents: np.ndarray  # bool: a live document record
    document_count: int  # documents in the whole index, for idf
    lengths: dict[str, np.ndarray]  # field -> float32 length of that field in each record
    average_lengths: dict[str, float]  # over the whole index

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(distinct record numbers, weights) of the term, records that are not live included."""

    def found(self, key: TermKey, matching: int) -> int:
        """The documents of the whole index that have the term: `matching` when the records are the
        whole index."""

    def pair(self, first: str, second: str) -> tuple[TermKey, np.ndarray, np.ndarray]:
        """Two adjacent words: their key, records and weights as a `word_pairs` term."""

    def field_phrase(self, node: Phrase) -> np.ndarray:
        """The records whose field, other than the text, has the phrase (the caller keeps the live ones)."""


class Evaluator:
    """Evaluates query trees against one posting source."""

    def __init__(self, source: PostingSource) -> None:
        self.source = source
        # One request evaluates several attempts (all, most, any words) over the same terms: each
        # term's postings are read and scored once. Results are never changed in place.
        self._terms: dict[TermKey, Part] = {}

    def _term(self, field: str, text: str) -> Part:
        key = (field, text)
        if key not in self._terms:
            self._terms[key] = self._bm25f((field,), text) if field in RANKED_FIELDS else self._filter(field, text)
        return self._terms[key]

    def _empty(self) -> Match:
        return Match(np.zeros(self.source.size, dtype=bool), np.zeros(self.source.size, dtype=np.float32))

    def _dense(self, part: Part) -> Match:
        if isinstance(part, Match):
            return part
        match = self._empty()
        match.mask[part.docnums] = True
        match.scores[part.docnums] = part.scores
        return match

    def _word(self, fields: tuple[str, ...], text: str) -> Found:
        key = term_key(fields, text)
        if key not in self._terms:
            self._terms[key] = self._bm25f(fields, text)
        return self._terms[key]

    def _bm25f(self, fields: tuple[str, ...], text: str) -> Found:
        """One term over `fields`: the fields' weights (their boosts are in the stored weights), each
        normalised by its field's length, added, then saturated once, with one idf."""
        per_field = [self._normalised(field, *self.source.postings(field, text)) for field in fields]
        docnums, frequency = record_sets.summed(per_field)
        return self._saturated(frequency, docnums, term_key(fields, text))

    def _normalised(self, field: str, docnums: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The live documents among `docnums` (distinct, sorted) and their weights in `field`,
        normalised by the field's length."""
        source = self.source
        live = source.documents[docnums]
        docnums, weights = docnums[live], weights[live]
        if not len(docnums):  # the cluster's candidates know no lengths of a field none of them has
            return docnums, weights
        b = ranking_weights.LENGTH_NORMALISATION[field]
        relative_length = source.lengths[field][docnums] / source.average_lengths[field]
        return docnums, weights / ((1 - b) + b * relative_length)

    def _saturated(self, frequency: np.ndarray, docnums: np.ndarray, key: TermKey) -> Found:
        """BM25 of the documents `docnums` (distinct, sorted) with a frequency (one per document) above
        0: saturated once, with the idf of the term's documents. Only the term's own documents are
        looked at: a pass over every record per term was most of the cost of a term on a large index."""
        having = frequency > 0
        docnums, frequency = docnums[having], frequency[having]
        if not len(docnums):
            return Found(docnums, EMPTY_SCORES)
        found = self.source.found(key, len(docnums))
        return Found(docnums, bm25(frequency, self.source.document_count, found))

    def _filter(self, field: str, text: str) -> Found:
        docnums, _ = self.source.postings(field, text)
        docnums = docnums[self.source.documents[docnums]]
        return Found(docnums, np.zeros(len(docnums), dtype=np.float32))

    def _phrase(self, node: Phrase) -> Part:
        key = (node.field, '"' + " ".join(node.words) + '"')  # each attempt of a request asks again
        if key not in self._terms:
            self._terms[key] = self._unseen_phrase(node)
        return self._terms[key]

    def _unseen_phrase(self, node: Phrase) -> Part:
        if node.field != "content":
            # Scored as its words in that field, as Whoosh's phrase matcher scores: both engines alike.
            docnums = self.source.field_phrase(node)
            docnums = docnums[self.source.documents[docnums]]
            has_phrase = Found(docnums, np.zeros(len(docnums), dtype=np.float32))
            return self._all([has_phrase, *(self._term(node.field, word) for word in node.words)])
        # A phrase in the text: every pair of adjacent words of it in the document.
        pairs = [self._pair(first, second) for first, second in pairwise(node.words)]
        if not pairs:
            return self._term("content", node.words[0]) if node.words else self._empty()
        return self._all(pairs)

    def _pair(self, first: str, second: str) -> Found:
        """Two adjacent words, scored as one BM25 term of `word_pairs`."""
        key, docnums, weights = self.source.pair(first, second)
        if key not in self._terms:
            live, frequency = self._normalised(WORD_PAIRS, docnums, weights)
            self._terms[key] = self._saturated(frequency, live, key)
        return self._terms[key]

    def _words(self, subqueries: tuple[Node, ...]) -> list[Found]:
        """The OR's terms on the word fields, one BM25F match per word (and boost)."""
        fields: dict[tuple[str, float], list[str]] = {}
        for child in subqueries:
            if _is_word_field(child):
                fields.setdefault((child.text, child.boost), []).append(child.field)
        matches = []
        for (text, boost), names in fields.items():
            match = self._word(tuple(sorted(names)), text)
            matches.append(Found(match.docnums, match.scores * np.float32(boost)) if boost != 1 else match)
        return matches

    def _combined(self, children: list[Part], every: bool) -> Part:
        """The records that match every child (or any), their scores added where they match. The
        scores are added child by child in order, so they are the same floats whatever each child's
        kind and however the result is held."""
        found = [child for child in children if isinstance(child, Found)]
        records = sum(len(child.docnums) for child in found)
        if len(found) == len(children) and records * RECORDS_PER_JOINED_RECORD < self.source.size:
            return self._joined(found, every)
        scores = np.zeros(self.source.size, dtype=np.float32)
        for child in children:
            if isinstance(child, Match):
                scores += child.scores
            else:
                scores[child.docnums] += child.scores  # docnums are distinct
        terms = [child.docnums for child in found]
        mask = np.full(self.source.size, every and not terms)
        if terms:
            mask[reduce(record_sets.intersection, terms) if every else record_sets.union(terms)] = True
        join = np.logical_and if every else np.logical_or
        for child in children:
            if isinstance(child, Match):
                join(mask, child.mask, out=mask)
        scores *= mask
        return Match(mask, scores)

    def _joined(self, children: list[Found], every: bool) -> Found:
        """`_combined` of terms whose records are few, kept as records: spread over every record, each
        join of a rare query cost a pass over the whole index."""
        if not every:
            return Found(*record_sets.summed([(child.docnums, child.scores) for child in children]))
        docnums = reduce(record_sets.intersection, [child.docnums for child in children])
        scores = np.zeros(len(docnums), dtype=np.float32)
        for child in children:
            scores += child.scores[record_sets.places(child.docnums, docnums, self.source.size)[0]]
        return Found(docnums, scores)

    def _all(self, children: list[Part]) -> Part:
        return self._combined(children, every=True)

    def _any(self, children: list[Part]) -> Part:
        return self._combined(children, every=False)

    def evaluate(self, node: Node) -> Match:
        """The documents matching `node` and their scores, boosts applied."""
        return self._dense(self._part(node))

    def matched(self, node: Node) -> Found:
        """The live documents matching `node` and their scores, boosts applied: `evaluate` without
        spreading over every record a result that is still records (a term's records are live
        documents already)."""
        part = self._part(node)
        if isinstance(part, Found):
            return part
        docnums = np.flatnonzero(part.mask & self.source.documents)
        return Found(docnums, part.scores[docnums])

    def _part(self, node: Node) -> Part:
        part = self._evaluate(node)
        if node.boost == 1 or node is NOTHING:
            return part
        if isinstance(part, Found):
            return Found(part.docnums, part.scores * np.float32(node.boost))
        return Match(part.mask, part.scores * np.float32(node.boost))

    def _evaluate(self, node: Node) -> Part:
        if isinstance(node, Term):
            return self._term(node.field, node.text)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, (Prefix, Wildcard)):
            # Expanded before matching, within the request's cap; never by an engine here.
            raise TypeError(f"unexpanded pattern {node!r}: expand the query's patterns first")
        if isinstance(node, AndNot):
            positive, negative = self.evaluate(node.positive), self.evaluate(node.negative)
            return self._all([positive, Match(~negative.mask, np.zeros_like(positive.scores))])
        if isinstance(node, Not):
            excluded = self.evaluate(node.child)
            return Match(self.source.documents & ~excluded.mask, np.zeros(self.source.size, dtype=np.float32))
        if isinstance(node, And):
            children = [self._part(child) for child in node.children]
            return self._all(children) if children else self._empty()
        if isinstance(node, Or):
            children: list[Part] = list(self._words(node.children))
            children += [self._part(child) for child in node.children if not _is_word_field(child)]
            return self._any(children) if children else self._empty()
        return self._empty()  # nothing


def _is_word_field(node: Node) -> bool:
    return isinstance(node, Term) and node.field in TEXT_FIELDS
