"""Measured relevance on the judged queries: our ranking against plain Whoosh, on both parts."""

from __future__ import annotations

from indexer.corpus import BUNDLED_CORPUS
from indexer.search_evaluation import HELD_BACK, TUNING, evaluate, load_judgments


def test_judged_query_set_is_large_and_mixed() -> None:
    queries = load_judgments(BUNDLED_CORPUS)
    assert len(queries) >= 60
    kinds = {query.kind for query in queries}
    assert kinds == {"fragment", "samenstelling", "afkorting", "typfout", "zin", "vraag"}
    assert all(3 in query.grades.values() for query in queries), "every query has a document that answers it"
    assert {query.split for query in queries} == {TUNING, HELD_BACK}


def test_ndcg_targets_on_both_parts() -> None:
    report = evaluate(BUNDLED_CORPUS)
    for split in (TUNING, HELD_BACK):
        ours, baseline = report[split]["kennisbank"]["alle"], report[split]["basislijn"]["alle"]
        assert ours.ndcg >= 0.80, f"{split}: nDCG@10 {ours.ndcg:.3f}"
        assert ours.ndcg >= baseline.ndcg + 0.10, f"{split}: {ours.ndcg:.3f} vs baseline {baseline.ndcg:.3f}"
