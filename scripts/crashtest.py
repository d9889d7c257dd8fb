"""Kill `kennisbank index` at many random moments and check that the next run always converges.

    python scripts/crashtest.py CORPUS [--rondes 20] [--max-wacht 8]

The corpus is copied to a scratch folder first and never changed. Each round starts an indexing
run into a fresh index (a full build in even rounds; in odd rounds an incremental run after 1% of
the files got a new line), kills it with
SIGKILL after a random delay, checks that the index opens and answers, runs the indexer once more
and compares documents and page counts with a clean build. Prints one line per round.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from indexer.backends.whoosh.schema import DOC
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import CorpusLayout, list_files
from indexer.indexing.pipeline import run_index


def state(index_root: Path) -> tuple[list[tuple[str, str]], int]:
    """Documents (id, sha256) and the number of records: what a repaired index must share with a clean one."""
    with IndexStore(index_root).open().searcher() as searcher:
        documents = sorted((fields["id"], fields.get("sha256", "")) for fields in searcher.documents(doctype=DOC))
        return documents, searcher.doc_count()


def change_some(corpus: Path, share: float, rng: random.Random) -> None:
    """Append a line to some text documents (PDFs would break): real content changes."""
    texts = [path for _, path in list_files(CorpusLayout(corpus).documents_dir) if path.suffix in (".md", ".txt")]
    for path in rng.sample(texts, min(len(texts), max(1, int(len(texts) * share)))):
        path.write_text(
            path.read_text(encoding="utf-8") + f"\nGewijzigd in ronde {rng.random():.6f}.\n", encoding="utf-8"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rondes", type=int, default=20)
    parser.add_argument("--max-wacht", type=float, default=8.0, help="longest delay before the kill (s)")
    parser.add_argument("--zaad", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.zaad)
    with tempfile.TemporaryDirectory(prefix="kennisbank-crashtest-") as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(args.corpus, corpus)
        failures = 0
        for round_number in range(args.rondes):
            index = Path(scratch) / f"ronde-{round_number}"
            if round_number % 2:
                run_index(corpus, index)
                change_some(corpus, 0.01, rng)
            clean = Path(scratch) / f"schoon-{round_number}"
            run_index(corpus, clean)
            expected = state(clean)
            delay = rng.uniform(0, args.max_wacht)
            process = subprocess.Popen(
                [sys.executable, "-m", "search_app.main", "index", "--corpus", str(corpus), "--index", str(index)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            finished = process.poll() is not None
            if not finished:
                os.kill(process.pid, signal.SIGKILL)
            process.wait()
            opens = IndexStore(index).current_dir() is None or bool(state(index)[1] >= 0)
            run_index(corpus, index)
            converged = state(index) == expected
            failures += not (opens and converged)
            print(
                f"ronde {round_number:>3}: {'afgemaakt' if finished else f'gedood na {delay:.2f} s'}, "
                f"index opent: {'ja' if opens else 'NEE'}, gelijk aan schone bouw: {'ja' if converged else 'NEE'}"
            )
        print(f"{args.rondes - failures} van {args.rondes} rondes in orde.")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
