"""The second stage's candidates on a real cluster: each candidate brings only the weights of the
query's terms, and scores exactly as it would with all of its weights."""

from __future__ import annotations

import datetime as dt

import numpy as np

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
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(cluster_client, build, written)
    switch_alias(cluster_client, DOCUMENTS, build, collection_prefix)
    served = Collections(DOCUMENTS.alias(collection_prefix), PAGES.alias(collection_prefix))
    searcher = ClusterSearch(cluster_client, served, lambda _: 0.1)
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
