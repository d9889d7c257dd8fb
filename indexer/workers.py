"""Extraction in worker processes, with a time and memory limit per file.

A crafted or broken PDF can make pypdf loop for minutes or swallow gigabytes. Each worker is a
separate process; the pool kills a worker whose file runs over its time limit, reports that file,
and starts a fresh worker, so the batch goes on. A memory limit (RLIMIT_AS) per worker turns a
"PDF bomb" into a MemoryError in that worker instead of a machine that swaps.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from indexer.errors import ExtractionError, KennisbankError, Problem, describe
from indexer.extract import extract
from indexer.models import Extraction

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_LIMIT_BYTES = 2 * 1024**3
# Python start-up and our imports need this much headroom beyond what a file may use.
_MIN_MEMORY_LIMIT_BYTES = 256 * 1024**2
# A worker says it is ready before the clock of its first file starts, so start-up never counts.
_READY = "ready"
WORKER_START_TIMEOUT_S = 60.0


class WorkerStartError(KennisbankError):
    def __init__(self) -> None:
        super().__init__(
            "De leesprocessen voor het indexeren konden niet starten. Controleer of er genoeg geheugen vrij is "
            "en start het indexeren opnieuw."
        )


@dataclass(frozen=True)
class Limits:
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_bytes: int | None = DEFAULT_MEMORY_LIMIT_BYTES


@dataclass(frozen=True)
class Outcome:
    """The result for one file: an extraction, or the Dutch reason it failed."""

    path: Path
    extraction: Extraction | None = None
    reason: str = ""


def extract_safely(path: Path) -> Outcome:
    """Extract one file and turn every failure into a reason; runs inside a worker."""
    try:
        return Outcome(path, extraction=extract(path))
    except ExtractionError as exc:
        return Outcome(path, reason=str(exc))
    except MemoryError:
        return Outcome(path, reason=describe(Problem.OUT_OF_MEMORY))
    except RecursionError:
        return Outcome(path, reason=describe(Problem.CORRUPT, "te diep geneste structuur"))
    except Exception as exc:  # noqa: BLE001 - a parser bug on one hostile file must not stop the batch
        return Outcome(
            path, reason=describe(Problem.CORRUPT, f"technische melding: {type(exc).__name__}: {str(exc)[:160]}")
        )


def _worker_main(connection: Connection, memory_bytes: int | None) -> None:
    if memory_bytes:
        limit = max(memory_bytes, _MIN_MEMORY_LIMIT_BYTES)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    connection.send(_READY)
    while True:
        try:
            path = connection.recv()
        except EOFError:
            return
        if path is None:
            return
        connection.send(extract_safely(path))


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, limits: Limits) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, limits.memory_bytes), daemon=True)
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
        self.deadline = 0.0

    def give(self, path: Path, timeout_s: float) -> None:
        self.path, self.deadline = path, time.monotonic() + timeout_s
        self.connection.send(path)

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


def extract_all(paths: Iterable[Path], limits: Limits = Limits(), workers: int | None = None) -> Iterator[Outcome]:
    """Yield an Outcome for every path, in completion order, using `workers` processes."""
    queue = list(paths)
    queue.reverse()
    if not queue:
        return
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the extractors once; every worker forked from it starts warm.
    context.set_forkserver_preload(["indexer.workers"])
    pool = [_Worker(context, limits) for _ in range(min(workers or default_workers(), len(queue)))]
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
                        worker.path, reason=describe(Problem.CRASHED, f"afsluitcode {code}" if code is not None else "")
                    )
                    worker.stop(kill=True)
                    pool.remove(worker)
                    worker = _Worker(context, limits)
                    pool.append(worker)
                yield outcome
                if queue:
                    worker.give(queue.pop(), limits.timeout_s)
                    busy[worker.connection] = worker
            now = time.monotonic()
            for connection, worker in list(busy.items()):
                # A worker whose result is waiting finished in time: the pipeline was busy committing
                # while we yielded, which must not count against the file.
                if worker.deadline <= now and connection not in ready and not connection.poll():
                    del busy[connection]
                    worker.stop(kill=True)
                    pool.remove(worker)
                    yield Outcome(
                        worker.path, reason=describe(Problem.TIMEOUT, f"meer dan {limits.timeout_s:g} seconden")
                    )
                    if queue:
                        replacement = _Worker(context, limits)
                        pool.append(replacement)
                        replacement.give(queue.pop(), limits.timeout_s)
                        busy[replacement.connection] = replacement
    finally:
        for worker in pool:
            worker.stop(kill=worker.connection in busy)
