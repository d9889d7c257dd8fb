"""The corpus on disk: where documents, themes and dossiers are, which files count, their fingerprints.

The bundled corpus has `documenten/`, `themes/` and `dossiers/`. Any other folder can be indexed
too (`kennisbank index --corpus MAP`): then every file in it is a document, and the themes of the
bundled corpus are used.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.analysis.wordforms import fold
from indexer.corpus.metadata import is_sidecar, sidecar_path

BUNDLED_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# The shared data beside the checkout, which the evaluations, tests and benchmarks read (CI has it too):
# the real documents, and the archive of real news posts.
SHARED = BUNDLED_CORPUS.parent.parent / "shared"
REAL_CORPUS = SHARED / "real-corpus" / "docs"
NEWS_ARCHIVE = SHARED / "scale" / "nieuwsarchief-2012-2019.tar.gz"
DOCUMENTS_DIR = "documenten"
THEMES_DIR = "themes"
DOSSIERS_DIR = "dossiers"
_HASH_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CorpusLayout:
    root: Path

    @property
    def documents_dir(self) -> Path:
        candidate = self.root / DOCUMENTS_DIR
        return candidate if candidate.is_dir() else self.root

    @property
    def themes_dir(self) -> Path:
        candidate = self.root / THEMES_DIR
        return candidate if candidate.is_dir() else BUNDLED_CORPUS / THEMES_DIR

    @property
    def dossiers_dir(self) -> Path:
        candidate = self.root / DOSSIERS_DIR
        return candidate if candidate.is_dir() else BUNDLED_CORPUS / DOSSIERS_DIR


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts)


def list_files(documents_dir: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, absolute path) of every candidate document, sorted, sidecars left out.

    Hidden files and folders (starting with "." or "_") are skipped: editors and sync tools keep
    their own files there.
    """
    found = []
    for directory, subdirs, files in os.walk(documents_dir):
        subdirs[:] = [name for name in subdirs if not name.startswith((".", "_"))]
        for name in files:
            path = Path(directory) / name
            relative = path.relative_to(documents_dir)
            if _hidden(relative) or is_sidecar(path) or not path.is_file():
                continue
            found.append((relative.as_posix(), path))
    yield from sorted(found)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def stat_key(path: Path) -> str:
    """Size and modification time of a file and of its sidecar: changes whenever either is touched."""
    parts = []
    for candidate in (path, sidecar_path(path)):
        try:
            info = candidate.stat()
            parts.append(f"{info.st_size}:{info.st_mtime_ns}")
        except FileNotFoundError:
            parts.append("-")
    return "|".join(parts)


def content_hashes(path: Path) -> tuple[str, str]:
    """sha256 of the document and of its sidecar ("" without one): what decides re-extraction."""
    sidecar = sidecar_path(path)
    return sha256_of(path), sha256_of(sidecar) if sidecar.exists() else ""


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug_for(relative: str) -> str:
    """A readable, URL-safe id from a relative path: "Mensenhandel/Monitor 2024.pdf" -> "mensenhandel-monitor-2024"."""
    stem = relative.rsplit(".", 1)[0] if "." in relative.rsplit("/", 1)[-1] else relative
    return _NOT_SLUG.sub("-", fold(stem)).strip("-") or "document"
