"""OCR: pages per second on this machine, and what indexing scans costs once they are read.

    python -m bench.ocr [--documents 10] [--pages 2] [--root /tmp/kb/bench/ocr]

Two corpora of the same Dutch letters (the scans of tests/format_builders.py, 300 dpi A4, about
110 words a page): one scanned (no text layer), one as PDFs with a text layer. Measured:
1. OCR in one process (`indexer.extract.extract`, no cache): pages per second on one core;
2. a first full index of the scans (`run_index`, one worker per core, empty OCR cache);
3. a run with nothing changed, scans against text PDFs: must cost the same, no OCR;
4. a rebuild (every file read again), scans against text PDFs: OCR comes from the cache.
Wall times (3 and 4: the fastest of three runs); the machine may be shared (load averages are printed).
The scans are drawn by the test suite's builder (tests/format_builders.py), so both measure the same pages.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from bench.machine import load_average
from bench.run_all import DEFAULT_ROOT
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.extract import extract
from indexer.indexing.pipeline import OCR_CACHE_DIR, run_index
from indexer.indexing.workers import default_workers
from tests.builders import write_pdf
from tests.format_builders import scanned_letter, write_scanned_pdf


def _corpus(root: Path, documents: int, pages: int, scanned: bool) -> Path:
    corpus = root / ("scans" if scanned else "tekst")
    shutil.rmtree(corpus, ignore_errors=True)
    (corpus / "documenten").mkdir(parents=True)
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, corpus / THEMES_DIR)
    for number in range(documents):
        # Every page differs, so no two documents are duplicates.
        content = [scanned_letter(number * pages + page + 1) * 2 for page in range(pages)]
        path = corpus / "documenten" / f"brief-{number:03d}.pdf"
        write_scanned_pdf(path, content) if scanned else write_pdf(path, content)
    return corpus


# Runs that take a fraction of a second are repeated and the fastest kept: the machine is shared.
REPEATS = 3


def _timed(action, repeats: int = 1) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT / "ocr")
    args = parser.parse_args()
    total_pages = args.documents * args.pages
    print(f"load average at start: {load_average()}; workers: {default_workers()}")
    scans = _corpus(args.root, args.documents, args.pages, scanned=True)
    texts = _corpus(args.root, args.documents, args.pages, scanned=False)
    indexes = {corpus: args.root / f"index-{corpus.name}" for corpus in (scans, texts)}
    for index in indexes.values():
        shutil.rmtree(index, ignore_errors=True)

    files = sorted((scans / "documenten").iterdir())
    one_core = _timed(lambda: [extract(path) for path in files])
    first = {corpus: _timed(lambda corpus=corpus: run_index(corpus, indexes[corpus])) for corpus in indexes}
    cached_pages = sum(1 for _ in (indexes[scans] / OCR_CACHE_DIR).iterdir())
    unchanged = {corpus: _timed(lambda corpus=corpus: run_index(corpus, indexes[corpus])) for corpus in indexes}
    rebuild = {
        corpus: _timed(lambda corpus=corpus: run_index(corpus, indexes[corpus], rebuild=True)) for corpus in indexes
    }

    rows = [
        ("OCR in one process, pages/s", total_pages / one_core, None),
        ("first index, s", first[scans], first[texts]),
        ("first index, pages/s", total_pages / first[scans], total_pages / first[texts]),
        ("run with nothing changed, s", unchanged[scans], unchanged[texts]),
        ("rebuild (OCR from the cache), s", rebuild[scans], rebuild[texts]),
    ]
    print(f"\n### OCR: {args.documents} documents × {args.pages} pages ({cached_pages} files in the OCR cache)\n")
    print("| metric | scans | text-layer PDFs | scans/text |\n|---|---:|---:|---:|")
    for label, scan, text in rows:
        shown = f"{text:.2f}" if text is not None else "–"
        ratio = f"{scan / text:.2f}" if text else "–"
        print(f"| {label} | {scan:.2f} | {shown} | {ratio} |")
    print(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()
