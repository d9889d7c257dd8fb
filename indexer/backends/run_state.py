"""The indexing run's own state on the indexing machine, whatever engine holds the index: one run
at a time (an flock) and small JSON files (file hashes, the last report, failures).

Engine-neutral, so the embedded store and the cluster backend share it instead of each keeping a copy.
"""

from __future__ import annotations

import fcntl
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.corpus.files import write_atomically
from indexer.errors import KennisbankError

RUN_LOCK_FILE = ".indexing.lock"
LOCK_POLL_S = 0.05


class IndexBusyError(KennisbankError):
    def __init__(self, root: Path) -> None:
        super().__init__(f"Er loopt al een indexering voor {root}. Wacht tot die klaar is en probeer het dan opnieuw.")


class RunState:
    """The folder `root` where an indexing run keeps its lock and state files."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def read_json(self, name: str) -> dict:
        try:
            return json.loads((self.root / name).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            # A missing or damaged cache only costs time: everything is recomputed.
            return {}

    def write_json(self, name: str, data: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomically(self.root / name, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))

    @contextmanager
    def run_lock(self, wait_s: float = 0.0) -> Iterator[None]:
        """One indexing run at a time, waiting up to `wait_s` for another to finish.

        The lock is an flock: the OS releases it when a killed run dies, so it is never stale.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait_s
        with open(self.root / RUN_LOCK_FILE, "w", encoding="utf-8") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError as exc:
                    if time.monotonic() >= deadline:
                        raise IndexBusyError(self.root) from exc
                    time.sleep(LOCK_POLL_S)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
