"""Uploads before they are published: checked on their content, kept in a staging folder per upload.

Each upload gets a folder named by a random token, holding the file and `upload.json` (who staged
it, when, its original name and hash). A person's review queue is read from these folders, so it
lives on the server, not in the session cookie (which browsers drop beyond 4 KB, about 150 files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from indexer.corpus.files import write_atomically, write_bytes_atomically
from indexer.corpus.layout import slug_for
from indexer.errors import KennisbankError
from indexer.extract import HTML, detect, supported_kinds
from indexer.extract.office import OLE_MAGIC, ZIP_MAGIC
from indexer.extract.plaintext import decode_text

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Staged uploads nobody confirmed are cleaned up after this long.
STAGING_MAX_AGE = dt.timedelta(days=2)
# Files that are programs or archives whatever their name says. Word and OpenDocument files are ZIP
# or OLE2 files too: the format table recognises those first, so these lines only catch the rest.
_REFUSED_MAGIC = (
    (b"MZ", "een Windows-programma"),
    (b"\x7fELF", "een programma"),
    (ZIP_MAGIC, "een zip-archief (bijvoorbeeld Excel of PowerPoint)"),
    (b"\xca\xfe\xba\xbe", "een programma"),
    (b"\xcf\xfa\xed\xfe", "een programma"),
    (b"#!", "een script"),
    (b"\x1f\x8b", "een gecomprimeerd archief"),
    (b"Rar!", "een archief"),
    (b"7z\xbc\xaf", "een archief"),
    (OLE_MAGIC, "een ander Office-bestand (bijvoorbeeld Excel of PowerPoint), of een beveiligd Word-bestand"),
)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
# What a staging folder holds besides the upload itself.
UPLOAD_INFO = "upload.json"


class UploadRefused(KennisbankError):
    """An upload that is not accepted; the message says why and what to do."""


def readable_size(size: int) -> str:
    return f"{size // 2**20} MB" if size >= 2**20 else f"{max(1, size // 1024)} kB"


def check_upload(data: bytes, filename: str, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The suffix to keep the file under when its content is acceptable (that of its format, when its
    content says it is another than its name: a Word file named .pdf becomes .docx); raises UploadRefused
    otherwise. The upload accepts exactly what the indexer reads: the format table decides both."""
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    if not data:
        raise UploadRefused("Het bestand is leeg. Kies het juiste bestand en probeer het opnieuw.")
    if len(data) > max_bytes:
        raise UploadRefused(
            f"Het bestand is groter dan {readable_size(max_bytes)}. Verklein het (bijvoorbeeld door afbeeldingen te "
            "comprimeren) of splits het, en probeer het opnieuw."
        )
    format_ = detect(BytesIO(data), filename)
    if format_ is None:
        raise UploadRefused(
            f"Bestanden met de extensie ‘{suffix or 'geen'}’ worden niet ondersteund. Voeg een {supported_kinds()} toe."
        )
    recognised = format_.sniff is not None and format_.sniff(BytesIO(data))
    if not recognised:
        for magic, what in _REFUSED_MAGIC:
            if data.startswith(magic):
                raise UploadRefused(
                    f"Dit bestand heet ‘{Path(filename).name}’, maar is {what}, geen document. Het is niet opgeslagen."
                )
    if format_.sniff is not None and not recognised:
        raise UploadRefused(
            f"Dit bestand heet {suffix}, maar is geen {format_.label}. Sla het opnieuw op als {format_.label} en "
            "probeer het nog eens."
        )
    if format_.sniff is None and b"\x00" in data[:65536]:
        raise UploadRefused("Dit bestand is geen tekstbestand (het bevat binaire gegevens). Controleer het bestand.")
    if format_ is HTML and "<" not in decode_text(data[:65536]):
        raise UploadRefused("Dit bestand heet .html, maar bevat geen HTML. Controleer het bestand.")
    return suffix if suffix in format_.suffixes else format_.suffixes[0]


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


def stage(data: bytes, filename: str, staging_dir: Path, max_bytes: int = MAX_UPLOAD_BYTES, user: str = "") -> Staged:
    """Check an upload and keep it in the staging folder until `user` confirms it."""
    suffix = check_upload(data, filename, max_bytes)
    _clean_staging(staging_dir)
    token = secrets.token_hex(16)
    folder = staging_dir / token
    name = safe_name(filename, suffix, set())
    original = Path(filename.replace("\\", "/")).name
    sha256 = hashlib.sha256(data).hexdigest()
    write_bytes_atomically(folder / name, data)
    info = {"original_name": original, "name": name, "sha256": sha256, "user": user, "staged_ns": time.time_ns()}
    write_atomically(folder / UPLOAD_INFO, json.dumps(info, ensure_ascii=False))
    return Staged(token, folder / name, original, sha256)


def _info(staging_dir: Path, token: str) -> dict | None:
    """What `upload.json` says of a staged upload whose file is still there, or None."""
    if not _TOKEN.match(token):
        return None
    try:
        info = json.loads((staging_dir / token / UPLOAD_INFO).read_text(encoding="utf-8"))
        present = (staging_dir / token / info["name"]).is_file()
    except (OSError, ValueError, KeyError, TypeError):  # half written, or from an older version
        return None
    return info if present else None


def load_staged(staging_dir: Path, token: str) -> Staged | None:
    info = _info(staging_dir, token)
    if info is None:
        return None
    return Staged(token, staging_dir / token / info["name"], info["original_name"], info["sha256"])


def queue(staging_dir: Path, user: str) -> list[str]:
    """The tokens of `user`'s uploads that wait for review, oldest first."""
    waiting = []
    for folder in staging_dir.glob("*") if staging_dir.is_dir() else ():
        info = _info(staging_dir, folder.name)
        if info is not None and info.get("user") == user:
            waiting.append((info["staged_ns"], folder.name))
    return [token for _, token in sorted(waiting)]


def discard(staged: Staged) -> None:
    shutil.rmtree(staged.path.parent, ignore_errors=True)


def _clean_staging(staging_dir: Path) -> None:
    cutoff = dt.datetime.now().timestamp() - STAGING_MAX_AGE.total_seconds()
    for folder in staging_dir.glob("*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
