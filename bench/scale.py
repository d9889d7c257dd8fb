"""Issue 22 item 4: our search over 116,824 real Dutch news posts, next to a 10,000-post sample.

    python -m bench.scale                      # unpack, index both, search in process and over HTTP
    python -m bench.scale --reuse              # keep stages a run finished before (their JSON is kept)
    python -m bench.scale --only search http   # some stages, on indexes left earlier

The generated corpus (`bench.run_all`) has made-up word frequencies; real posts have names,
places, typos and duplicates. The tarball is unpacked once under --root (never into the
repository); the sample is hard links into a folder of its own (the indexer lists regular files,
and a hard link is one). Every stage runs its measured work in a fresh process: indexing through
`bench.index_job`, searching through `python -m bench.scale_search` (the engine seam, cold and
warm), and `kennisbank serve` under `bench.http_load`'s 16 clients. Each stage's figures are kept
as JSON under --root, so a run that stops can be continued with --reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path

from bench import http_load, machine, news_queries
from bench.indexing import Workspace, run_job
from bench.scale_tables import front_matter_note, tables
from indexer.corpus.layout import NEWS_ARCHIVE
from search_app.launcher import free_port

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = Path(tempfile.gettempdir()) / "kb" / "scale"
SAMPLE_SIZE = 10_000
STAGES = ("index", "search", "http")
UNPACKED_MARKER = ".unpacked"


def unpack(tarball: Path, root: Path) -> Workspace:
    """All posts, unpacked once (a marker file says the unpacking finished)."""
    space = Workspace(root / "all", 0)
    if not (space.root / UNPACKED_MARKER).exists():
        space.corpus.mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "-xzf", str(tarball), "-C", str(space.corpus), "--strip-components=1"], check=True)
        (space.root / UNPACKED_MARKER).write_text(str(tarball))
    return Workspace(space.root, len(posts(space.corpus)))


def posts(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.md"))


def sample(full: Workspace, root: Path, size: int, seed: int) -> Workspace:
    """`size` posts chosen with `seed`, hard-linked into a corpus folder of their own."""
    space = Workspace(root / f"sample-{size}-seed{seed}", size)
    marker = space.root / ".sampled"
    if not marker.exists():
        space.corpus.mkdir(parents=True, exist_ok=True)
        for path in random.Random(seed).sample(posts(full.corpus), size):
            target = space.corpus / path.name
            if not target.exists():
                os.link(path, target)
        marker.write_text(f"{size} posts, seed {seed}")
    return space


def staged(space: Workspace, name: str, reuse: bool, work: Callable[[], dict]) -> dict:
    """A stage's figures: kept as JSON beside the corpus, and taken from there with --reuse."""
    path = space.root / f"{name}.json"
    if reuse and path.exists():
        print(f"Reusing {path}", flush=True)
        return json.loads(path.read_text())
    result = work()
    path.write_text(json.dumps(result))
    return result


def index_stage(space: Workspace) -> dict:
    """A full index from nothing in a fresh process (`bench.index_job`), then where its bytes go
    (`bench.index_size`). An index left by an earlier or stopped run is removed first: its old
    generation would count in the size on disk."""
    shutil.rmtree(space.ours_index, ignore_errors=True)
    result = run_job("ours", "full", space)
    size = subprocess.run(
        [sys.executable, "-m", "bench.index_size", "--index", str(space.ours_index)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return {**result, "size_table": size.stdout, "load_before": machine.load_average()}


def search_stage(space: Workspace, queries: Path) -> dict:
    command = [sys.executable, "-m", "bench.scale_search", "--corpus", str(space.corpus)]
    command += ["--index", str(space.ours_index), "--queries", str(queries)]
    command += ["--profile-out", str(space.root / "profile-slowest.txt")]
    load_before = machine.load_average()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPO)
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "load_before": load_before}


def http_stage(space: Workspace, queries: Path) -> dict:
    """16 keep-alive clients on `kennisbank serve`, then the server's memory (master and workers)."""
    space.data.mkdir(parents=True, exist_ok=True)
    port, load_before = free_port(), machine.load_average()
    env = {**os.environ, "KENNISBANK_SECRET_KEY": "benchmark-only-secret"}
    paths = http_load.search_paths("/zoeken", news_queries.load(queries))
    run = http_load.serve_and_load(
        http_load.serve_command(space.corpus, space.ours_index, space.data, port),
        port,
        paths,
        env,
        space.data / "server.log",
        clients=http_load.CLIENTS,
        max_requests=http_load.MAX_REQUESTS,
        max_seconds=http_load.MAX_SECONDS,
    )
    figures = asdict(run)
    return {**figures.pop("load"), **figures, "load_before": load_before}


def corpus_parser(description: str) -> argparse.ArgumentParser:
    """The options of every benchmark over the news posts: where they are, the sample, the queries,
    which sizes, and whether finished stages are reused (this one and `bench.cluster_scale`)."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--tarball", type=Path, default=NEWS_ARCHIVE)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--sample", type=int, default=SAMPLE_SIZE, help="posts in the smaller corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=news_queries.DEFAULT_COUNT)
    parser.add_argument("--sizes", nargs="+", choices=("sample", "all"), default=("sample", "all"))
    parser.add_argument("--reuse", action="store_true", help="take finished stages from their JSON")
    return parser


def corpora(args: argparse.Namespace) -> tuple[dict[str, Workspace], Path]:
    """The sample and all posts (unpacked and sampled once), and the file of the queries drawn from the sample."""
    full = unpack(args.tarball, args.root)
    small = sample(full, args.root, args.sample, args.seed)
    queries = args.root / f"queries-{args.queries}-from{args.sample}-seed{args.seed}.json"
    if not queries.exists():
        news_queries.save(news_queries.generate_news_queries(posts(small.corpus), args.queries, args.seed), queries)
    return {"sample": small, "all": full}, queries


def main() -> None:
    parser = corpus_parser(__doc__)
    parser.add_argument("--only", nargs="+", choices=STAGES, default=STAGES)
    args = parser.parse_args()
    header = f"$ python -m bench.scale {shlex.join(sys.argv[1:])}\n\n{machine.describe()}\n"
    print(header, flush=True)
    spaces, queries = corpora(args)
    small, full = spaces["sample"], spaces["all"]
    results: dict[str, dict[str, dict]] = {"sample": {}, "all": {}}
    for size, space in spaces.items():
        for stage in STAGES:
            kept = space.root / f"{stage}.json"
            if size in args.sizes and stage in args.only:
                work = {
                    "index": index_stage,
                    "search": partial(search_stage, queries=queries),
                    "http": partial(http_stage, queries=queries),
                }[stage]
                results[size][stage] = staged(space, stage, args.reuse, partial(work, space))
            elif kept.exists():  # a stage of an earlier run, for the tables
                results[size][stage] = json.loads(kept.read_text())
    note = front_matter_note(small.corpus)
    print(note, flush=True)
    text = "\n".join([header, note, *tables(small, full, results)])
    text += f"\nLoad average at the end: {machine.load_average()}\n"
    (args.root / "results.md").write_text(text, encoding="utf-8")
    print(f"Tables saved in {args.root / 'results.md'}", flush=True)


if __name__ == "__main__":
    main()
