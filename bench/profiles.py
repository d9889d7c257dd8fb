"""Where the time goes: cProfile of one benchmark's work, top functions by cumulative time.

Uses the corpus and indexes a `bench.run_all` run left in <root>/n<N>/. Profiles the main process
only (extraction workers are separate processes; their CPU share is in benchmark 1's table), except
`index-stages`: every stage of a rebuild, workers' and writer's, in this one process, each timed and
profiled on its own (extraction, tagging, analysis, adding to the writer, its commit).

    python -m bench.profiles --n 10000 --what search
    python -m bench.profiles --n 1000 --what index
    python -m bench.profiles --n 2000 --what index-stages --cpu-timer
    python -m bench.profiles --n 2000 --what index-stages --files 600 --no-profile   # CPU s per stage
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from bench.corpus_generator import DOCUMENTS, added_pdf
from bench.queries import generate_queries
from bench.run_all import DEFAULT_ROOT

PROJECT_FILES = r"/(indexer|search_app)/"
WHAT = ("search", "index", "index-stages", "noop", "add-pdf", "http", "memory")


def _search_work(corpus: Path, index: Path, count: int, warm: bool) -> Callable[[], None]:
    from bench.search_latency import ours_runner

    specs = generate_queries(count)
    run = ours_runner(corpus, index)
    if warm:
        for spec in specs:
            run(spec)

    def work() -> None:
        for spec in specs:
            run(spec)

    return work


def _http_work(corpus: Path, index: Path, data: Path, count: int) -> Callable[[], None]:
    """The website's search page through Flask's test client: search plus request handling and HTML."""
    from urllib.parse import urlencode

    from search_app import create_app

    app = create_app({"CORPUS": corpus, "INDEX": index, "DATA_DIR": data, "SECRET_KEY": "profile-only"})
    client = app.test_client()
    paths = [f"/zoeken?{urlencode(spec.url_args())}" for spec in generate_queries(count)]
    for path in paths:  # warm, as a long-running server is
        client.get(path)

    def work() -> None:
        for path in paths:
            assert client.get(path).status_code == 200

    return work


def _index_work(corpus: Path, index: Path, what: str, staging: Path) -> Callable[[], None]:
    from indexer.indexing.pipeline import run_index

    if what == "index":
        target = Path(tempfile.mkdtemp(prefix="profile-index-", dir=index.parent))
        return lambda: run_index(corpus, target, rebuild=True)
    if what == "noop":
        return lambda: run_index(corpus, index)
    staged = added_pdf(staging, "profielproefwoord")
    destination = corpus / DOCUMENTS / staged.name

    def add() -> None:
        shutil.copyfile(staged, destination)
        shutil.copyfile(staged.with_name(staged.name + ".meta.yaml"), Path(f"{destination}.meta.yaml"))
        run_index(corpus, index)

    return add


def memory(corpus: Path, index: Path, data: Path, count: int, top: int) -> str:
    """The website's memory after `count` searches: RSS split by kind, and the largest Python allocations."""
    import tracemalloc

    from bench.measure import status_kib

    tracemalloc.start(4)
    _http_work(corpus, index, data, count)()
    snapshot = tracemalloc.take_snapshot()
    keys = ("VmRSS", "RssAnon", "RssFile", "VmHWM")
    lines = [f"{key}: {status_kib(os.getpid(), key) / 1024:.1f} MiB" for key in keys]
    traced, peak = tracemalloc.get_traced_memory()
    lines.append(f"Python heap traced: {traced / 2**20:.1f} MiB now, {peak / 2**20:.1f} MiB at most")
    for stat in snapshot.statistics("traceback")[:top]:
        frames = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in stat.traceback[:6])
        lines.append(f"{stat.size / 2**20:8.1f} MiB {stat.count:9,} blocks  {frames}")
    return "\n".join(lines)


def index_stages(corpus: Path, top: int, cpu_timer: bool, files: int | None = None, profiled: bool = True) -> str:
    """A rebuild's stages one after the other in this process: CPU seconds and a profile of each
    (`profiled`; without, the CPU seconds alone, which the profiler inflates), for the first `files`."""
    import datetime as dt

    from indexer.backends.whoosh.store import IndexStore
    from indexer.backends.whoosh.writable import WhooshIndex, prepare_document
    from indexer.corpus.layout import CorpusLayout
    from indexer.extract import extract
    from indexer.indexing.pipeline import build_document
    from indexer.indexing.workers import tune_garbage_collector
    from indexer.models import Fingerprint
    from indexer.themes.taxonomy import load_taxonomy

    tune_garbage_collector()  # as the worker and writer processes run
    layout = CorpusLayout(corpus)
    taxonomy = load_taxonomy(layout.themes_dir)
    paths = sorted(path for path in layout.documents_dir.rglob("*") if path.is_file() and ".meta." not in path.name)
    paths = paths[:files]
    added = dt.datetime(2026, 1, 1)
    relatives = [str(path.relative_to(layout.documents_dir)) for path in paths]
    fingerprint = Fingerprint(0, 0, "", "")
    extracted: list = []
    documents: list = []
    prepared: list = []
    target = Path(tempfile.mkdtemp(prefix="profile-stages-"))
    directory, new_index = IndexStore(target).new_generation()
    index = WhooshIndex(new_index, directory)

    open_writer = ExitStack()  # entered by the adding stage, closed (committed) by the next

    def add_all() -> None:
        writer = open_writer.enter_context(index.writing())
        for document in prepared:
            writer.add_prepared(document)

    stages = {
        "extraction": lambda: extracted.extend(extract(path) for path in paths),
        "tagging": lambda: documents.extend(
            build_document(path, extraction, relative, relative, fingerprint, taxonomy)
            for path, extraction, relative in zip(paths, extracted, relatives, strict=True)
        ),
        "analysis": lambda: prepared.extend(prepare_document(document, added) for document in documents),
        "writer: add_document": add_all,
        "writer: commit": open_writer.close,
    }
    out = []
    try:
        for name, work in stages.items():
            started = time.process_time()
            if not profiled:
                work()
                out.append(f"{name}: {time.process_time() - started:.2f} CPU s")
                continue
            text = profile(work, top, cpu_timer)
            out.append(f"== {name}: {time.process_time() - started:.1f} CPU s (profiler included)\n{text}")
    finally:
        shutil.rmtree(target, ignore_errors=True)
    return "\n".join(out)


def profile(work: Callable[[], None], top: int, cpu_timer: bool = False) -> str:
    # The CPU timer ignores other load on the machine but costs a system call per event (slow).
    profiler = cProfile.Profile(time.process_time) if cpu_timer else cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    stats.sort_stats("tottime").print_stats(top // 2)
    # The project's own functions by cumulative time: which of our steps the time above belongs to.
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(PROJECT_FILES, top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--what", choices=WHAT, required=True)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--warm", action="store_true", help="search: run the queries once before profiling")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--cpu-timer", action="store_true", help="profile CPU time instead of wall time")
    parser.add_argument("--files", type=int, help="index-stages: only the first this many files (sorted by path)")
    parser.add_argument("--no-profile", action="store_true", help="index-stages: CPU seconds per stage only")
    args = parser.parse_args()
    space = args.root / f"n{args.n}"
    corpus, index = space / "corpus", space / "index-ours"
    if args.what == "index-stages":
        print(index_stages(corpus, args.top, args.cpu_timer, args.files, not args.no_profile))
        return
    if args.what == "memory":
        print(memory(corpus, index, space / "data", args.queries, args.top))
        return
    if args.what == "search":
        work = _search_work(corpus, index, args.queries, args.warm)
    elif args.what == "http":
        work = _http_work(corpus, index, space / "data", args.queries)
    else:
        work = _index_work(corpus, index, args.what, space / "staging")
    try:
        print(profile(work, args.top, args.cpu_timer))
    finally:
        for path in (corpus / DOCUMENTS).glob("upload-profielproefwoord*"):
            path.unlink()
        for path in space.glob("profile-index-*"):
            shutil.rmtree(path)


if __name__ == "__main__":
    main()
