"""Run every benchmark at one or more corpus sizes and print (and save) one table per benchmark.

    python -m bench.run_all --n 1000 10000

Corpora and indexes go under --root (default /tmp/kb/bench), never into the repository. A corpus
generated earlier with the same options is reused; the tables of each size are also written to
<root>/n<N>/results.md.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

from bench import http_load, indexing, machine, search_latency
from bench.corpus_generator import DEFAULT_REPORT_SHARE, DEFAULT_SEED, Options, generate, manifest_matches
from bench.indexing import Workspace
from bench.queries import DEFAULT_COUNT

DEFAULT_ROOT = Path(tempfile.gettempdir()) / "kb" / "bench"
BENCHMARKS = ("index", "incremental", "new-pdf", "search", "http")


def run_size(space: Workspace, args: argparse.Namespace) -> list[str]:
    options = Options(space.n, args.seed, args.report_share)
    tables = []
    if manifest_matches(space.corpus, options):
        print(f"Reusing the corpus in {space.corpus}", flush=True)
    else:
        manifest = generate(space.corpus, options)
        docs = manifest["documents"]
        summary = (
            f"Generated {len(docs):,} documents in {manifest['generated_s']} s: {sum(d['pages'] for d in docs):,} "
            f"pages, {sum(d['words'] for d in docs):,} words, {sum(d['format'] == 'pdf' for d in docs):,} PDFs "
            f"({sum(d['long'] for d in docs):,} reports of 20–100 pages), "
            f"{sum(d['format'] == 'md' for d in docs):,} Markdown, {sum(d['format'] == 'txt' for d in docs):,} text."
        )
        print(summary, flush=True)
        tables.append(summary + "\n")
    space.data.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only or BENCHMARKS)
    try:
        if "index" in wanted or not space.ours_index.exists() or not space.baseline_index.exists():
            tables.append(indexing.full_indexing(space)[0])
        if "incremental" in wanted:
            tables.append(indexing.incremental(space)[0])
        if "new-pdf" in wanted:
            tables.append(indexing.new_pdf(space)[0])
    finally:
        indexing.restore(space)
    indexes = {"ours": space.ours_index, "baseline": space.baseline_index}
    if "search" in wanted:
        tables.append(search_latency.benchmark(space.corpus, indexes, space.n, args.queries)[0])
    if "http" in wanted:
        load_table, memory_table, _ = http_load.benchmark(
            space.corpus,
            indexes,
            space.data,
            space.n,
            clients=args.clients,
            max_requests=args.max_requests,
            max_seconds=args.max_seconds,
            queries=args.queries,
        )
        tables += [load_table, memory_table]
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="corpus sizes, e.g. 1000 10000 50000")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="work folder for corpora/indexes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--report-share", type=float, default=DEFAULT_REPORT_SHARE)
    parser.add_argument("--queries", type=int, default=DEFAULT_COUNT, help="distinct search requests")
    parser.add_argument("--clients", type=int, default=http_load.CLIENTS)
    parser.add_argument("--max-requests", type=int, default=http_load.MAX_REQUESTS)
    parser.add_argument("--max-seconds", type=float, default=http_load.MAX_SECONDS)
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these benchmarks")
    args = parser.parse_args()
    command = "python -m bench.run_all " + shlex.join(sys.argv[1:])
    header = f"$ {command}\n\n{machine.describe()}\n"
    print(header, flush=True)
    for n in args.n:
        started = time.perf_counter()
        space = Workspace(args.root / f"n{n}", n)
        tables = run_size(space, args)
        footer = f"N = {n:,} took {time.perf_counter() - started:.0f} s in all.\n"
        print(footer, flush=True)
        text = f"{header}\nLoad average at the end: {machine.load_average()}\n\n" + "\n".join(tables) + "\n" + footer
        (space.root / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
