"""Measure ranking quality on judged queries, against a plain Whoosh baseline in the same run.

The judged queries live in corpus/evaluatie/zoekvragen.yaml (grades 1-3 per document). Both
engines index the same corpus in a temporary folder: ours through the real pipeline, the baseline
as Whoosh out of the box (default analyzer, title and text, no decompounding, synonyms or tuning).
One third of the queries, chosen by a hash of their text, is held back from tuning.
"""

from __future__ import annotations

import hashlib
import math
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import MultifieldParser

from indexer.corpus import CorpusLayout, list_files, slug_for
from indexer.extract import is_supported
from indexer.pipeline import run_index
from indexer.query import QueryContext
from indexer.search import search
from indexer.store import IndexStore
from indexer.taxonomy import load_taxonomy
from indexer.workers import extract_all

JUDGMENTS_FILE = Path("evaluatie") / "zoekvragen.yaml"
CUTOFF = 10
TUNING = "afstemming"
HELD_BACK = "achtergehouden"
HELD_BACK_MODULUS = 3

Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class JudgedQuery:
    text: str
    kind: str
    grades: dict[str, int]

    @property
    def split(self) -> str:
        digest = int(hashlib.sha256(self.text.encode()).hexdigest(), 16)
        return HELD_BACK if digest % HELD_BACK_MODULUS == 0 else TUNING


def load_judgments(corpus: Path) -> list[JudgedQuery]:
    data = yaml.safe_load((corpus / JUDGMENTS_FILE).read_text(encoding="utf-8"))
    return [JudgedQuery(str(item["vraag"]), str(item["soort"]), dict(item["oordelen"])) for item in data]


def ndcg(ranking: list[str], grades: dict[str, int], cutoff: int = CUTOFF) -> float:
    gains = [(2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranking[:cutoff])]
    ideal = sorted(grades.values(), reverse=True)[:cutoff]
    best = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def reciprocal_rank(ranking: list[str], grades: dict[str, int]) -> float:
    return next((1.0 / (rank + 1) for rank, doc in enumerate(ranking) if grades.get(doc, 0) > 0), 0.0)


def recall(ranking: list[str], grades: dict[str, int], cutoff: int = CUTOFF) -> float:
    relevant = {doc for doc, grade in grades.items() if grade > 0}
    return len(relevant & set(ranking[:cutoff])) / len(relevant) if relevant else 0.0


@dataclass(frozen=True)
class Scores:
    ndcg: float
    mrr: float
    recall: float
    count: int


def score(queries: list[JudgedQuery], ranker: Ranker) -> Scores:
    rankings = [(ranker(query.text), query.grades) for query in queries]
    count = max(len(rankings), 1)
    return Scores(
        sum(ndcg(r, g) for r, g in rankings) / count,
        sum(reciprocal_rank(r, g) for r, g in rankings) / count,
        sum(recall(r, g) for r, g in rankings) / count,
        len(rankings),
    )


def baseline_ranker(corpus: Path, folder: Path) -> Ranker:
    """Whoosh as it comes: default analyzer, title and text, the default query parser."""
    schema = Schema(id=ID(stored=True), title=TEXT(), content=TEXT())
    index = whoosh_index.create_in(folder, schema)
    layout = CorpusLayout(corpus)
    paths = {path: relative for relative, path in list_files(layout.documents_dir) if is_supported(path)}
    writer = index.writer()
    for outcome in extract_all(list(paths)):
        if outcome.extraction:
            title = str(outcome.extraction.properties.get("titel", ""))
            writer.add_document(id=slug_for(paths[outcome.path]), title=title, content=outcome.extraction.text)
    writer.commit()
    parser = MultifieldParser(["title", "content"], schema)

    def rank(text: str) -> list[str]:
        with index.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(parser.parse(text), limit=CUTOFF)]

    return rank


def kennisbank_ranker(corpus: Path, folder: Path) -> Ranker:
    run_index(corpus, folder)
    index = IndexStore(folder).open()
    context = QueryContext.from_taxonomy(load_taxonomy(CorpusLayout(corpus).themes_dir))
    return lambda text: [hit.id for hit in search(index, text, context, page_size=CUTOFF).hits]


def evaluate(corpus: Path) -> dict[str, dict[str, dict[str, Scores]]]:
    """split -> engine -> query kind ("alle" for all) -> scores."""
    queries = load_judgments(corpus)
    report: dict[str, dict[str, dict[str, Scores]]] = defaultdict(dict)
    with tempfile.TemporaryDirectory(prefix="kennisbank-evaluatie-") as temporary:
        engines = {
            "kennisbank": kennisbank_ranker(corpus, Path(temporary) / "kennisbank"),
            "basislijn": baseline_ranker(corpus, _folder(Path(temporary) / "basislijn")),
        }
        for split in (TUNING, HELD_BACK):
            part = [query for query in queries if query.split == split]
            kinds = sorted({query.kind for query in part})
            for name, ranker in engines.items():
                report[split][name] = {"alle": score(part, ranker)}
                for kind in kinds:
                    report[split][name][kind] = score([q for q in part if q.kind == kind], ranker)
    return report


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def format_report(report: dict[str, dict[str, dict[str, Scores]]]) -> str:
    lines = []
    for split, engines in report.items():
        ours, base = engines["kennisbank"], engines["basislijn"]
        lines += [
            f"\n== {split} ({ours['alle'].count} zoekvragen) ==",
            f"{'soort':<14}{'n':>4}  {'nDCG@10':>8} {'basis':>7}  {'MRR':>6} {'basis':>7}  "
            f"{'recall@10':>9} {'basis':>7}",
        ]
        for kind, scores in ours.items():
            other = base[kind]
            lines.append(
                f"{kind:<14}{scores.count:>4}  {scores.ndcg:>8.3f} {other.ndcg:>7.3f}  {scores.mrr:>6.3f} "
                f"{other.mrr:>7.3f}  {scores.recall:>9.3f} {other.recall:>7.3f}"
            )
    return "\n".join(lines)
