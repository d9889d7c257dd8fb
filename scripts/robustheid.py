"""Run the indexer over any folder and show what became of every file, and how long reading it took.

    python scripts/robustheid.py MAP [--tijdslimiet SECONDEN] [--geheugen MIB] [--werkers N]

Two passes over the library, nothing of its own:
1. every supported file is read on its own by the indexer's worker machinery
   (`indexer.indexing.workers.extract_all`, one worker, the same time and memory limits): that gives the
   time per file, limits included;
2. `indexer.indexing.pipeline.run_index` indexes the whole folder into a temporary index (removed
   afterwards): that gives per file "geïndexeerd" or the Dutch reason, exactly as `kennisbank index`
   reports it (duplicates and unsupported files included).
The folder itself is only read. Exit code 0, also when files are refused: refusing is the point.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from indexer.corpus.layout import CorpusLayout, list_files
from indexer.errors import Problem, describe
from indexer.extract import is_supported
from indexer.indexing.pipeline import run_index
from indexer.indexing.workers import DEFAULT_MEMORY_LIMIT_BYTES, DEFAULT_TIMEOUT_S, Limits, default_workers, extract_all

INDEXED = "geïndexeerd"
# Short names of the reasons, for the summary line.
LABELS = {
    Problem.CORRUPT: "beschadigd",
    Problem.ENCRYPTED: "beveiligd",
    Problem.EMPTY: "leeg",
    Problem.NO_TEXT: "zonder tekstlaag",
    Problem.NO_TEXT_AFTER_OCR: "ook met OCR geen tekst",
    Problem.NO_CONTENT: "(bijna) zonder tekst",
    Problem.UNSUPPORTED: "niet ondersteund",
    Problem.TOO_LARGE: "te groot",
    Problem.TIMEOUT: "te traag",
    Problem.OUT_OF_MEMORY: "te veel geheugen",
    Problem.CRASHED: "leesproces gestopt",
    Problem.BAD_SIDECAR: "fout in metadata",
    Problem.UNREADABLE: "niet te openen",
    Problem.MISSING_TOOL: "hulpprogramma ontbreekt",
}


def reading_times(paths: list[Path], limits: Limits, scratch: Path) -> dict[Path, float]:
    """Seconds from handing each file to the one worker until its outcome came back."""
    warm_up = scratch / "opwarmen.txt"  # absorbs the start of the worker, which is not a file's time
    warm_up.write_text("Opwarmen van het leesproces.", encoding="utf-8")
    times: dict[Path, float] = {}
    last = time.monotonic()
    for outcome in extract_all([warm_up, *paths], limits, workers=1):
        now = time.monotonic()
        times[outcome.path] = now - last
        last = now
    times.pop(warm_up, None)
    return times


def seconds(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + " s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("map", type=Path, metavar="MAP", help="de map met bestanden (wordt alleen gelezen)")
    parser.add_argument("--tijdslimiet", type=float, default=DEFAULT_TIMEOUT_S, metavar="SECONDEN")
    parser.add_argument("--geheugen", type=int, default=DEFAULT_MEMORY_LIMIT_BYTES // 2**20, metavar="MIB")
    parser.add_argument("--werkers", type=int, default=default_workers(), metavar="N")
    args = parser.parse_args()
    if not args.map.is_dir():
        print(f"robustheid: {args.map} is geen map", file=sys.stderr)
        return 2
    limits = Limits(timeout_s=args.tijdslimiet, memory_bytes=args.geheugen * 2**20)
    files = list(list_files(CorpusLayout(args.map).documents_dir))
    print(f"Robuustheid van het indexeren: {len(files)} bestanden in {args.map}")
    print(f"(per bestand: tijdslimiet {args.tijdslimiet:g} s, geheugenlimiet {args.geheugen} MiB)\n")

    with tempfile.TemporaryDirectory(prefix="kennisbank-robuustheid-") as scratch:
        started = time.monotonic()
        times = reading_times([path for _, path in files if is_supported(path)], limits, Path(scratch))
        reading_s = time.monotonic() - started
        started = time.monotonic()
        report = run_index(args.map, Path(scratch) / "index", limits=limits, workers=args.werkers)
        indexing_s = time.monotonic() - started

    outcomes = {relative: INDEXED for relative in report.indexed}
    outcomes.update({problem.path: describe(problem.issue) for problem in report.failed})
    outcomes.update({duplicate.path: f"DUPLICAAT van {duplicate.original}" for duplicate in report.duplicates})
    for relative, path in files:
        took = seconds(times[path]) if path in times else "-"
        print(f"{took:>10}  {relative}: {outcomes.get(relative, 'niet verwerkt')}")

    kinds = Counter(LABELS.get(problem.issue.problem, "overig") for problem in report.failed)
    slowest = sorted(((took, path) for path, took in times.items()), reverse=True)[:3]
    print(
        f"\nSamenvatting: {len(files)} bestanden, {len(report.indexed)} geïndexeerd, "
        f"{len(report.failed)} niet geïndexeerd"
        + (f" ({', '.join(f'{count} {label}' for label, count in kinds.most_common())})" if kinds else "")
        + (f", {len(report.duplicates)} dubbel" if report.duplicates else "")
        + "."
    )
    print(f"Lezen per bestand samen {seconds(reading_s)}; de hele indexering {seconds(indexing_s)}.")
    if slowest:
        names = {path: relative for relative, path in files}
        print("Traagst: " + "; ".join(f"{names[path]} ({seconds(took)})" for took, path in slowest) + ".")
    for warning in report.warnings:
        print(f"Waarschuwing: {warning.path}: {describe(warning.issue)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
