"""Evaluating a parsed query over all document records at once: a match mask and BM25F scores.

Whoosh evaluates a query document by document, calling a Python scorer for each; with thousands
of matching documents that takes hundreds of milliseconds. Here every term becomes a dense array
over the document numbers (its BM25F score where it occurs), computed from the whole posting list
in a few numpy operations, and the query tree combines those arrays: AND multiplies masks and adds
scores, OR adds both, NOT removes. The facet counts, the total and the ranking all come from the
one result.

A word looked up in the title, the summary and the text is one BM25F term: its weighted, length-
normalised frequencies in the three fields are added before they saturate, with one idf. Scored
field by field and summed, a query word in a short title outweighed every other word of the query
in the text, and a word in all three fields counted three times.

A phrase in the text (also an acronym's written-out expansion, or a compound's parts) is all of its
pairs of adjacent words, each scored as one BM25 term. Where both words of a pair are frequent, the
indexer stores the pair as one term ("zorg en veiligheid" is "zorg veilig" in `word_pairs`), which
needs no word positions: checking them would walk the pages of two frequent words. Every other pair
has a rare word, and is found on that word's few pages by position (`pair_positions`), scored with
the same length normalisation, so both kinds of pair rank alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis.analyzers import is_stored_pair
from indexer.backends.whoosh.pair_positions import pair_frequency
from indexer.backends.whoosh.postings import postings
from indexer.backends.whoosh.queries import to_whoosh
from indexer.backends.whoosh.snapshot import RANKED_FIELDS, Snapshot
from indexer.engine import ranking_weights
from indexer.engine.fields import PAGE_TEXT, TEXT_FIELDS, WORD_PAIRS
from indexer.engine.query_model import NOTHING, And, AndNot, Node, Not, Or, Phrase, Prefix, Term, Wildcard


@dataclass(frozen=True)
class Match:
    """Which records match (bool array) and their scores (float array, 0 where not matching)."""

    mask: np.ndarray
    scores: np.ndarray


class Evaluator:
    """Evaluates query trees against one searcher and the snapshot of its index generation."""

    def __init__(self, searcher: Searcher, snapshot: Snapshot) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.snapshot = snapshot
        # One request evaluates several attempts (all, most, any words) over the same terms: each
        # term's posting list is read and scored once. Matches are never changed in place.
        self._terms: dict[tuple[str, str], Match] = {}

    def _term(self, field: str, text: str) -> Match:
        key = (field, text)
        if key not in self._terms:
            self._terms[key] = self._bm25f((field,), text) if field in RANKED_FIELDS else self._filter(field, text)
        return self._terms[key]

    def _empty(self) -> Match:
        return Match(np.zeros(self.snapshot.size, dtype=bool), np.zeros(self.snapshot.size, dtype=np.float32))

    def _word(self, fields: tuple[str, ...], text: str) -> Match:
        key = (" ".join(fields), text)
        if key not in self._terms:
            self._terms[key] = self._bm25f(fields, text)
        return self._terms[key]

    def _bm25f(self, fields: tuple[str, ...], text: str) -> Match:
        """One term over `fields`: the fields' weights (their boosts are in the stored weights), each
        normalised by its field's length, added, then saturated once, with one idf."""
        frequency = np.zeros(self.snapshot.size, dtype=np.float32)
        for field in fields:
            docnums, weights = postings(self.reader, field, text)
            self._add_frequency(frequency, field, docnums, weights)
        return self._saturated(frequency)

    def _add_frequency(self, frequency: np.ndarray, field: str, docnums: np.ndarray, weights: np.ndarray) -> None:
        """Add the weights of `field` in the live documents among `docnums` (distinct), normalised by
        its length."""
        snapshot = self.snapshot
        live = snapshot.documents[docnums]
        docnums, weights = docnums[live], weights[live]
        if len(docnums):
            b = ranking_weights.LENGTH_NORMALISATION[field]
            relative_length = snapshot.lengths[field][docnums] / snapshot.average_lengths[field]
            frequency[docnums] += weights / ((1 - b) + b * relative_length)  # docnums are distinct

    def _saturated(self, frequency: np.ndarray) -> Match:
        """BM25 of the documents with a frequency: saturated once, with the idf of their number."""
        match = self._empty()
        np.greater(frequency, 0, out=match.mask)
        found = int(match.mask.sum())
        if found:
            idf = math.log(self.snapshot.document_count / (found + 1)) + 1
            matched = frequency[match.mask]
            match.scores[match.mask] = (
                idf * matched * (ranking_weights.TERM_SATURATION + 1) / (matched + ranking_weights.TERM_SATURATION)
            )
        return match

    def _filter(self, field: str, text: str) -> Match:
        match = self._empty()
        docnums, _ = postings(self.reader, field, text)
        match.mask[docnums] = True
        np.logical_and(match.mask, self.snapshot.documents, out=match.mask)
        return match

    def _phrase(self, node: Phrase) -> Match:
        key = (node.field, '"' + " ".join(node.words) + '"')  # each attempt of a request asks again
        if key not in self._terms:
            self._terms[key] = self._unseen_phrase(node)
        return self._terms[key]

    def _unseen_phrase(self, node: Phrase) -> Match:
        if node.field != "content":
            # Whoosh walks the word positions of every record that has the phrase's words, a few ms a
            # phrase: it is sent only to the live documents whose field has all of them (most long
            # forms of acronyms are in no title at all).
            candidates = self._having_all(node.field, node.words)
            return self._by_whoosh(node, candidates) if len(candidates) else self._empty()
        # A phrase in the text: every pair of adjacent words of it in the document.
        pairs = [self._pair(first, second) for first, second in pairwise(node.words)]
        if not pairs:
            return self._term("content", node.words[0]) if node.words else self._empty()
        return self._all(pairs)

    def _pair(self, first: str, second: str) -> Match:
        """Two adjacent words, scored as one BM25 term of `word_pairs`: the stored pair term when
        both words are frequent, else the pair found on the pages of its rare word (`pair_frequency`),
        normalised by the same field length, so both kinds score alike."""
        if is_stored_pair(first, second):
            return self._term(WORD_PAIRS, f"{first} {second}")
        key = (PAGE_TEXT, f"{first} {second}")
        if key not in self._terms:
            docnums, counts = pair_frequency(self.searcher, self.snapshot, first, second)
            frequency = np.zeros(self.snapshot.size, dtype=np.float32)
            self._add_frequency(frequency, WORD_PAIRS, docnums, counts)
            self._terms[key] = self._saturated(frequency)
        return self._terms[key]

    def _having_all(self, field: str, words: tuple[str, ...]) -> np.ndarray:
        """The live document records whose `field` has every one of `words`, in order."""
        found = np.flatnonzero(self.snapshot.documents)
        for word in words:
            found = np.intersect1d(found, postings(self.reader, field, word)[0], assume_unique=True)
            if not len(found):
                break
        return found

    def _by_whoosh(self, node: Phrase, candidates: np.ndarray) -> Match:
        """Whoosh's own matcher, with word positions, on the `candidates` given, skipping past the rest."""
        match = self._empty()
        matcher = to_whoosh(node).matcher(self.searcher)
        for candidate in candidates.tolist():
            if matcher.is_active() and matcher.id() < candidate:
                matcher.skip_to(candidate)
            if not matcher.is_active():
                break
            if matcher.id() == candidate:
                self._keep(match, candidate, matcher.score())
        return match

    def _keep(self, match: Match, docnum: int, score: float) -> None:
        if self.snapshot.documents[docnum]:
            match.mask[docnum] = True
            match.scores[docnum] = score

    def _words(self, subqueries: tuple[Node, ...]) -> list[Match]:
        """The OR's terms on the word fields, one BM25F match per word (and boost)."""
        fields: dict[tuple[str, float], list[str]] = {}
        for child in subqueries:
            if _is_word_field(child):
                fields.setdefault((child.text, child.boost), []).append(child.field)
        matches = []
        for (text, boost), names in fields.items():
            match = self._word(tuple(sorted(names)), text)
            matches.append(Match(match.mask, match.scores * np.float32(boost)) if boost != 1 else match)
        return matches

    @staticmethod
    def _combined(children: list[Match], join: np.ufunc) -> Match:
        """Masks joined with `join` (AND or OR), scores added where the result matches."""
        mask = join.reduce([child.mask for child in children])
        scores = np.sum([child.scores for child in children], axis=0, dtype=np.float32)
        scores[~mask] = 0
        return Match(mask, scores)

    def _all(self, children: list[Match]) -> Match:
        return self._combined(children, np.logical_and)

    def _any(self, children: list[Match]) -> Match:
        return self._combined(children, np.logical_or)

    def evaluate(self, node: Node) -> Match:
        """The documents matching `node` and their scores, boosts applied."""
        match = self._evaluate(node)
        if node.boost != 1 and node is not NOTHING:
            return Match(match.mask, match.scores * np.float32(node.boost))
        return match

    def _evaluate(self, node: Node) -> Match:
        if isinstance(node, Term):
            return self._term(node.field, node.text)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, (Prefix, Wildcard)):
            # Expanded before matching (`expansion`), within the request's cap; never by Whoosh here.
            raise TypeError(f"unexpanded pattern {node!r}: pass the query through expansion.Expansion first")
        if isinstance(node, AndNot):
            positive, negative = self.evaluate(node.positive), self.evaluate(node.negative)
            return self._all([positive, Match(~negative.mask, np.zeros_like(positive.scores))])
        if isinstance(node, Not):
            excluded = self.evaluate(node.child)
            return Match(self.snapshot.documents & ~excluded.mask, np.zeros(self.snapshot.size, dtype=np.float32))
        if isinstance(node, And):
            children = [self.evaluate(child) for child in node.children]
            return self._all(children) if children else self._empty()
        if isinstance(node, Or):
            children = self._words(node.children)
            children += [self.evaluate(child) for child in node.children if not _is_word_field(child)]
            return self._any(children) if children else self._empty()
        return self._empty()  # nothing


def _is_word_field(node: Node) -> bool:
    return isinstance(node, Term) and node.field in TEXT_FIELDS
