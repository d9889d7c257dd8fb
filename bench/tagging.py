"""Benchmark 7: CPU seconds to tag a 300-page report (target: at most 0.5 s), and real news posts.

The report is made of real text: the pages of the longest reports of the shared real corpus, in
order of length, until there are 300. Cold is the first `tag` in this process (the taxonomy
compiled, no word stemmed yet), as for the first large document an indexing worker meets; warm is
the median of the runs after it. CPU time (time.process_time), which other load does not inflate.

News posts are most of what a large index holds, and tagging is about a quarter of the indexing
workers' CPU there (RESULTS.md): the first `--posts` posts of the shared news archive, read as the
indexer reads them, tagged once to warm up and then `--runs` times; the median per 1,000 posts.

    python -m bench.tagging [--pages 300] [--posts 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from bench.measure import print_table
from indexer.corpus.layout import BUNDLED_CORPUS, NEWS_ARCHIVE, REAL_CORPUS, THEMES_DIR, list_files
from indexer.corpus.metadata import read_sidecar, resolve
from indexer.indexing.workers import Limits, extract_all
from indexer.models import Page
from indexer.themes.tagging import tag
from indexer.themes.taxonomy import load_taxonomy

REPORTS = REAL_CORPUS / "rapporten"
REPORT_PAGES = 300
NEWS_POSTS = 5000
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


def news_posts(count: int) -> list[tuple[str, str, str]]:
    """Title, summary and text of the archive's first `count` posts, extracted as the indexer does."""
    with tempfile.TemporaryDirectory() as unpacked, tarfile.open(NEWS_ARCHIVE) as archive:
        files = []
        for member in archive:
            if len(files) == count:
                break
            if member.isfile() and member.name.endswith(".md"):
                path = Path(unpacked) / f"{len(files):06d}-{PurePosixPath(member.name).name}"
                path.write_bytes(archive.extractfile(member).read())
                files.append(path)
        posts = []
        for outcome in extract_all(files, Limits()):
            if outcome.extraction is not None:
                metadata = resolve(outcome.path, outcome.extraction, read_sidecar(outcome.path))
                posts.append((metadata.title, metadata.summary, outcome.extraction.text))
    return posts


def measure_posts(count: int, runs: int) -> tuple[float, int]:
    """Median CPU seconds to tag 1,000 posts (after one warm-up pass over all), and the posts tagged."""
    taxonomy = load_taxonomy(BUNDLED_CORPUS / THEMES_DIR)
    posts = news_posts(count)
    seconds = []
    for _ in range(runs + 1):
        started = time.process_time()
        for title, summary, text in posts:
            tag(title, summary, text, taxonomy)
        seconds.append(time.process_time() - started)
    return statistics.median(seconds[1:]) * 1000 / len(posts), len(posts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=REPORT_PAGES)
    parser.add_argument("--posts", type=int, default=NEWS_POSTS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold, warm, words = measure(args.pages, args.runs)
    per_thousand, posts = measure_posts(args.posts, args.runs)
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
    print_table(
        f"Tagging {posts:,} real news posts",
        [("CPU s per 1,000 posts (median)", per_thousand, "–")],
        note="No target: the cost that indexing a large archive of short texts pays per post.",
        digits=3,
        columns=("ours", "target", "ours/target"),
    )


if __name__ == "__main__":
    main()
