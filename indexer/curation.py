"""Staff changes to the corpus: add, edit, replace, remove (to a recycle folder) and restore.

Uploads are checked on their content, not their name, and land in a staging folder first, so staff
can review how a file was read and tagged before it is published. Publishing writes the file and
its sidecar atomically into the corpus and then runs the ordinary incremental indexer, which waits
for a colleague's run instead of failing. Nothing is deleted: removed documents go to `_prullenbak`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from indexer.corpus import CorpusLayout, slug_for
from indexer.errors import KennisbankError
from indexer.extract import EXTRACTORS
from indexer.extract.plaintext import decode_text
from indexer.files import move_durably, write_atomically, write_bytes_atomically
from indexer.metadata import sidecar_path, write_sidecar

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
TRASH_DIR = "_prullenbak"
CORPUS_LOCK_FILE = ".kennisbank-wijzigingen.lock"
# Staged uploads nobody confirmed are cleaned up after this long.
STAGING_MAX_AGE = dt.timedelta(days=2)
# How long a publication waits for an indexing run of someone else.
INDEX_WAIT_S = 120.0

# Files that are programs or archives whatever their name says.
_REFUSED_MAGIC = (
    (b"MZ", "een Windows-programma"),
    (b"\x7fELF", "een programma"),
    (b"PK\x03\x04", "een zip-archief (bijvoorbeeld Word of PowerPoint)"),
    (b"\xca\xfe\xba\xbe", "een programma"),
    (b"\xcf\xfa\xed\xfe", "een programma"),
    (b"#!", "een script"),
    (b"\x1f\x8b", "een gecomprimeerd archief"),
    (b"Rar!", "een archief"),
    (b"7z\xbc\xaf", "een archief"),
    (b"\xd0\xcf\x11\xe0", "een oud Office-bestand"),
)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class UploadRefused(KennisbankError):
    """An upload that is not accepted; the message says why and what to do."""


class CurationError(KennisbankError):
    """A staff action that cannot be done as asked; the message says why."""


def readable_size(size: int) -> str:
    return f"{size // 2**20} MB" if size >= 2**20 else f"{max(1, size // 1024)} kB"


def check_upload(data: bytes, filename: str, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The file's suffix when its content is acceptable; raises UploadRefused otherwise."""
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    if not data:
        raise UploadRefused("Het bestand is leeg. Kies het juiste bestand en probeer het opnieuw.")
    if len(data) > max_bytes:
        raise UploadRefused(
            f"Het bestand is groter dan {readable_size(max_bytes)}. Verklein het (bijvoorbeeld door afbeeldingen te "
            "comprimeren) of splits het, en probeer het opnieuw."
        )
    if suffix not in EXTRACTORS:
        raise UploadRefused(
            f"Bestanden met de extensie ‘{suffix or 'geen'}’ worden niet ondersteund. "
            "Voeg een PDF-, HTML-, Markdown- of tekstbestand toe."
        )
    for magic, what in _REFUSED_MAGIC:
        if data.startswith(magic):
            raise UploadRefused(
                f"Dit bestand heet ‘{Path(filename).name}’, maar is {what}, geen document. Het is niet opgeslagen."
            )
    if suffix == ".pdf":
        if b"%PDF-" not in data[:1024]:
            raise UploadRefused(
                "Dit bestand heet .pdf, maar is geen PDF. Sla het opnieuw op als PDF en probeer het nog eens."
            )
    elif b"\x00" in data[:65536]:
        raise UploadRefused("Dit bestand is geen tekstbestand (het bevat binaire gegevens). Controleer het bestand.")
    elif suffix in (".html", ".htm") and "<" not in decode_text(data[:65536]):
        raise UploadRefused("Dit bestand heet .html, maar bevat geen HTML. Controleer het bestand.")
    return suffix


def safe_name(filename: str, suffix: str, taken: set[str]) -> str:
    """A file name without any path, in lowercase ASCII, that does not overwrite another document."""
    stem = slug_for(Path(filename.replace("\\", "/")).name.rsplit(".", 1)[0]) or "document"
    stem = stem[:100]
    candidate, counter = f"{stem}{suffix}", 1
    while candidate in taken:
        counter += 1
        candidate = f"{stem}-{counter}{suffix}"
    return candidate


@dataclass(frozen=True)
class Staged:
    token: str
    path: Path
    original_name: str
    sha256: str

    @property
    def suffix(self) -> str:
        return self.path.suffix


def stage(data: bytes, filename: str, staging_dir: Path, max_bytes: int = MAX_UPLOAD_BYTES) -> Staged:
    """Check an upload and keep it in the staging folder until staff confirm it."""
    suffix = check_upload(data, filename, max_bytes)
    _clean_staging(staging_dir)
    token = secrets.token_hex(16)
    folder = staging_dir / token
    name = safe_name(filename, suffix, set())
    write_bytes_atomically(folder / name, data)
    write_atomically(folder / "upload.json", json.dumps({"original_name": Path(filename.replace("\\", "/")).name}))
    return Staged(token, folder / name, Path(filename.replace("\\", "/")).name, hashlib.sha256(data).hexdigest())


def load_staged(staging_dir: Path, token: str) -> Staged | None:
    if not _TOKEN.match(token):
        return None
    folder = staging_dir / token
    files = [path for path in folder.glob("*") if path.name != "upload.json" and not path.name.startswith(".")]
    if not files:
        return None
    info = json.loads((folder / "upload.json").read_text(encoding="utf-8"))
    return Staged(token, files[0], info["original_name"], hashlib.sha256(files[0].read_bytes()).hexdigest())


def discard(staged: Staged) -> None:
    shutil.rmtree(staged.path.parent, ignore_errors=True)


def _clean_staging(staging_dir: Path) -> None:
    cutoff = dt.datetime.now().timestamp() - STAGING_MAX_AGE.total_seconds()
    for folder in staging_dir.glob("*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _taken_names(directory: Path) -> set[str]:
    return {path.name for path in directory.iterdir()} if directory.exists() else set()


def publish(staged: Staged, values: dict[str, object], layout: CorpusLayout) -> str:
    """Move a staged upload into the corpus with its metadata; returns its path in the corpus.

    The sidecar is written first and the document renamed into place last: until that rename,
    the indexer sees nothing new; after it, document and metadata are complete.
    """
    with corpus_lock(layout):  # two colleagues uploading "factsheet.pdf" at once get two files
        documents_dir = layout.documents_dir
        name = safe_name(staged.original_name, staged.suffix, _taken_names(documents_dir))
        target = documents_dir / name
        write_sidecar(target, values)
        move_durably(staged.path, target)
    discard(staged)
    return name


def update_metadata(layout: CorpusLayout, relative: str, values: dict[str, object]) -> None:
    with corpus_lock(layout):
        write_sidecar(_existing(layout, relative), values)


def replace_file(layout: CorpusLayout, relative: str, staged: Staged) -> str:
    """Put a new file in the place of an old one, keeping its metadata and address (the document id
    follows the file name without its extension); the old file goes to the recycle folder."""
    with corpus_lock(layout):
        old = _existing(layout, relative)
        new = old.with_suffix(staged.suffix)
        if new != old and new.exists():
            new = old.with_name(safe_name(old.name, staged.suffix, _taken_names(old.parent)))
        _to_trash(layout, relative, keep_sidecar=True)
        if new != old and sidecar_path(old).exists():
            move_durably(sidecar_path(old), sidecar_path(new))
        move_durably(staged.path, new)
    discard(staged)
    return new.relative_to(layout.documents_dir).as_posix()


def remove(layout: CorpusLayout, relative: str) -> str:
    """Move a document and its sidecar to the recycle folder; returns the name it has there."""
    with corpus_lock(layout):
        return _to_trash(layout, relative, keep_sidecar=False)


@dataclass(frozen=True)
class TrashItem:
    name: str
    original: str
    removed_at: str


def trash(layout: CorpusLayout) -> list[TrashItem]:
    items = []
    for record in sorted((layout.root / TRASH_DIR).glob("*.json"), reverse=True):
        info = json.loads(record.read_text(encoding="utf-8"))
        items.append(TrashItem(record.stem, info["original"], info["removed_at"]))
    return items


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


def _to_trash(layout: CorpusLayout, relative: str, keep_sidecar: bool) -> str:
    document = _existing(layout, relative)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    name = f"{stamp}--{relative.replace('/', '__')}"
    folder = layout.root / TRASH_DIR
    record = {"original": relative, "removed_at": dt.datetime.now().isoformat(timespec="seconds")}
    write_atomically(folder / f"{name}.json", json.dumps(record, ensure_ascii=False))
    sidecar = sidecar_path(document)
    if sidecar.exists():
        if keep_sidecar:
            write_bytes_atomically(sidecar_path(folder / name), sidecar.read_bytes())
        else:
            move_durably(sidecar, sidecar_path(folder / name))
    move_durably(document, folder / name)
    return name
