"""One indexing job in a fresh process, so that its peak memory and CPU belong to that job alone.

    python -m bench.index_job --system ours|baseline --action full|update|add-pdf --corpus C --index I

Prints one JSON object: wall seconds, documents and pages indexed, peak RSS of this process
(ru_maxrss) and of its worker processes (sampled from /proc), CPU seconds, index size on disk and,
for add-pdf, whether the new document was found.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
from pathlib import Path

from bench.baseline import BaselineSearch
from bench.baseline import build as baseline_build
from bench.baseline import update as baseline_update
from bench.corpus_generator import DOCUMENTS, MANIFEST, load_manifest
from bench.measure import Stopwatch, TreeSampler, dir_bytes
from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import CorpusLayout
from indexer.engine.query_context import QueryContext
from indexer.errors import describe
from indexer.indexing.pipeline import run_index
from indexer.indexing.workers import extract_all
from indexer.themes.taxonomy import load_taxonomy


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pages(corpus: Path, indexed: tuple[str, ...]) -> int:
    """Pages as generated: real pages for PDFs, the intended page count for text files. A corpus
    that was not generated (real posts, `bench.scale`) has no manifest: each text file is the one
    page the indexer stores for it."""
    if not (corpus / MANIFEST).exists():
        return len(indexed)
    pages = {entry["path"]: entry["pages"] for entry in load_manifest(corpus)["documents"]}
    return sum(pages.get(relative, 10) for relative in indexed)


def _ours(action: str, corpus: Path, index: Path) -> tuple[int, tuple[str, ...], dict]:
    report = run_index(corpus, index, rebuild=action == "full")
    extra = {
        "unchanged": len(report.unchanged),
        "failed": [f"{f.path}: {describe(f.issue)}" for f in report.failed][:5],
        "failed_count": len(report.failed),
    }
    return len(report.indexed), report.indexed, extra


def _baseline(action: str, corpus: Path, index: Path) -> tuple[int, tuple[str, ...], dict]:
    stats = baseline_build(corpus, index) if action == "full" else baseline_update(corpus, index)
    return stats.documents, stats.indexed, {}


def _add_pdf(system: str, corpus: Path, index: Path, staged: Path, marker: str) -> dict:
    """Copy a new PDF into the corpus, index, and search for its marker word; timed as a whole."""
    target = corpus / DOCUMENTS / staged.name
    if system == "ours":
        context = QueryContext.from_taxonomy(load_taxonomy(CorpusLayout(corpus).themes_dir))
        whoosh_index = IndexStore(index).open()
        # The staff upload's preview step reads the file first, which starts the extraction fork
        # server; publishing (timed below) then finds it running, as in the web server.
        list(extract_all([staged], workers=1))
    else:
        baseline = BaselineSearch(index)
    with Stopwatch() as total:
        with Stopwatch() as copy:
            shutil.copyfile(staged, target)
            shutil.copyfile(staged.with_name(staged.name + ".meta.yaml"), target.with_name(target.name + ".meta.yaml"))
        with Stopwatch() as indexing:
            if system == "ours":  # as the staff upload does it: index the one file it published
                run_index(corpus, index, paths=[staged.name])
            else:
                baseline_update(corpus, index)
        with Stopwatch() as searching:
            if system == "ours":
                found = any(hit.path == target.name for hit in search(whoosh_index, marker, context).hits)
            else:
                found = any(hit["id"] == target.name for hit in baseline.search(marker)["hits"])
    return {
        "seconds": total.seconds,
        "copy_s": copy.seconds,
        "index_s": indexing.seconds,
        "search_s": searching.seconds,
        "found": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--system", choices=("ours", "baseline"), required=True)
    parser.add_argument("--action", choices=("full", "update", "add-pdf"), required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--pdf", type=Path, help="add-pdf: the staged PDF (with its sidecar next to it)")
    parser.add_argument("--marker", help="add-pdf: the word only that PDF contains")
    args = parser.parse_args()
    if args.action == "add-pdf":
        print(json.dumps(_add_pdf(args.system, args.corpus, args.index, args.pdf, args.marker)))
        return
    cpu_before = _cpu_self()
    with TreeSampler() as sampler, Stopwatch() as watch:
        run = _ours if args.system == "ours" else _baseline
        documents, indexed, extra = run(args.action, args.corpus, args.index)
    usage = sampler.usage
    result = {
        "seconds": watch.seconds,
        "documents": documents,
        "pages": _pages(args.corpus, indexed),
        "main_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "fork_server_peak_mib": usage.peak_child_kib / 1024,
        "worker_peak_mib": usage.peak_grandchild_kib / 1024,
        "tree_peak_mib": usage.peak_tree_rss_kib / 1024,
        "children_maxrss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "main_cpu_s": _cpu_self() - cpu_before,
        "workers_cpu_s": usage.descendant_cpu_s,
        "index_bytes": dir_bytes(args.index),
        **extra,
    }
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
