"""Benchmark 7: CPU seconds to tag a 300-page report (target: at most 0.5 s).

The report is made of real text: the pages of the longest reports of the shared real corpus, in
order of length, until there are 300. Cold is the first `tag` in this process (the taxonomy
compiled, no word stemmed yet), as for the first large document an indexing worker meets; warm is
the median of the runs after it. CPU time (time.process_time), which other load does not inflate.

    python -m bench.tagging [--pages 300] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.measure import print_table
from indexer.corpus.layout import BUNDLED_CORPUS, REAL_CORPUS, THEMES_DIR, list_files
from indexer.indexing.workers import Limits, extract_all
from indexer.models import Page
from indexer.themes.tagging import tag
from indexer.themes.taxonomy import load_taxonomy

REPORTS = REAL_CORPUS / "rapporten"
REPORT_PAGES = 300
TARGET_CPU_SECONDS = 0.5  # issue 18: a 300-page report


def report_pages(pages: int) -> list[Page]:
    """`pages` pages of real report text, taken from the longest reports first."""
    files = sorted((path for _, path in list_files(REPORTS)), key=lambda path: -path.stat().st_size)
    texts: list[Page] = []
    for outcome in extract_all(files, Limits()):
        if outcome.extraction is not None:
            texts += [page for page in outcome.extraction.pages if page.text.strip()]
    if len(texts) < pages:
        raise SystemExit(f"Maar {len(texts)} pagina's tekst in {REPORTS}; minder pagina's opgeven met --pages.")
    return texts[:pages]


def measure(pages: int, runs: int) -> tuple[float, float, int]:
    """Cold and warm CPU seconds of one `tag`, and the words tagged."""
    taxonomy = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
    text = "\n\n".join(page.text for page in report_pages(pages))
    title, summary = "Rapport van 300 pagina's", text[:600]
    seconds = []
    for _ in range(runs + 1):
        started = time.process_time()
        tag(title, summary, text, taxonomy)
        seconds.append(time.process_time() - started)
    return seconds[0], statistics.median(seconds[1:]), len(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=REPORT_PAGES)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold, warm, words = measure(args.pages, args.runs)
    print_table(
        f"Tagging a {args.pages}-page report ({words:,} words of real report text)",
        [
            ("CPU s, cold (first document)", cold, TARGET_CPU_SECONDS),
            ("CPU s, warm (median)", warm, TARGET_CPU_SECONDS),
        ],
        note=f"Target: at most {TARGET_CPU_SECONDS} s CPU.",
        digits=3,
        columns=("ours", "target", "ours/target"),
    )


if __name__ == "__main__":
    main()
