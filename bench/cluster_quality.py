"""nDCG@10 on the cluster beside the embedded engine, with and without our second stage, and its cost.

Starts a local Typesense cluster (`tests.typesense_cluster.LocalCluster`, three nodes by default),
indexes the bundled and the real corpus into it and into the embedded engine, and ranks every judged
query (`indexer.evaluation`) four ways:

- embedded: the Whoosh index, as `kennisbank evalueer-zoeken` does;
- cluster N: Typesense's candidates (at most N) re-ranked by our second stage (what `kennisbank search` does);
- first stage only: Typesense's own ranking (text match) of the strict reading's words over the same
  token fields, rarest words first (Typesense drops words from the end when too few documents have all);

and prints one table per judged set and split, then the milliseconds per query: the whole search, the
part spent waiting for the cluster, and the rest (the second stage: parsing, scoring, ranking).

    python -m bench.cluster_quality [--nodes 3] [--candidates 250 500] [--real-corpus ../shared/real-corpus/docs]

`--candidates` ranks the cluster once per cut-off (`searching.MAX_CANDIDATES`: how many candidates the
second stage ranks at most), over the same indexes, to choose that cut-off by measurement.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from indexer.backends.config import TypesenseEngine
from indexer.backends.typesense import client as client_module
from indexer.backends.typesense import searching
from indexer.backends.typesense.collections import DOCUMENTS, token_field
from indexer.corpus.layout import REAL_CORPUS, CorpusLayout
from indexer.engine.kennisbank import Kennisbank
from indexer.engine.query import parse_query
from indexer.engine.query_model import field_terms
from indexer.evaluation.judgments import HELD_BACK, TUNING
from indexer.evaluation.metrics import CUTOFF, rank_all, score
from indexer.evaluation.runner import JudgedSet, bundled_set, real_set
from indexer.indexing.pipeline import run_index
from indexer.themes.taxonomy import load_taxonomy
from tests.typesense_cluster import LocalCluster

_WAITED = [0.0]  # seconds spent in requests to the cluster, summed over the run
_request = client_module.TypesenseClient.request
# A shared 2-core machine running three nodes can take longer than the client's 30 s to import a batch
# of long reports; the bench measures quality, so its clients wait longer.
PATIENT = client_module.Timeouts(read_s=300.0)


def _patient_client(cls: type, config: TypesenseEngine, timeouts: object = None) -> client_module.TypesenseClient:
    return cls(config.nodes, config.api_key, timeouts or PATIENT)


def _timed_request(self: client_module.TypesenseClient, *args: object, **kwargs: object) -> object:
    started = time.perf_counter()
    try:
        return _request(self, *args, **kwargs)
    finally:
        _WAITED[0] += time.perf_counter() - started


def first_stage_only(engine: Kennisbank, config: TypesenseEngine):
    """Typesense's own ranking of the strict reading's words, rarest first."""
    searcher = engine.backend
    documents = DOCUMENTS.alias(config.prefix)
    fields = ",".join(token_field(name) for name in ("title", "summary", "content"))

    def rank(text: str) -> list[str]:
        context = searcher.query_context(engine.context)
        parsed = parse_query(text, context)
        terms = field_terms(parsed.query) if parsed.query else set()
        words = {word for field, word in terms if field == "content"}
        words = sorted(words, key=lambda word: (searcher.share_of(word), word))
        params = {"q": " ".join(words) or "*", "query_by": fields, "query_by_weights": "3,2,1", "num_typos": 0,
                  "prefix": "false", "per_page": CUTOFF, "include_fields": "id"}  # fmt: skip
        answer = searcher.client.request("GET", f"/collections/{documents}/documents/search", params=params)
        return [hit["document"]["id"] for hit in answer["hits"]]

    return rank


def _timed(rank, times: list[float]):
    def run(text: str) -> list[str]:
        started, waited = time.perf_counter(), _WAITED[0]
        try:
            return rank(text)
        finally:
            times.append((time.perf_counter() - started, _WAITED[0] - waited))

    return run


def with_cut_off(cluster: Kennisbank, candidates: int):
    """The cluster's ranking with at most `candidates` candidates."""

    def rank(text: str) -> list[str]:
        searching.MAX_CANDIDATES = candidates
        return [hit.id for hit in cluster.search(text, page_size=CUTOFF).hits]

    return rank


def measure(judged: JudgedSet, config: TypesenseEngine, folder: Path, cut_offs: list[int]) -> tuple[dict, dict]:
    taxonomy = load_taxonomy(CorpusLayout(judged.corpus).themes_dir)
    run_index(judged.corpus, folder / "embedded")
    # One writer: parallel imports of long reports into three nodes on this loaded 2-core machine
    # stalled past every timeout; one at a time (and in batches of at most `BATCH_CHARACTERS`) they go through.
    run_index(judged.corpus, folder / "state", engine=config, workers=1)
    embedded = Kennisbank(folder / "embedded", taxonomy)
    cluster = Kennisbank(folder / "state", taxonomy, engine=config)
    rankers = {
        "ingebouwd": lambda text: [hit.id for hit in embedded.search(text, page_size=CUTOFF).hits],
        **{f"cluster {n}": with_cut_off(cluster, n) for n in cut_offs},
        "eerste fase": first_stage_only(cluster, config),
    }
    times: dict[str, list] = {name: [] for name in rankers}
    queries = judged.queries()
    rankings = {name: rank_all(queries, _timed(rank, times[name]), judged.copies) for name, rank in rankers.items()}
    table = {}
    for split in (TUNING, HELD_BACK):
        part = [query for query in queries if query.split == split]
        table[split] = (len(part), {name: score((found[q.text], q.grades) for q in part).ndcg
                                    for name, found in rankings.items()})  # fmt: skip
    return table, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--candidates", type=int, nargs="+", default=[searching.MAX_CANDIDATES])
    parser.add_argument("--real-corpus", type=Path, default=REAL_CORPUS)
    args = parser.parse_args()
    client_module.TypesenseClient.request = _timed_request
    client_module.TypesenseClient.from_config = classmethod(_patient_client)
    with tempfile.TemporaryDirectory(prefix="cluster-quality-") as root:
        cluster = LocalCluster(Path(root), size=args.nodes)
        cluster.start_all()
        try:
            print(f"nDCG@10, {args.nodes} Typesense-node(s) 0.24.1 op 127.0.0.1; verschil: cluster − ingebouwd")
            names = ["ingebouwd", *(f"cluster {n}" for n in args.candidates), "eerste fase"]
            print(f"{'set':<12}{'deel':<16}{'n':>4}" + "".join(f"{name:>14}" for name in names) + f"{'verschil':>10}")
            for number, judged in enumerate((bundled_set(), real_set(args.real_corpus))):
                config = TypesenseEngine(cluster.nodes, cluster.api_key, prefix=f"kwaliteit{number}")
                table, times = measure(judged, config, Path(root) / judged.name, args.candidates)
                for split, (count, figures) in table.items():
                    shown = "".join(f"{figures[name]:>14.3f}" for name in names)
                    differences = " ".join(
                        f"{figures[f'cluster {n}'] - figures['ingebouwd']:+.3f}" for n in args.candidates
                    )
                    print(f"{judged.name:<12}{split:<16}{count:>4}{shown}  {differences}")
                for name, spent in times.items():
                    total = sum(wall for wall, _ in spent) / len(spent) * 1000
                    waited = sum(wait for _, wait in spent) / len(spent) * 1000
                    print(f"    {judged.name} {name}: {total:.1f} ms per zoekvraag, waarvan {waited:.1f} ms wachten "
                          f"op het cluster, {total - waited:.1f} ms eigen werk (tweede fase)")  # fmt: skip
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
