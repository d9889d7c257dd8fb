"""Where the index lives on disk, which version it is, and the one way to write to it.

Layout of an index folder:

    CURRENT            name of the active generation, replaced atomically
    gen-000002/        a complete Whoosh index plus its SCHEMA_VERSION file and the word table of its
                       latest commit, for suggestions and compound splits (`word_table`)
    filecache.json     size/mtime -> sha256 per file, so an unchanged corpus is not re-hashed
    last-run.json      what the last indexing run did

A rebuild writes a new generation beside the active one and switches CURRENT only after its commit,
so readers keep the old index until the new one is complete.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.context import ForkServerProcess
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.writing import IndexWriter, SegmentWriter

from indexer.analysis.lexicon import Spans
from indexer.backends.run_state import RunState
from indexer.backends.whoosh.codec import KennisbankCodec
from indexer.backends.whoosh.posting_pool import use_chunked_pool
from indexer.backends.whoosh.schema import build_schema, schema_version
from indexer.backends.whoosh.word_table import write_word_table
from indexer.corpus.files import write_atomically
from indexer.errors import KennisbankError
from indexer.indexing.workers import fork_server_context, tune_garbage_collector

CURRENT_FILE = "CURRENT"
VERSION_FILE = "SCHEMA_VERSION"
# How long a writer waits for another writer (an upload during an indexing run) before giving up.
WRITER_TIMEOUT_S = 120.0
WRITER_RETRY_DELAY_S = 0.05


class IndexMissingError(KennisbankError):
    def __init__(self, root: Path) -> None:
        super().__init__(f"Er is nog geen index in {root}. Maak die eerst met: kennisbank index")


class IndexStaleError(KennisbankError):
    def __init__(self, root: Path, found: str) -> None:
        super().__init__(
            f"De index in {root} is gemaakt met een oudere versie (schema {found}, nodig {schema_version()}). "
            "Bouw hem opnieuw op met: kennisbank index"
        )


class IndexStore(RunState):
    """The index folder: open the active generation, start a new one, switch between them (and the
    run's own lock and state files, `RunState`)."""

    def current_dir(self) -> Path | None:
        try:
            name = (self.root / CURRENT_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        directory = self.root / name
        return directory if name and directory.is_dir() else None

    def version(self) -> str | None:
        directory = self.current_dir()
        if directory is None:
            return None
        try:
            return (directory / VERSION_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return "onbekend"

    def is_current(self) -> bool:
        return self.version() == schema_version()

    def open(self) -> Index:
        """The active index; refuses a missing or stale one rather than serving wrong tokens."""
        directory = self.current_dir()
        if directory is None or not whoosh_index.exists_in(directory):
            raise IndexMissingError(self.root)
        found = self.version()
        if found != schema_version():
            raise IndexStaleError(self.root, found or "onbekend")
        return whoosh_index.open_dir(directory)

    def new_generation(self) -> tuple[Path, Index]:
        """An empty index in a fresh generation folder, not yet active."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [_generation_number(path) for path in self.root.glob("gen-*")]
        directory = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        directory.mkdir()
        (directory / VERSION_FILE).write_text(schema_version(), encoding="utf-8")
        return directory, whoosh_index.create_in(directory, build_schema())

    def switch_to(self, directory: Path) -> None:
        """Point CURRENT at `directory`, then remove generations older than the previous one.

        The previous generation is kept one round so that a reader that opened it just before the
        switch can finish its request.
        """
        previous = self.current_dir()
        write_atomically(self.root / CURRENT_FILE, directory.name)
        keep = {directory.name, previous.name if previous else ""}
        for old in self.root.glob("gen-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def discard_abandoned(self) -> None:
        """Remove the generations that killed rebuilds left behind: those newer than the active one.

        Call it holding `run_lock`: only a run holding it writes a new generation, so none of them is
        being written. Older generations are `switch_to`'s business (it keeps the previous one for
        readers that opened it just before a switch).
        """
        current = self.current_dir()
        active = _generation_number(current) if current else 0
        for directory in self.root.glob("gen-*"):
            if _generation_number(directory) > active:
                shutil.rmtree(directory, ignore_errors=True)


def _generation_number(directory: Path) -> int:
    """gen-000002 -> 2; 0 for a folder that only looks like a generation."""
    number = directory.name.removeprefix("gen-")
    return int(number) if number.isdigit() else 0


class IndexWriteError(KennisbankError):
    def __init__(self, expected: int, found: int) -> None:
        super().__init__(
            f"Het schrijven van de index is mislukt: {found} van de {expected} records zijn opgeslagen. "
            "De vorige index blijft in gebruik; start het indexeren opnieuw."
        )


class _ForkServerSubWriter(SubWriterTask):
    """Whoosh's sub-writer process, started by the fork server (see `workers.fork_server_context`)."""

    _start_method = "forkserver"
    _Popen = staticmethod(ForkServerProcess._Popen)

    def run(self) -> None:
        tune_garbage_collector()
        super().run()

    def _process_file(self, filename: str, doc_count: int) -> None:
        use_chunked_pool(self.writer)  # Whoosh creates the writer in `run`; this is its first use
        super()._process_file(filename, doc_count)


class ParallelWriter(MpWriter):
    """Whoosh's writer with one sub-writer process per core, each writing its own segment.

    Whoosh's single writer is the bottleneck of a full build (its posting writer is pure Python),
    so a rebuild spreads the records over processes. Three repairs to Whoosh's MpWriter: a group
    (a document and its pages) is sent to one sub-writer as a whole, as soon as the batch is full
    (MpWriter only sends outside groups, so everything went to one process); cancelling stops the
    sub-writers (MpWriter leaves them waiting for work, and the program never exits); and the
    commit checks that every record arrived (MpWriter drops a sub-writer's segment when it is
    slow to report). Its processes come from the fork server, like the extraction workers.
    """

    def __init__(self, index: Index, processes: int, **options: object) -> None:
        super().__init__(index, procs=processes, multisegment=True, **options)
        context = fork_server_context()
        self.jobqueue, self.resultqueue = context.Queue(self.procs * 4), context.Queue()
        self.index = index
        self.records_before = index.doc_count_all()
        self.records_added = 0

    def add_document(self, **fields: object) -> None:
        super().add_document(**fields)
        self.records_added += 1

    def _new_task(self) -> SubWriterTask:
        task = _ForkServerSubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task

    def end_group(self) -> None:
        super().end_group()
        if not self._grouping and len(self.docbuffer) >= self.batchsize:
            self._enqueue()

    def _enqueue(self) -> None:
        """MpWriter's, with pickle's newest protocol instead of 2 (whose bytes are slow to write and read)."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as handle:
            for item in self.docbuffer:
                pickle.dump(item, handle, pickle.HIGHEST_PROTOCOL)
        if len(self.tasks) < self.procs:
            self._new_task()
        self.jobqueue.put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def cancel(self) -> None:
        for task in self.tasks:
            task.terminate()
            task.join()
        SegmentWriter.cancel(self)

    def commit(self, **options: object) -> None:
        super().commit(**options)
        expected, found = self.records_before + self.records_added, self.index.doc_count_all()
        if found != expected:
            raise IndexWriteError(expected, found)


@contextmanager
def writing(index: Index, processes: int = 1, splits: Mapping[str, Spans] | None = None) -> Iterator[IndexWriter]:
    """The one writer context manager: commit on success, cancel and re-raise on any failure.

    `processes` > 1 writes through that many sub-writer processes (see `ParallelWriter`), one
    segment each; records added in a `writer.group()` stay together in one segment.

    Whoosh's own file lock is an flock, so a writer killed mid-run leaves no stale lock behind;
    a second writer (an upload) waits up to WRITER_TIMEOUT_S instead of failing at once.
    Segments are written as separate files, not one compound file: Whoosh reads a compound file's
    parts into memory in full for every searcher (300 MB at 10,000 documents, per thread).
    After the commit, the new generation's word table is stored beside it, with the compound
    `splits` of the added documents' words that the writer's user gathered by then (`word_table`).
    """
    options = {
        "timeout": WRITER_TIMEOUT_S,
        "delay": WRITER_RETRY_DELAY_S,
        "compound": False,
        "codec": KennisbankCodec(),
    }
    writer = ParallelWriter(index, processes, **options) if processes > 1 else index.writer(**options)
    use_chunked_pool(writer)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    write_word_table(index, splits or {})
