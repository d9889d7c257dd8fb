"""Benchmarks 1–3: full indexing, incremental re-indexing, and a new PDF until it is searchable.

Every job runs in a fresh process (`bench.index_job`) so that peak memory belongs to that job.
Ours is `indexer.indexing.pipeline.run_index` with its worker processes; the baseline is `bench.baseline`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.corpus_generator import DOCUMENTS, added_pdf, change_documents, set_modified
from bench.machine import load_average
from bench.measure import print_table

MIB = 1024 * 1024
CHANGED_SHARE = 0.01


@dataclass(frozen=True)
class Workspace:
    """Where one benchmark size keeps its corpus and indexes (outside the repository)."""

    root: Path
    n: int

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def ours_index(self) -> Path:
        return self.root / "index-ours"

    @property
    def baseline_index(self) -> Path:
        return self.root / "index-baseline"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def staging(self) -> Path:
        return self.root / "staging"

    def index(self, system: str) -> Path:
        return self.ours_index if system == "ours" else self.baseline_index


def run_job(system: str, action: str, space: Workspace, *extra: str) -> dict:
    """Run `bench.index_job` in a fresh interpreter and return its JSON result."""
    command = [sys.executable, "-m", "bench.index_job", "--system", system, "--action", action]
    command += ["--corpus", str(space.corpus), "--index", str(space.index(system)), *extra]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def full_indexing(space: Workspace) -> tuple[str, dict]:
    """Benchmark 1: a complete index from scratch, ours (with workers) and the baseline."""
    results, loads = {}, []
    for system in ("ours", "baseline"):
        shutil.rmtree(space.index(system), ignore_errors=True)
        loads.append(load_average())
        results[system] = run_job(system, "full", space)
    ours, base = results["ours"], results["baseline"]

    def per_second(result: dict, key: str) -> float:
        return result[key] / result["seconds"]

    def cores(result: dict) -> float:
        return (result["main_cpu_s"] + result["workers_cpu_s"]) / result["seconds"]

    def per_cpu_second(result: dict) -> float:
        return result["pages"] / (result["main_cpu_s"] + result["workers_cpu_s"])

    rows = [
        ("documents indexed", ours["documents"], base["documents"]),
        ("pages (PDF pages; text files: generated page count)", ours["pages"], base["pages"]),
        ("wall time (s)", ours["seconds"], base["seconds"]),
        ("documents/s", per_second(ours, "documents"), per_second(base, "documents")),
        ("pages/s", per_second(ours, "pages"), per_second(base, "pages")),
        ("CPU s, main process", ours["main_cpu_s"], base["main_cpu_s"]),
        ("CPU s, child processes (extraction; writers)", ours["workers_cpu_s"], base["workers_cpu_s"]),
        ("cores used (CPU s / wall s)", cores(ours), cores(base)),
        ("pages per CPU second", per_cpu_second(ours), per_cpu_second(base)),
        ("peak RSS main process (MiB)", ours["main_peak_mib"], base["main_peak_mib"]),
        ("peak RSS per worker process (MiB)", ours["worker_peak_mib"], base["worker_peak_mib"]),
        ("peak RSS fork server (MiB)", ours["fork_server_peak_mib"], base["fork_server_peak_mib"]),
        ("peak RSS whole process tree (MiB)", ours["tree_peak_mib"], base["tree_peak_mib"]),
        ("index size on disk (MiB)", ours["index_bytes"] / MIB, base["index_bytes"] / MIB),
    ]
    note = f"Load average (1/5/15 min) before ours: {loads[0]}; before baseline: {loads[1]}."
    if ours.get("failed"):
        note += f" Failed files (ours): {ours['failed']}"
    return print_table(f"1. Full indexing, N = {space.n:,}", rows, note), results


def incremental(space: Workspace) -> tuple[str, dict]:
    """Benchmark 2: re-index with nothing changed, then with 1% of the documents rewritten."""
    results: dict[str, dict] = {}
    for system in ("ours", "baseline"):
        results[f"{system}-noop"] = run_job(system, "update", space)
    set_modified(space.corpus, True)
    changed = change_documents(space.corpus, CHANGED_SHARE, variant=1)
    for system in ("ours", "baseline"):
        results[f"{system}-changed"] = run_job(system, "update", space)
    rows = [
        ("no change: wall time (s)", results["ours-noop"]["seconds"], results["baseline-noop"]["seconds"]),
        ("no change: documents re-indexed", results["ours-noop"]["documents"], results["baseline-noop"]["documents"]),
        ("no change: CPU s (main)", results["ours-noop"]["main_cpu_s"], results["baseline-noop"]["main_cpu_s"]),
        (f"{len(changed)} files changed (1%): wall time (s)", *_pair(results, "changed", "seconds")),
        ("1% changed: documents re-indexed", *_pair(results, "changed", "documents")),
        ("1% changed: pages re-indexed", *_pair(results, "changed", "pages")),
        ("1% changed: CPU s (main + workers)", *_cpu_pair(results, "changed")),
        ("1% changed: index size after (MiB)", *(v / MIB for v in _pair(results, "changed", "index_bytes"))),
    ]
    return print_table(f"2. Incremental re-index, N = {space.n:,}", rows, f"Load average: {load_average()}."), results


def _pair(results: dict, case: str, key: str) -> tuple[float, float]:
    return results[f"ours-{case}"][key], results[f"baseline-{case}"][key]


def _cpu_pair(results: dict, case: str) -> tuple[float, float]:
    ours, base = results[f"ours-{case}"], results[f"baseline-{case}"]
    return ours["main_cpu_s"] + ours["workers_cpu_s"], base["main_cpu_s"] + base["workers_cpu_s"]


def new_pdf(space: Workspace) -> tuple[str, dict]:
    """Benchmark 3: a new 10-page PDF, from copying it into the corpus until a search finds it."""
    marker = f"zoekproefwoord{space.n}"
    staged = added_pdf(space.staging, marker)
    target = space.corpus / DOCUMENTS / staged.name
    results = {}
    set_modified(space.corpus, True)
    for system in ("ours", "baseline"):
        for path in (target, target.with_name(target.name + ".meta.yaml")):
            path.unlink(missing_ok=True)
        results[system] = run_job(system, "add-pdf", space, "--pdf", str(staged), "--marker", marker)
    ours, base = results["ours"], results["baseline"]
    rows = [
        ("searchable after (s): copy + index + search", ours["seconds"], base["seconds"]),
        ("  copy into the corpus (s)", ours["copy_s"], base["copy_s"]),
        ("  index run (s): ours the uploaded file, baseline incremental", ours["index_s"], base["index_s"]),
        ("  search that finds it (s)", ours["search_s"], base["search_s"]),
        ("found by the search", str(ours["found"]), str(base["found"])),
    ]
    note = (
        "Ours indexes the one file as the staff upload does (`run_index(paths=[...])`) after the upload's preview "
        "step has read it (which starts the extraction fork server, as in the web server); the baseline runs "
        "Whoosh's incremental recipe. The search includes building the new generation's arrays. The baseline "
        f"indexes the same file second (it has its own index). Load average: {load_average()}."
    )
    return print_table(f"3. New 10-page PDF until searchable, N = {space.n:,}", rows, note, digits=3), results


def restore(space: Workspace) -> None:
    """Undo the benchmark's changes to the corpus, so the next run can reuse it."""
    change_documents(space.corpus, CHANGED_SHARE, variant=0)
    for path in (space.corpus / DOCUMENTS).glob("upload-*"):
        path.unlink()
    set_modified(space.corpus, False)
