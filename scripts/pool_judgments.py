"""Pool the top results of every engine for queries still to be judged (issue 17's method).

    python scripts/pool_judgments.py VRAGEN.yaml CORPUS POOL.yaml [--depth 20]

For each query, the union of the top DEPTH documents of ours, plain BM25, plain Whoosh and the library
baseline is written in an order derived from a hash, so judges cannot tell which engine found what or
how high. Judges then grade every pooled document (0-3) by reading it.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path

import yaml

from indexer.corpus.layout import CorpusLayout, list_files, slug_for
from indexer.evaluation.baselines import all_engines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("queries", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("pool", type=Path)
    parser.add_argument("--depth", type=int, default=20)
    args = parser.parse_args()
    queries = yaml.safe_load(args.queries.read_text(encoding="utf-8"))
    paths = {slug_for(relative): relative for relative, _ in list_files(CorpusLayout(args.corpus).documents_dir)}
    pooled: dict[str, set[str]] = {item["vraag"]: set() for item in queries}
    with tempfile.TemporaryDirectory(prefix="kennisbank-pool-") as temporary:
        for name, ranker in all_engines(args.corpus, Path(temporary), args.depth):
            for text in pooled:
                pooled[text].update(ranker(text))
            print(f"{name}: klaar")
    for item in queries:
        order = sorted(
            pooled[item["vraag"]], key=lambda doc: hashlib.sha256(f"{item['vraag']}|{doc}".encode()).digest()
        )
        item["kandidaten"] = [paths[doc] for doc in order]
    args.pool.write_text(yaml.safe_dump(queries, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    pairs = sum(len(item["kandidaten"]) for item in queries)
    print(f"{len(queries)} zoekvragen, {pairs} te beoordelen paren, gemiddeld {pairs / len(queries):.1f} per vraag")


if __name__ == "__main__":
    main()
