"""Measured relevance on judged queries: our ranking against the plain baselines, in the same run.

The bundled set judges our own demonstration corpus; the real set judges the shared corpus of real
documents nobody on the team wrote, which is the one that decides (issue 17).
"""

from __future__ import annotations

import pytest

from indexer.corpus.layout import REAL_CORPUS, CorpusLayout, list_files, slug_for
from indexer.evaluation.judgments import GRADES, HELD_BACK, TUNING, load_judgments
from indexer.evaluation.library_analysis import analyse, compound_parts
from indexer.evaluation.metrics import Scores
from indexer.evaluation.runner import bundled_set, difference_interval, evaluate, real_set

QUERY_KINDS_BUNDLED = {"fragment", "samenstelling", "afkorting", "typfout", "zin", "vraag"}
QUERY_KINDS_REAL = QUERY_KINDS_BUNDLED | {"bekend", "misleidend"}


def test_bundled_judged_query_set_is_large_and_mixed() -> None:
    queries = bundled_set().queries()
    assert len(queries) >= 60
    assert {query.kind for query in queries} == QUERY_KINDS_BUNDLED
    assert all(3 in query.grades.values() for query in queries), "every query has a document that answers it"
    assert {query.split for query in queries} == {TUNING, HELD_BACK}


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the shared real corpus is not beside this checkout")
def test_real_judgments_name_real_documents_and_cover_every_kind() -> None:
    judged = real_set()
    every = load_judgments(judged.judgments, keyed_by_path=True)
    documents = {slug_for(relative) for relative, _ in list_files(CorpusLayout(judged.corpus).documents_dir)}
    assert len(every) >= 150 and {query.kind for query in every} == QUERY_KINDS_REAL
    for query in every:
        unknown = set(query.grades) - documents
        assert not unknown, f"{query.text!r} judges documents the real corpus does not hold: {sorted(unknown)}"
        assert set(query.grades.values()) <= set(GRADES), query.text
    scorable = judged.queries()
    assert len(scorable) >= 0.9 * len(every), "most queries have a relevant document"
    held_back = [query for query in scorable if query.split == HELD_BACK]
    assert 0.25 * len(scorable) <= len(held_back) <= 0.4 * len(scorable), "about a third is held back"


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("mensenhandel", ("mensen", "handel")),
        ("jeugdbescherming", ("jeugd", "bescherming")),
        ("veiligheidshuis", ("veiligheid", "huis")),  # linking s
        ("criminaliteit", ()),  # not a compound
        ("verwarde", ()),  # too short to split
    ],
)
def test_the_library_baseline_splits_compounds_by_word_frequencies(word: str, parts: tuple[str, ...]) -> None:
    assert compound_parts(word) == parts
    assert set(analyse(word)) >= {analyse(part)[0] for part in parts}, "the parts are indexed beside the whole"


def test_ndcg_targets_on_both_parts_of_the_bundled_set() -> None:
    report = evaluate(bundled_set())
    for split in (TUNING, HELD_BACK):
        ours = report[split]["kennisbank"]["alle"]
        for baseline in ("bm25", "whoosh"):
            other = report[split][baseline]["alle"]
            assert ours.ndcg >= 0.80, f"{split}: nDCG@10 {ours.ndcg:.3f}"
            assert ours.ndcg >= other.ndcg + 0.10, f"{split}: {ours.ndcg:.3f} vs {baseline} {other.ndcg:.3f}"


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the shared real corpus is not beside this checkout")
def test_on_real_documents_we_beat_plain_bm25_and_the_library_baseline() -> None:
    """The held-back third of the real judged queries (issue 17): never tuned on, so it guards against
    a change that only helps the queries it was chosen on."""
    report = evaluate(real_set())[HELD_BACK]
    ours = report["kennisbank"]["alle"].ndcg
    assert ours >= report["bm25"]["alle"].ndcg + 0.10, f"{ours:.3f} vs plain BM25 {report['bm25']['alle'].ndcg:.3f}"
    library = report["bibliotheken"]["alle"].ndcg
    assert ours >= library + 0.04, f"{ours:.3f} vs library baseline {library:.3f}"
    # More than chance: redrawing the queries, both engines alike, keeps the difference above 0
    # (2026-12-07: +0.15 to +0.32 over BM25, +0.02 to +0.19 over the library baseline).
    for baseline in ("bm25", "bibliotheken"):
        low, _ = difference_interval(report["kennisbank"]["alle"], report[baseline]["alle"])
        assert low > 0, f"the difference with {baseline} may be chance: its interval starts at {low:.3f}"


def _scores(ndcgs: list[float]) -> Scores:
    return Scores(sum(ndcgs) / len(ndcgs), 0.0, 0.0, len(ndcgs), tuple(ndcgs))


def test_the_difference_of_two_engines_is_redrawn_query_by_query() -> None:
    """The difference's interval pairs the engines on each query, so a tie stays a tie, and one query
    won out of forty is not told from chance."""
    tied = _scores([0.2, 0.9, 0.5, 0.7] * 10)
    assert difference_interval(tied, tied) == (0.0, 0.0)
    one_better = _scores([1.0, *[0.5] * 39])
    low, high = difference_interval(one_better, _scores([0.5] * 40))
    assert low == 0.0 < high
