"""The search stage of `bench.scale`, in a fresh process: the real posts' requests through the seam.

    python -m bench.scale_search --corpus C --index I --queries Q.json [--profile-out P.txt]

Requests go through `indexer.engine.kennisbank.Kennisbank.search`, the one way in that the website
and the command line use, so the figures include what the seam adds to the engine. Each request is
timed cold (first run on a freshly opened index) and warm (`bench.search_latency.passes`). Then the
slowest warm requests run once more under cProfile, to say where the time goes as the corpus grows.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import news_queries
from bench.profiles import profile
from bench.queries import QuerySpec
from bench.search_latency import Runner, passes
from indexer.corpus.layout import CorpusLayout
from indexer.engine.kennisbank import Kennisbank
from indexer.themes.taxonomy import load_taxonomy

SLOWEST_PROFILED = 25
PROFILE_TOP = 30


def engine_runner(corpus: Path, index_root: Path) -> Runner:
    """Page 1 of 10 hits with facet counts and snippets, as the website asks for it."""
    bank = Kennisbank(index_root, load_taxonomy(CorpusLayout(corpus).themes_dir))
    return lambda spec: bank.search(spec.text, spec.selections, page_size=10).total


def slowest(specs: list[QuerySpec], walls: list[float], count: int) -> list[QuerySpec]:
    ranked = sorted(zip(walls, range(len(specs)), strict=True), reverse=True)
    return [specs[position] for _, position in ranked[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--profile-out", type=Path, help="where the cProfile of the slowest requests goes")
    args = parser.parse_args()
    specs = news_queries.load(args.queries)
    runners: list[Runner] = []

    def open_runner() -> Runner:
        runners.append(engine_runner(args.corpus, args.index))
        return runners[0]

    result = passes(open_runner, specs)
    chosen = slowest(specs, result["warm_wall"], SLOWEST_PROFILED)
    result["slowest"] = [{"text": spec.text, "selections": spec.selections} for spec in chosen]
    if args.profile_out:

        def work() -> None:
            for spec in chosen:
                runners[0](spec)

        args.profile_out.write_text(profile(work, PROFILE_TOP), encoding="utf-8")
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
