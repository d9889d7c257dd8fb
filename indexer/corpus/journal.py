"""Staff changes that a crash or a refusing index interrupted are finished or rolled back, never left half done.

Publishing takes four steps: write the sidecar, move the file into the corpus, index it, log it.
A record in the corpus's journal folder names the document before the first step and is removed
after the last. The other staff changes (edit, replace, remove, restore) record themselves once their
corpus change is made, so only indexing and logging are left. While a change runs its record is
locked (an flock, which the OS releases when the process dies). `recover` takes up every record
nobody holds: when the corpus change was made (the file reached the corpus), it is finished (indexed
and logged); when it was not, the sidecar written for it is removed and the upload stays in its
owner's review queue.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from indexer.corpus import audit
from indexer.corpus.curation import INDEX_WAIT_S, corpus_lock
from indexer.corpus.files import write_atomically
from indexer.corpus.layout import CorpusLayout
from indexer.corpus.metadata import sidecar_path
from indexer.engine.backend_choice import EngineConfig
from indexer.indexing.pipeline import Progress, run_index
from indexer.models import RunReport

# Hidden, beside the documents folder: the indexer never reads it.
JOURNAL_DIR = ".kennisbank-journaal"


@dataclass(frozen=True)
class Places:
    """Where a publication writes: the corpus, the index and the audit log."""

    corpus: Path
    index: Path
    audit_db: Path
    engine: EngineConfig | None = None  # where the index is kept (None: the embedded engine in `index`)


@dataclass(frozen=True)
class Entry:
    """One publication as the journal records it: enough to finish it and log it."""

    relative: str  # the document's path in the documents folder
    user: str
    action: str  # an audit action
    detail: str
    started: str
    also: tuple[str, ...] = ()  # other paths the change touched (a replaced file's old name)
    changed: bool = False  # the corpus change was complete when recorded: finish it, never roll it back


def _finish(places: Places, entry: Entry) -> RunReport:
    paths = [*entry.also, entry.relative]
    report = run_index(places.corpus, places.index, wait_s=INDEX_WAIT_S, paths=paths, engine=places.engine)
    audit.record(places.audit_db, entry.user, entry.action, entry.relative, entry.detail)
    return report


class Publication:
    """One journalled change: `begin` records it (for a new document, handed to `curation.publish`),
    `finish` indexes and logs it.

    Used as a context manager: leaving it releases the record's lock, so that a publication that
    failed half way is taken up by the next `recover`.
    """

    def __init__(self, places: Places, user: str, action: str, detail: str) -> None:
        self.places, self.user, self.action, self.detail = places, user, action, detail
        self._entry: Entry | None = None
        self._record: Path | None = None
        self._handle: IO[str] | None = None

    def __enter__(self) -> Publication:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._handle is not None:
            self._handle.close()  # releases the lock; a record left behind is recovered later

    def begin(self, relative: str, also: tuple[str, ...] = (), changed: bool = False) -> None:
        """Record the change of `relative` (called under the corpus lock) and hold it; `changed`: the
        corpus change is made already (see `Entry`)."""
        started = dt.datetime.now().isoformat()
        self._entry = Entry(relative, self.user, self.action, self.detail, started, also, changed)
        self._record = CorpusLayout(self.places.corpus).root / JOURNAL_DIR / f"{secrets.token_hex(8)}.json"
        write_atomically(self._record, json.dumps(asdict(self._entry), ensure_ascii=False))
        self._handle = open(self._record, encoding="utf-8")  # noqa: SIM115 - held until finished
        fcntl.flock(self._handle, fcntl.LOCK_EX)

    def finish(self) -> RunReport:
        if self._entry is None or self._record is None:
            raise RuntimeError("finish() without begin()")
        report = _finish(self.places, self._entry)
        self._record.unlink()
        return report


@contextmanager
def _unclaimed(folder: Path) -> Iterator[list[tuple[Path, Entry]]]:
    """The records whose publication nobody is running, locked for the caller meanwhile."""
    handles, claimed = [], []
    try:
        for record in sorted(folder.glob("*.json")):
            handle = open(record, encoding="utf-8")  # noqa: SIM115 - closed below
            handles.append(handle)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # running now, in this process or another
            fields = json.load(handle)
            claimed.append((record, Entry(**fields | {"also": tuple(fields.get("also", ()))})))
        yield claimed
    finally:
        for handle in handles:
            handle.close()


@dataclass(frozen=True)
class Recovered:
    """What `recover` did: the changes it finished (each with its indexing run's report: a file that
    could not be read is in its `failed`), and the publications it rolled back (their uploads wait in
    their owners' review queues again)."""

    finished: tuple[tuple[str, RunReport], ...] = ()
    rolled_back: tuple[str, ...] = ()


def recover(places: Places) -> Recovered:
    """Finish or roll back every interrupted publication."""
    layout = CorpusLayout(places.corpus)
    folder = layout.root / JOURNAL_DIR
    if not folder.is_dir():
        return Recovered()
    finished, rolled_back = [], []
    with corpus_lock(layout), _unclaimed(folder) as claimed:
        for record, entry in claimed:
            document = layout.documents_dir / entry.relative
            if entry.changed or document.is_file():
                finished.append((entry.relative, _finish(places, entry)))
            else:
                sidecar_path(document).unlink(missing_ok=True)
                rolled_back.append(entry.relative)
            record.unlink()
    return Recovered(tuple(finished), tuple(rolled_back))


def catch_up(places: Places, progress: Progress | None = None) -> tuple[Recovered, RunReport]:
    """On start: settle interrupted publications, then index what the corpus holds and the index lacks."""
    recovered = recover(places)
    return recovered, run_index(places.corpus, places.index, progress=progress, engine=places.engine)
