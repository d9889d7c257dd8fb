"""The files of a word table (see `word_table`): numpy arrays beside the index, a
folder for the latest commit.

The indexer writes the table of each commit once, and every server process maps the files
read-only (`np.load(..., mmap_mode="r")`), so all processes share one copy through the page cache
instead of each building its own (108 MB and seconds per process at 50,000 documents). Layout, in
the Whoosh index folder (`gen-000002/`):

    wordtable-000005/       the table of Whoosh generation 5 (its `_MAIN_5.toc`): one .npy per array
    .wordtable-000005.tmp/  being written (renamed to the name above when complete), or removed
    .wordtable.lock         held while a table is written and older ones are removed

A folder only gets its final name once all its files are written and synced, and loses it before
its files are removed, so a reader never finds part of a table; a crash mid-write leaves a
temporary folder that no reader opens (and the next writer removes). Whoosh leaves these names
alone when it cleans its folder (`whoosh.index.clean_files`). A commit's writer builds its table
after Whoosh released the writing lock, so two writers may finish in either order: the lock and
the check for a newer table keep the newest table, whoever writes last.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from indexer.corpus.files import move_durably, sync_directory

_PREFIX = "wordtable-"
_LOCK_FILE = ".wordtable.lock"
_SUFFIX = ".npy"


def _name(generation: int) -> str:
    return f"{_PREFIX}{generation:06d}"


def stored_generations(folder: Path) -> list[int]:
    """The generations with a complete table in `folder`, oldest first."""
    names = (path.name.removeprefix(_PREFIX) for path in folder.glob(f"{_PREFIX}*"))
    return sorted(int(number) for number in names if number.isdigit())


def has_table(folder: Path, generation: int) -> bool:
    return (folder / _name(generation)).is_dir()


def load(folder: Path, generation: int) -> dict[str, np.ndarray] | None:
    """The arrays of `generation`'s table, memory-mapped; None when there is none (not written yet,
    or already replaced by a newer commit's table)."""
    directory = folder / _name(generation)
    try:
        return {path.stem: np.load(path, mmap_mode="r") for path in directory.glob(f"*{_SUFFIX}")} or None
    except FileNotFoundError:
        return None  # removed between the listing and the opening: a newer table exists


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """The table writers of one index folder, one at a time (an flock: released when a writer dies)."""
    with open(folder / _LOCK_FILE, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def save(folder: Path, generation: int, arrays: Mapping[str, np.ndarray]) -> None:
    """Write `generation`'s table and remove the older ones, unless a newer commit's writer was first.

    The previous table goes at once: a process still reading it keeps its mapping (a removed file
    stays readable while mapped), and one that looks for it finds the newer table instead."""
    with _locked(folder):
        if any(stored >= generation for stored in stored_generations(folder)):
            return
        for leftover in folder.glob(f".{_PREFIX}*.tmp"):
            shutil.rmtree(leftover, ignore_errors=True)  # left by a writer that crashed mid-write
        temporary = folder / f".{_name(generation)}.tmp"
        temporary.mkdir()
        for name, values in arrays.items():
            with open(temporary / f"{name}{_SUFFIX}", "wb") as handle:
                np.save(handle, values, allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
        sync_directory(temporary)
        move_durably(temporary, folder / _name(generation))
        for older in stored_generations(folder):
            if older != generation:  # renamed first: a reader never finds part of a table's files
                _remove(folder / _name(older), folder / f".{_name(older)}.tmp")


def _remove(directory: Path, temporary: Path) -> None:
    os.rename(directory, temporary)
    shutil.rmtree(temporary, ignore_errors=True)
