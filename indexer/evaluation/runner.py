"""`kennisbank evalueer-zoeken`: every judged set, every engine, per split and per query kind, in one run."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from indexer.corpus.layout import BUNDLED_CORPUS, REAL_CORPUS
from indexer.evaluation.baselines import all_engines
from indexer.evaluation.judgments import HELD_BACK, TUNING, JudgedQuery, as_one, exact_copies, load_judgments
from indexer.evaluation.metrics import Scores, rank_all, score
from indexer.evaluation.resampling import INTERVAL, RESAMPLES, bounds_text, mean_interval

JUDGMENTS_DIR = "evaluatie"
ALL_KINDS = "alle"
INTERVAL_EXPLANATION = (
    f"({INTERVAL:.0%}-interval: het cijfer of het verschil ligt daarbinnen bij {INTERVAL:.0%} van {RESAMPLES} "
    "hertrekkingen van de zoekvragen, het verschil met beide zoekmachines op dezelfde hertrekkingen)"
)


@dataclass(frozen=True)
class JudgedSet:
    name: str
    corpus: Path
    judgments: Path
    keyed_by_path: bool

    @cached_property
    def copies(self) -> dict[str, str]:
        """The corpus's byte-identical copies (id -> first copy), hashed once per set."""
        return exact_copies(self.corpus)

    def queries(self) -> list[JudgedQuery]:
        """The judged queries that can be scored (nDCG needs a relevant document), copies counted once."""
        judged = load_judgments(self.judgments, self.keyed_by_path)
        return [replace(query, grades=as_one(query.grades, self.copies)) for query in judged if query.has_relevant]


def bundled_set(corpus: Path = BUNDLED_CORPUS) -> JudgedSet:
    """Queries on a Kennisbank corpus, judged by document id, kept in that corpus."""
    return JudgedSet("gebundeld", corpus, corpus / JUDGMENTS_DIR / "zoekvragen.yaml", keyed_by_path=False)


def real_set(corpus: Path = REAL_CORPUS) -> JudgedSet:
    """Queries on the shared real corpus, judged by path; the judgments live with the bundled corpus."""
    return JudgedSet("echt", corpus, BUNDLED_CORPUS / JUDGMENTS_DIR / "echte-zoekvragen.yaml", keyed_by_path=True)


Report = dict[str, dict[str, dict[str, Scores]]]  # split -> engine -> query kind ("alle") -> scores


def evaluate(judged: JudgedSet) -> Report:
    queries = judged.queries()
    report: Report = {TUNING: {}, HELD_BACK: {}}
    with tempfile.TemporaryDirectory(prefix="kennisbank-evaluatie-") as temporary:
        for name, ranker in all_engines(judged.corpus, Path(temporary)):
            rankings = rank_all(queries, ranker, judged.copies)
            for split, engines in report.items():
                part = [query for query in queries if query.split == split]
                kinds = [ALL_KINDS, *sorted({query.kind for query in part})]
                engines[name] = {
                    kind: score((rankings[q.text], q.grades) for q in part if kind in (ALL_KINDS, q.kind))
                    for kind in kinds
                }
    return report


def difference_interval(ours: Scores, other: Scores) -> tuple[float, float]:
    """Where the difference of the two engines' mean nDCG@10 falls when the queries are redrawn, both
    engines on the same redraws: queries both rank alike cancel out."""
    return mean_interval([a - b for a, b in zip(ours.ndcgs, other.ndcgs, strict=True)])


def format_report(name: str, report: Report) -> str:
    """One table per split: nDCG@10 of every engine per query kind, then MRR and recall@10 of ours;
    under it the interval of each engine's nDCG@10 over all queries and of ours minus each other's."""
    lines = []
    for split, engines in report.items():
        names = list(engines)
        ours = engines[names[0]]
        lines += [
            f"\n== {name}, {split} ({ours[ALL_KINDS].count} zoekvragen): nDCG@10 ==",
            f"{'soort':<14}{'n':>4}" + "".join(f"{engine:>14}" for engine in names) + f"{'MRR':>8}{'recall@10':>11}",
        ]
        for kind, scores in ours.items():
            figures = "".join(f"{engines[engine][kind].ndcg:>14.3f}" for engine in names)
            lines.append(f"{kind:<14}{scores.count:>4}{figures}{scores.mrr:>8.3f}{scores.recall:>11.3f}")
        everything = {engine: engines[engine][ALL_KINDS] for engine in names}
        lines.append(
            f"{INTERVAL:.0%}-interval van nDCG@10 (alle): "
            + ", ".join(f"{engine} {bounds_text(mean_interval(scores.ndcgs))}" for engine, scores in everything.items())
        )
        lines.append(
            f"verschil van {names[0]} met: "
            + ", ".join(
                f"{engine} {everything[names[0]].ndcg - scores.ndcg:+.3f} "
                f"({bounds_text(difference_interval(everything[names[0]], scores), signed=True)})"
                for engine, scores in everything.items()
                if engine != names[0]
            )
        )
    lines.append(INTERVAL_EXPLANATION)
    return "\n".join(lines)
