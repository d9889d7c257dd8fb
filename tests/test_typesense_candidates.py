"""The second stage's candidates on a real cluster: each candidate brings only the weights of the
query's terms and scores exactly as it would with all of its weights; within the cut-off every document
the filter matches is a candidate, past it the best by text match; only the shown documents bring
their display fields; term counts and "Bedoelde u" are asked once per served version."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indexer.backends.typesense import searching
from indexer.backends.typesense.candidates import Candidates, ClusterStatistics
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.collections import (
    DOCUMENTS,
    PAGES,
    TERM_WEIGHTS,
    create_build,
    import_documents,
    switch_alias,
)
from indexer.backends.typesense.records import records
from indexer.backends.typesense.requests import ServedFacts
from indexer.backends.typesense.searching import ClusterSearch, Collections
from indexer.engine.matching import Evaluator
from indexer.engine.query import parse_query
from indexer.engine.query_context import QueryContext
from indexer.models import Document, Fingerprint, Metadata, Page
from tests.typesense_support import eventually

TEXTS = {
    "versie": ("Versie 1.5 van de monitor", "De monitor mensenhandel versie 1.5 telt slachtoffers."),
    "zorg": ("Zorg en veiligheid", "Zorg en veiligheid in de wijk; mensenhandel komt voor."),
    "overlast": ("Woonoverlast", "Overlast van buren, zonder uitbuiting."),
}

# The query's words (in a title or summary a phrase is its words) and the pair of its phrase.
QUERY_TERMS = {"mensenhandel", "1.5", "zorg", "veilig", "zorg veilig"}


def _document(doc_id: str, title: str, text: str) -> Document:
    metadata = Metadata(title, "rapport", dt.date(2025, 1, 1), 2025, "Politie", "nl", "", (), (), False)
    return Document(doc_id, f"{doc_id}.txt", Fingerprint(1, 0, doc_id * 4, ""), metadata, (Page(1, text),), ())


def test_candidates_bring_only_the_query_terms_and_score_as_with_all_their_weights(
    cluster_client: TypesenseClient, collection_prefix: str
) -> None:
    written = [records(_document(doc_id, *texts), dt.datetime(2026, 1, 1))[0] for doc_id, texts in TEXTS.items()]
    searcher, _ = _served(cluster_client, collection_prefix, written)
    context = QueryContext({}, {}, {})
    readings = [parse_query('mensenhandel 1.5 OR "zorg en veiligheid"', context)]

    attempts = eventually(lambda: searcher.prepared(readings, {}), lambda found: found.candidates.size == 2)

    candidates = attempts.candidates
    by_id = {record["id"]: record for record in written}
    for record in candidates.records:
        terms = {(field, term) for field, weights in record[TERM_WEIGHTS].items() for term in weights}
        assert terms, record["id"]
        assert {term for _, term in terms} <= QUERY_TERMS, "only the query's terms"
        everything = by_id[record["id"]][TERM_WEIGHTS]
        assert all(everything[field][term] == record[TERM_WEIGHTS][field][term] for field, term in terms)
    assert any("1.5" in record[TERM_WEIGHTS]["content"] for record in candidates.records), "a dot needs no escape"
    assert any("wijk" in by_id[record["id"]][TERM_WEIGHTS]["content"] for record in candidates.records)
    statistics = ClusterStatistics(candidates.document_count, candidates.average_lengths)
    whole = Candidates([by_id[record["id"]] for record in candidates.records], statistics)
    whole.counts = candidates.counts
    pruned = attempts.evaluator.evaluate(readings[0].query)
    full = Evaluator(whole).evaluate(readings[0].query)
    assert pruned.mask.tolist() == full.mask.tolist() and pruned.mask.all()
    assert np.allclose(pruned.scores, full.scores) and pruned.scores.min() > 0


def _served(cluster_client: TypesenseClient, prefix: str, written: list[dict]) -> tuple[ClusterSearch, str]:
    build = create_build(cluster_client, DOCUMENTS, prefix)
    import_documents(cluster_client, build, written)
    switch_alias(cluster_client, DOCUMENTS, build, prefix)
    switch_alias(cluster_client, PAGES, create_build(cluster_client, PAGES, prefix), prefix)
    served = Collections(DOCUMENTS.alias(prefix), PAGES.alias(prefix))
    return ClusterSearch(cluster_client, served, lambda _: 0.1, ServedFacts(cluster_client, served.documents)), build


WORDS = {"alfa": "Alfa", "bravo": "Bravo", "charlie": "Charlie", "alle": "Alfa bravo charlie", "geen": "Delta"}


@pytest.mark.parametrize(
    ("cut_off", "expected", "complete"),
    [(250, {"alfa", "bravo", "charlie", "alle"}, True), (2, {"alle", "alfa"}, False)],
    ids=["every document the filter matches", "past the cut-off: the best by text match"],
)
def test_the_candidates_are_every_match_or_the_best_by_text_match(
    cluster_client: TypesenseClient,
    collection_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
    cut_off: int,
    expected: set[str],
    complete: bool,
) -> None:
    """Typesense's text match drops words only from the ends, so it can miss a document with only the
    middle word: within the cut-off the candidates are still every document the filter matches."""
    monkeypatch.setattr(searching, "MAX_CANDIDATES", cut_off)
    written = [records(_document(doc_id, text, text), dt.datetime(2026, 1, 1))[0] for doc_id, text in WORDS.items()]
    searcher, _ = _served(cluster_client, collection_prefix, written)
    readings = [parse_query("alfa OR bravo OR charlie", QueryContext({}, {}, {}))]

    candidates = eventually(lambda: searcher.prepared(readings, {}).candidates, lambda found: found.size > 0)

    assert {record["id"] for record in candidates.records} == expected
    assert candidates.complete is complete


def test_statistics_and_term_counts_are_asked_once_per_served_version(
    cluster_client: TypesenseClient, collection_prefix: str
) -> None:
    """Until the served version changes (`searchable` then makes new `ServedFacts`), a write does not
    reach the idf: what BM25F reads of the whole collection is asked once."""
    written = [records(_document(doc_id, text, text), dt.datetime(2026, 1, 1))[0] for doc_id, text in WORDS.items()]
    searcher, build = _served(cluster_client, collection_prefix, written[:2])
    readings = [parse_query("bravo", QueryContext({}, {}, {}))]

    def new_version() -> tuple[int, list[int], int]:
        searcher.facts = ServedFacts(cluster_client, searcher.collections.documents)
        candidates = searcher.prepared(readings, {}).candidates
        return candidates.size, list(candidates.counts.values()), candidates.document_count

    # Each node applies a write in its own time: asked until the one answering has it.
    assert eventually(new_version, lambda seen: seen == (1, [1], 2)) == (1, [1], 2)
    import_documents(cluster_client, build, written[2:4])
    candidates = searcher.prepared(readings, {}).candidates
    assert (list(candidates.counts.values()), candidates.document_count) == ([1], 2), "as asked for the version"
    assert eventually(new_version, lambda seen: seen == (2, [2], 4)) == (2, [2], 4)


def test_only_the_shown_documents_bring_their_display_fields_and_suggestions_are_asked_once(
    cluster_client: TypesenseClient, collection_prefix: str
) -> None:
    """The candidates come without title, path and summary (half a candidate's answer); the page shows them.
    A misspelled word's "Bedoelde u" holds for the served version, as the term counts do."""
    written = [records(_document(doc_id, text, text), dt.datetime(2026, 1, 1))[0] for doc_id, text in WORDS.items()]
    searcher, build = _served(cluster_client, collection_prefix, written[:4])
    context = QueryContext({}, {}, {})

    def new_version() -> searching.SearchResults:
        searcher.facts = ServedFacts(cluster_client, searcher.collections.documents)
        return searcher.search("brava", context)

    found = eventually(new_version, lambda results: results.suggestion == "bravo")
    assert {hit.title for hit in found.hits} == {"Bravo", "Alfa bravo charlie"}, "the correction's documents"
    assert {hit.path for hit in found.hits} == {"bravo.txt", "alle.txt"}
    candidates = searcher.prepared([parse_query("bravo", context)], {}).candidates
    assert candidates.size == 2 and not any("title" in record or "path" in record for record in candidates.records)
    import_documents(cluster_client, build, [records(_document("brava", "Brava", "Brava"), dt.datetime(2026, 1, 1))[0]])
    assert searcher.search("brava", context).suggestion == "bravo", "as asked for the version"
    known = eventually(new_version, lambda results: (results.suggestion, results.total) == (None, 1))
    assert [hit.title for hit in known.hits] == ["Brava"]
