"""Sweep a ranking setting on the TUNING part of the real judged queries, never the held-back part.

    .venv/bin/python scripts/sweep_ranking.py indexer.engine.ranking_weights.COORDINATION_BONUS 0 0.5 1 1.5
    .venv/bin/python scripts/sweep_ranking.py indexer.engine.ranking_weights.SYNONYM_BOOST 0.1 0.4 1

Each value is set on the module before the queries run, over one index of the real corpus (built
once in INDEX, default a temporary folder), and nDCG@10 is printed per query kind. Settings that
change what the index holds (analysis, titles, the index-time weights) need a new index: give a
fresh --index per value.
The held-back third is what `kennisbank evalueer-zoeken` reports; looking at it while choosing a
value would make it a tuning set too.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
from pathlib import Path

from indexer.evaluation.baselines import kennisbank
from indexer.evaluation.judgments import TUNING
from indexer.evaluation.metrics import rank_all, score
from indexer.evaluation.runner import ALL_KINDS, real_set


def tuning_scores(index: Path) -> dict[str, float]:
    """nDCG@10 per query kind ("alle" for all) of our engine on the real set's tuning part."""
    judged = real_set()
    queries = [query for query in judged.queries() if query.split == TUNING]
    rankings = rank_all(queries, kennisbank(judged.corpus, index), judged.copies)
    kinds = [ALL_KINDS, *sorted({query.kind for query in queries})]
    return {
        kind: score((rankings[q.text], q.grades) for q in queries if kind in (ALL_KINDS, q.kind)).ndcg for kind in kinds
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("setting", help="module.NAME, e.g. indexer.engine.ranking_weights.COORDINATION_BONUS")
    parser.add_argument("values", nargs="+", type=float)
    parser.add_argument("--index", type=Path, help="index folder of the real corpus (built when missing)")
    args = parser.parse_args()
    module_name, name = args.setting.rsplit(".", 1)
    module = importlib.import_module(module_name)
    with tempfile.TemporaryDirectory(prefix="kennisbank-sweep-") as temporary:
        index = args.index or Path(temporary) / "index"
        for value in args.values:
            setattr(module, name, value)
            scores = tuning_scores(index)
            print(f"{name}={value:<6g} " + " ".join(f"{kind}={ndcg:.3f}" for kind, ndcg in scores.items()), flush=True)


if __name__ == "__main__":
    main()
