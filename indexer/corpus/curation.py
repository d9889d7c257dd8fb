"""Staff changes to the corpus: add, edit, replace, remove (to a recycle folder) and restore.

Uploads wait in a staging folder (`indexer.corpus.staging`) until staff have reviewed how they were read
and tagged. Publishing writes the file and its sidecar atomically into the corpus, recorded in a
journal (`indexer.corpus.journal`) until it is indexed, and refuses a file whose exact copy is already
there. Nothing is deleted by a change: removed documents and replaced versions go to `_prullenbak`,
which only emptying it (`empty_trash`) clears for good.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from indexer.corpus.files import move_durably, write_atomically, write_bytes_atomically
from indexer.corpus.layout import CorpusLayout, list_files, sha256_of
from indexer.corpus.metadata import sidecar_path, sidecar_text, write_sidecar
from indexer.corpus.staging import Staged, discard, safe_name
from indexer.errors import KennisbankError

TRASH_DIR = "_prullenbak"
CORPUS_LOCK_FILE = ".kennisbank-wijzigingen.lock"
# Why a file is in the recycle folder: the document was removed, or a new file replaced it.
REMOVED = "verwijderd"
REPLACED = "vervangen"
# How long a publication waits for an indexing run of someone else.
INDEX_WAIT_S = 120.0


class CurationError(KennisbankError):
    """A staff action that cannot be done as asked; the message says why."""


class DuplicateUpload(CurationError):
    """The corpus already holds a file with exactly these bytes; publishing it again adds nothing."""

    def __init__(self, relative: str) -> None:
        super().__init__(
            f"Dit bestand staat al in de kennisbank als ‘{relative}’ en is daarom niet nog eens toegevoegd. "
            "Werk het bestaande document bij met deze gegevens, of voeg dit bestand niet toe."
        )


def _taken_names(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir()} if directory.exists() else set()


def find_copy(layout: CorpusLayout, staged: Staged) -> str | None:
    """The corpus path of a document with exactly the staged file's bytes (size compared first)."""
    size = staged.path.stat().st_size
    for relative, path in list_files(layout.documents_dir):
        if path.stat().st_size == size and sha256_of(path) == staged.sha256:
            return relative
    return None


def publish(
    staged: Staged, values: dict[str, object], layout: CorpusLayout, journal: Callable[[str], None] | None = None
) -> str:
    """Move a staged upload into the corpus with its metadata; returns its path in the corpus.

    `journal` records the chosen path before anything is written, so a crash half-way is finished
    or rolled back later. The sidecar is written first and the document renamed into place last:
    until that rename, the indexer sees nothing new. Raises DuplicateUpload, leaving nothing behind.
    """
    with corpus_lock(layout):  # two colleagues uploading "factsheet.pdf" at once get two files
        copy = find_copy(layout, staged)
        if copy is not None:
            raise DuplicateUpload(copy)
        documents_dir = layout.documents_dir
        name = safe_name(staged.original_name, staged.suffix, _taken_names(documents_dir))
        target = documents_dir / name
        if journal is not None:
            journal(name)
        write_sidecar(target, values)
        move_durably(staged.path, target)
    discard(staged)
    return name


def update_metadata(layout: CorpusLayout, relative: str, values: dict[str, object]) -> bool:
    """Write the document's sidecar; False when it held these values already (nothing changed)."""
    with corpus_lock(layout):
        document = _existing(layout, relative)
        text = sidecar_text(document, values)
        sidecar = sidecar_path(document)
        if sidecar.is_file() and sidecar.read_text(encoding="utf-8") == text:
            return False
        write_atomically(sidecar, text)
    return True


def replace_file(layout: CorpusLayout, relative: str, staged: Staged, actor: str) -> str:
    """Put a new file in the place of an old one, keeping its metadata and address (the document id
    follows the file name without its extension); the old file goes to the recycle folder."""
    with corpus_lock(layout):
        old = _existing(layout, relative)
        if sha256_of(old) == staged.sha256:  # sent again after a refusal: it is there already
            discard(staged)
            raise CurationError(f"‘{relative}’ is al dit bestand; er is niets vervangen.")
        new = old.with_suffix(staged.suffix)
        if new != old and new.exists():
            new = old.with_name(safe_name(old.name, staged.suffix, _taken_names(old.parent)))
        _to_trash(layout, relative, actor, REPLACED)
        if new != old and sidecar_path(old).exists():
            move_durably(sidecar_path(old), sidecar_path(new))
        move_durably(staged.path, new)
    discard(staged)
    return new.relative_to(layout.documents_dir).as_posix()


def remove(layout: CorpusLayout, relative: str, actor: str) -> str:
    """Move a document and its sidecar to the recycle folder; returns the name it has there."""
    with corpus_lock(layout):
        return _to_trash(layout, relative, actor, REMOVED)


@dataclass(frozen=True)
class TrashItem:
    """One file in the recycle folder, with what tells two versions of one document apart."""

    name: str
    original: str
    removed_at: str
    removed_by: str  # "" for files put there before who did it was recorded
    reason: str  # REMOVED or REPLACED
    size: int  # bytes


def trash(layout: CorpusLayout) -> list[TrashItem]:
    """Newest first."""
    items = []
    folder = layout.root / TRASH_DIR
    for record in sorted(folder.glob("*.json"), reverse=True):
        info = json.loads(record.read_text(encoding="utf-8"))
        stored = folder / record.stem
        items.append(
            TrashItem(
                record.stem,
                info["original"],
                info["removed_at"],
                info.get("removed_by", ""),
                info.get("reason", REMOVED),
                stored.stat().st_size if stored.is_file() else 0,
            )
        )
    return items


def empty_trash(layout: CorpusLayout) -> int:
    """Delete everything in the recycle folder for good; returns how many documents were in it."""
    folder = layout.root / TRASH_DIR
    with corpus_lock(layout):
        count = len(list(folder.glob("*.json")))
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.is_file():
                path.unlink()
    return count


def restore(layout: CorpusLayout, name: str) -> str:
    """Put a removed document back where it was (or beside it when that name is taken now)."""
    folder = layout.root / TRASH_DIR
    record = folder / f"{name}.json"
    with corpus_lock(layout):
        # Only a name the trash lists is accepted: any file name works, and no path leads elsewhere.
        if name not in {item.name for item in trash(layout)}:
            raise CurationError("Dit document staat niet (meer) in de prullenbak.")
        original = Path(json.loads(record.read_text(encoding="utf-8"))["original"])
        target_dir = layout.documents_dir / original.parent
        target = target_dir / original.name
        if target.exists() or sidecar_path(target).exists():
            target = target_dir / safe_name(original.name, original.suffix, _taken_names(target_dir))
        stored = folder / name
        if sidecar_path(stored).exists():
            move_durably(sidecar_path(stored), sidecar_path(target))
        move_durably(stored, target)
        record.unlink()
    return target.relative_to(layout.documents_dir).as_posix()


@contextmanager
def corpus_lock(layout: CorpusLayout) -> Iterator[None]:
    """Serialise staff changes to the corpus folder (an flock: released when a process dies)."""
    layout.root.mkdir(parents=True, exist_ok=True)
    with open(layout.root / CORPUS_LOCK_FILE, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _existing(layout: CorpusLayout, relative: str) -> Path:
    path = (layout.documents_dir / relative).resolve()
    if not path.is_relative_to(layout.documents_dir.resolve()) or not path.is_file():
        raise CurationError("Dit document bestaat niet (meer) in het corpus. Vernieuw de pagina.")
    return path


def _to_trash(layout: CorpusLayout, relative: str, actor: str, reason: str) -> str:
    """A replaced file leaves a copy of its sidecar behind: the new file keeps the metadata."""
    document = _existing(layout, relative)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    name = f"{stamp}--{relative.replace('/', '__')}"
    folder = layout.root / TRASH_DIR
    record = {
        "original": relative,
        "removed_at": dt.datetime.now().isoformat(timespec="seconds"),
        "removed_by": actor,
        "reason": reason,
    }
    write_atomically(folder / f"{name}.json", json.dumps(record, ensure_ascii=False))
    sidecar = sidecar_path(document)
    if sidecar.exists():
        if reason == REPLACED:
            write_bytes_atomically(sidecar_path(folder / name), sidecar.read_bytes())
        else:
            move_durably(sidecar, sidecar_path(folder / name))
    move_durably(document, folder / name)
    return name
