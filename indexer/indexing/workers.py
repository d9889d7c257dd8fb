"""Extraction in worker processes, with a time and memory limit per file.

A crafted or broken PDF can make pypdf loop for minutes or swallow gigabytes. Each worker is a
separate process; the pool kills a worker whose file runs over its time limit, reports that file,
and starts a fresh worker, so the batch goes on. The limit counts the worker's own CPU time, not the
clock: on a busy machine (a server indexing a staff upload while it serves searches) a long report
waits for a core without being cut off; a file that hangs without computing is stopped when its
wall time reaches `WALL_LIMIT_FACTOR` times the limit. A memory limit (RLIMIT_AS) per worker turns a
"PDF bomb" into a MemoryError in that worker instead of a machine that swaps.

A page read by OCR has its own limit, which the worker adds to its file's before the page starts
(`ExtraTime`): a long scan is not cut off by the limit meant for reading one file.

A caller may also give a `prepare` function that the worker applies to each extraction (the
indexer tags and analyses there), so that work runs on every core and under the same limits.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path

from indexer.errors import ExtractionError, Issue, KennisbankError, Problem
from indexer.extract import DEFAULT_OCR, OcrSettings, extract
from indexer.models import Extraction

DEFAULT_TIMEOUT_S = 60.0
# The least a file may be given: a worker counts the CPU of reading a file from its first byte, and
# below half a second ordinary files of the bundled corpus ran out (0.25 s: 5 of 65; 0.01 s: 35).
MIN_TIMEOUT_S = 1.0
# A file may take this many times its limit in wall time while it waits for a core.
WALL_LIMIT_FACTOR = 5.0
_CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
DEFAULT_MEMORY_LIMIT_BYTES = 2 * 1024**3
# Python start-up and our imports need this much headroom beyond what a file may use.
_MIN_MEMORY_LIMIT_BYTES = 256 * 1024**2
# Modules the fork server imports once, so that every worker forked from it starts warm: the
# extractors, and the indexer's `prepare` (tagging, analysis), whichever caller starts it first.
FORK_SERVER_PRELOAD = ["indexer.indexing.workers", "indexer.indexing.pipeline"]
# A worker says it is ready before the clock of its first file starts, so start-up never counts.
_READY = "ready"
WORKER_START_TIMEOUT_S = 60.0
# The cyclic garbage collector's thresholds in the indexing processes (Python's default: 700, 10, 10).
# Analysis allocates millions of short-lived containers and keeps large caches (compound splits, stems);
# by default the collector ran every 700 allocations and often walked all of them: a third of the
# analysis CPU at N = 2,000 (bench/RESULTS.md, issue 22). It still runs, less often: garbage in
# reference cycles lives a little longer, well within a worker's memory limit.
INDEXING_GC_THRESHOLDS = (50_000, 20, 20)


class WorkerStartError(KennisbankError):
    def __init__(self) -> None:
        super().__init__(
            "De leesprocessen voor het indexeren konden niet starten. Controleer of er genoeg geheugen vrij is "
            "en start het indexeren opnieuw."
        )


def tune_garbage_collector() -> None:
    """For a process that indexes: what it holds at its start (the fork server's preloaded modules) is
    never scanned again, and collections run less often (`INDEXING_GC_THRESHOLDS`)."""
    gc.freeze()
    gc.set_threshold(*INDEXING_GC_THRESHOLDS)


def fork_server_context() -> multiprocessing.context.ForkServerContext:
    """Where indexing processes come from: a fork server, because forking the caller itself is unsafe
    when it is the threaded web server (a staff upload indexes too).

    The server lives as long as this process, so a web server starts it once (its first upload preview).
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(FORK_SERVER_PRELOAD)
    return context


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_bytes: int | None = DEFAULT_MEMORY_LIMIT_BYTES
    ocr: OcrSettings = DEFAULT_OCR  # its own limit per page, and where its results are kept


@dataclass(frozen=True)
class Outcome:
    """The result for one file: an extraction (or what `prepare` made of it), or the issue it failed on."""

    path: Path
    extraction: Extraction | None = None
    issue: Issue | None = None
    prepared: object = None
    notices: tuple[Issue, ...] = ()  # the extraction's remarks for the report, also when `prepare` ran


@dataclass(frozen=True)
class ExtraTime:
    """Sent by a worker before a page is read by OCR: that page's own limit counts on top of the file's."""

    seconds: float


# A job for a worker: a path, or an object with a `path` (and whatever `prepare` needs).
Job = object
Prepare = Callable[[Job, Extraction], object]


def _path_of(job: Job) -> Path:
    return getattr(job, "path", job)


def _safely(path: Path, work: Callable[[], Outcome]) -> Outcome:
    """Run `work`, turning every failure into an issue for `path`."""
    try:
        return work()
    except ExtractionError as exc:
        return Outcome(path, issue=exc.issue)
    except MemoryError:
        return Outcome(path, issue=Issue(Problem.OUT_OF_MEMORY))
    except RecursionError:
        return Outcome(path, issue=Issue(Problem.CORRUPT, "te diep geneste structuur"))
    except Exception as exc:  # noqa: BLE001 - a parser bug on one hostile file must not stop the batch
        return Outcome(
            path, issue=Issue(Problem.CORRUPT, f"technische melding: {type(exc).__name__}: {str(exc)[:160]}")
        )


def extract_safely(path: Path, ocr: OcrSettings = DEFAULT_OCR) -> Outcome:
    """Extract one file and turn every failure into an issue; runs inside a worker."""

    def work() -> Outcome:
        extraction = extract(path, ocr=ocr)
        return Outcome(path, extraction=extraction, notices=extraction.notices)

    return _safely(path, work)


def process_job(job: Job, prepare: Prepare | None, ocr: OcrSettings = DEFAULT_OCR) -> Outcome:
    """Extract a job's file and, with `prepare`, return what it makes of the extraction instead."""
    path = _path_of(job)
    outcome = extract_safely(path, ocr)
    if prepare is None or outcome.extraction is None:
        return outcome
    extraction = outcome.extraction
    return _safely(path, lambda: Outcome(path, prepared=prepare(job, extraction), notices=extraction.notices))


def _worker_main(connection: Connection, limits: Limits, prepare: Prepare | None) -> None:
    tune_garbage_collector()
    if limits.memory_bytes:
        limit = max(limits.memory_bytes, _MIN_MEMORY_LIMIT_BYTES)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    ocr = replace(limits.ocr, on_page=lambda seconds: connection.send(ExtraTime(seconds)))
    connection.send(_READY)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        connection.send(process_job(job, prepare, ocr))


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, limits: Limits, prepare: Prepare | None) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, limits, prepare), daemon=True)
        self.process.start()
        child.close()
        try:
            ready = self.connection.poll(WORKER_START_TIMEOUT_S) and self.connection.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.process.kill()
            raise WorkerStartError()
        self.path: Path | None = None
        self.deadline = 0.0  # when to look at the CPU time the file has used
        self.wall_deadline = 0.0
        self.cpu_budget_s = 0.0
        self.cpu_at_start_s = 0.0

    def give(self, job: Job, timeout_s: float) -> None:
        now = time.monotonic()
        self.path, self.deadline = _path_of(job), now + timeout_s
        self.wall_deadline = now + timeout_s * WALL_LIMIT_FACTOR
        self.cpu_budget_s, self.cpu_at_start_s = timeout_s, self.cpu_seconds()
        self.connection.send(job)

    def allow(self, seconds: float) -> None:
        """More time for the current file (an OCR page's own limit)."""
        self.cpu_budget_s += seconds
        self.deadline += seconds
        self.wall_deadline += seconds * WALL_LIMIT_FACTOR

    def over_limit(self, now: float) -> bool:
        """Whether the current file has used its CPU time (or its wall time); if not, when to look again."""
        unused_s = self.cpu_budget_s - (self.cpu_seconds() - self.cpu_at_start_s)
        if unused_s <= 0 or now >= self.wall_deadline:
            return True
        self.deadline = min(now + unused_s, self.wall_deadline)
        return False

    def cpu_seconds(self) -> float:
        """The worker's CPU time so far (user and system), from /proc."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # it has just exited: its outcome or its crash is being read
            return self.cpu_at_start_s
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS_PER_S

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except (BrokenPipeError, OSError):
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def extract_all(
    jobs: Iterable[Job], limits: Limits = Limits(), workers: int | None = None, prepare: Prepare | None = None
) -> Iterator[Outcome]:
    """Yield an Outcome for every job (a path, or an object with a `path`), in completion order,
    using `workers` processes. `prepare` must be a module-level function (it is sent by name) of a
    module in FORK_SERVER_PRELOAD."""
    queue = list(jobs)
    queue.reverse()
    if not queue:
        return
    context = fork_server_context()

    def new_worker() -> _Worker:
        return _Worker(context, limits, prepare)

    pool = [new_worker() for _ in range(min(workers or default_workers(), len(queue)))]
    busy: dict[Connection, _Worker] = {}
    try:
        for worker in pool:
            if queue:
                worker.give(queue.pop(), limits.timeout_s)
                busy[worker.connection] = worker
        while busy:
            nearest = min(worker.deadline for worker in busy.values())
            ready = wait(list(busy), timeout=max(0.0, nearest - time.monotonic()))
            for connection in ready:
                worker = busy.pop(connection)
                try:
                    outcome = connection.recv()
                except (EOFError, OSError):
                    # The worker died: killed by the memory limit's fallout or a crash in C code.
                    # Its exit code comes a moment after its pipe closed (the fork server reaps it).
                    worker.process.join(timeout=5)
                    code = worker.process.exitcode
                    outcome = Outcome(
                        worker.path, issue=Issue(Problem.CRASHED, f"afsluitcode {code}" if code is not None else "")
                    )
                    worker.stop(kill=True)
                    pool.remove(worker)
                    worker = new_worker()
                    pool.append(worker)
                if isinstance(outcome, ExtraTime):
                    worker.allow(outcome.seconds)
                    busy[connection] = worker
                    continue
                if queue:  # before handing back the outcome: the worker goes on while we write
                    worker.give(queue.pop(), limits.timeout_s)
                    busy[worker.connection] = worker
                yield outcome
            now = time.monotonic()
            for connection, worker in list(busy.items()):
                # A worker whose result is waiting finished in time: the pipeline was busy committing
                # while we yielded, which must not count against the file.
                if (
                    worker.deadline <= now
                    and connection not in ready
                    and not connection.poll()
                    and worker.over_limit(now)
                ):
                    del busy[connection]
                    worker.stop(kill=True)
                    pool.remove(worker)
                    over = f"meer dan {limits.timeout_s:g} seconden rekentijd"
                    yield Outcome(worker.path, issue=Issue(Problem.TIMEOUT, over))
                    if queue:
                        replacement = new_worker()
                        pool.append(replacement)
                        replacement.give(queue.pop(), limits.timeout_s)
                        busy[replacement.connection] = replacement
    finally:
        for worker in pool:
            worker.stop(kill=worker.connection in busy)
