"""The search façade: query text and filters in, plain result records out.

Callers (the CLI, the web app) never see Whoosh objects. The query is evaluated once over every
document record (`matching`): that one result gives the total, the facet counts and the ranking,
BM25F (title and summary weigh more) with a small recency bonus for near-ties. The page records of
the hits shown tell on which pages each hit matched and give the snippet from its best page. When
too few documents have all the words, documents with all but one (then any) of them follow; when a
word is unknown, a "Bedoelde u" suggestion is made, and used when it finds more than the query.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np
from whoosh import scoring
from whoosh.index import Index
from whoosh.util.times import datetime_to_long

from indexer.backends.whoosh.acronym_table import corpus_acronyms
from indexer.backends.whoosh.documents import listing_fields
from indexer.backends.whoosh.expansion import Expansion
from indexer.backends.whoosh.matching import Evaluator
from indexer.backends.whoosh.page_hits import page_hits
from indexer.backends.whoosh.schema import DOC
from indexer.backends.whoosh.snapshot import Snapshot, searching
from indexer.backends.whoosh.suggest import suggest
from indexer.backends.whoosh.word_table import use_compound_splits
from indexer.engine import ranking_weights
from indexer.engine.attempts import LIMITED_NOTE, MIN_RESULTS_BEFORE_LOOSENING, looser_modes, notes
from indexer.engine.expansion import REQUEST_BUDGET_S
from indexer.engine.facet_counts import Selection
from indexer.engine.fields import PAGE_TEXT
from indexer.engine.more_like_this import SIMILAR_KEY_TERMS
from indexer.engine.query import ParsedQuery, parse_query
from indexer.engine.query_context import QueryContext
from indexer.engine.query_model import Or, Term
from indexer.engine.ranking import Choice, Ordering, ordered, page_of
from indexer.engine.results import (
    NO_PAGE_HITS,
    SORT_DATE,
    SORT_RELEVANCE,
    Hit,
    SearchResults,
    normalised_paging,
    ranked_hit,
)

__all__ = ["LIMITED_NOTE", "search", "similar"]

# "More like this" reads at most this much of a document's text for its key terms.
SIMILAR_TEXT_CHARS = 50_000
# Whoosh's own scoring, where Whoosh still matches (phrases, page hits): the same BM25F settings.
WEIGHTING = scoring.BM25F(
    K1=ranking_weights.TERM_SATURATION, **{f"{field}_B": b for field, b in ranking_weights.LENGTH_NORMALISATION.items()}
)
_MICROSECONDS_PER_YEAR = 365.25 * 86_400 * 1_000_000


def _choose(
    evaluator: Evaluator,
    expansion: Expansion,
    text: str,
    context: QueryContext,
    selection: Selection,
    page_size: int,
    folder: Path,
) -> tuple[Choice, str | None, list[Choice]]:
    """Try all words, the suggestion, then looser matching; keep the stricter sets to rank first.
    `folder`: the index's folder, where its word tables for suggestions are."""
    snapshot = evaluator.snapshot

    def attempt(parsed: ParsedQuery, **flags: bool) -> Choice:
        parsed = dataclasses.replace(parsed, query=expansion.rewrite(parsed.query))
        if parsed.query is None:
            matching = np.flatnonzero(snapshot.documents)
            scores = np.zeros(len(matching), dtype=np.float32)
        else:
            matched = evaluator.matched(parsed.query)
            matching, scores = matched.docnums, matched.scores
        return Choice(parsed, matching, selection.allowed(matching), scores, **flags)

    choice = attempt(parse_query(text, context))
    if choice.parsed.query is None:
        return choice, None, []
    suggestion = suggest(evaluator.reader, text, folder) if choice.total < page_size else None
    if suggestion:
        # A word in no document is likely a typo, even when its compound parts find something
        # ("mensehandel": "mens" and "handel"); the correction wins when it finds more.
        fixed = attempt(parse_query(suggestion, context), corrected=True)
        if fixed.total > choice.total:
            return fixed, suggestion, []

    @cache  # each looser reading asks again for the same stems
    def share_of(stem: str) -> float:
        """The share of the documents whose text has this stem (a compound part too common to count
        alone), from the term dictionary: reading the posting list cost more than the rest of a parse.
        Deleted documents still count until their segment is merged; a share is a threshold's input."""
        return evaluator.reader.doc_frequency("content", stem) / max(1, snapshot.document_count)

    stricter: list[Choice] = []
    too_few = choice.total < MIN_RESULTS_BEFORE_LOOSENING
    for mode in looser_modes(text):
        loose = attempt(parse_query(text, context, match=mode, share_of=share_of), relaxed=too_few)
        if loose.total > choice.total:
            stricter.append(choice)
            choice = loose
    return choice, suggestion, stricter


def _ordering(snapshot: Snapshot) -> Ordering:
    now = datetime_to_long(dt.datetime.combine(dt.date.today(), dt.time()))
    return Ordering(snapshot.dates, snapshot.id_ranks, now, _MICROSECONDS_PER_YEAR)


def search(
    index: Index,
    text: str,
    context: QueryContext,
    selections: Mapping[str, set[str]] | None = None,
    sort: str = SORT_RELEVANCE,
    page: int = 1,
    page_size: int = 10,
) -> SearchResults:
    """One page of documents for `text` within the selected facet values, with facet counts.

    An empty text lists every document, newest first.
    """
    selections, page, page_size = normalised_paging(selections, page, page_size)
    with searching(index, WEIGHTING) as (searcher, snapshot):
        context = context.with_corpus(corpus_acronyms(searcher.reader(), snapshot.generation))
        expansion = Expansion(searcher.reader(), time.monotonic() + REQUEST_BUDGET_S)
        evaluator = Evaluator(searcher, snapshot)
        selection = Selection(snapshot.facets, selections, snapshot.size)
        folder = Path(index.storage.folder)
        use_compound_splits(searcher.reader(), folder)
        choice, suggestion, stricter = _choose(evaluator, expansion, text, context, selection, page_size, folder)
        by_date = choice.parsed.query is None or sort == SORT_DATE
        ordering = _ordering(snapshot)
        shown_scores = page_of(ordering, choice, stricter, by_date, page, page_size)
        shown = [docnum for docnum, _ in shown_scores]
        page_query = expansion.rewrite(choice.parsed.page_query)
        page_info, complete = page_hits(searcher, snapshot, page_query, shown, expansion.deadline)
        expansion.limited |= not complete
        hits = tuple(
            ranked_hit(listing_fields(searcher.stored_fields(docnum)), score, page_info.get(docnum, NO_PAGE_HITS))
            for docnum, score in shown_scores
        )
        return SearchResults(
            query=text,
            total=choice.total,
            page=page,
            page_size=page_size,
            hits=hits,
            facets=selection.facets(choice.matching),
            sort=SORT_DATE if by_date else SORT_RELEVANCE,
            expansions=choice.parsed.expansions,
            suggestion=suggestion,
            corrected=choice.corrected,
            relaxed=choice.relaxed,
            notes=notes(choice.parsed, expansion.limited),
        )


def similar(index: Index, doc_id: str, limit: int = 5) -> list[Hit]:
    """The documents most like this one, by the key terms of its text."""
    with searching(index, WEIGHTING) as (searcher, snapshot):
        docnum = searcher.document_number(id=doc_id, doctype=DOC)
        if docnum is None:
            return []
        fields = searcher.stored_fields(docnum)
        pages = " ".join(page.get(PAGE_TEXT, "") for page in searcher.documents(parent=doc_id))
        text = f"{fields.get('title', '')} {fields.get('summary', '')} {pages}"[:SIMILAR_TEXT_CHARS]
        key_terms = searcher.key_terms_from_text("content", text, numterms=SIMILAR_KEY_TERMS)
        if not key_terms:
            return []
        query = Or([Term("content", term, boost=weight) for term, weight in key_terms])
        match = Evaluator(searcher, snapshot).evaluate(query)
        match.mask[docnum] = False
        candidates = np.flatnonzero(match.mask & snapshot.documents)
        best = ordered(_ordering(snapshot), candidates, limit, -match.scores[candidates]).tolist()
        return [
            ranked_hit(listing_fields(searcher.stored_fields(other)), float(match.scores[other]), NO_PAGE_HITS)
            for other in best
        ]
