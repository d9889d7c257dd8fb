"""Who added, changed, replaced, removed or restored what, and when: an append-only SQLite log.

Both the staff pages and the command line write here, so every change to the corpus is traceable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# The staff database in the data folder: the audit log, and the accounts the web app keeps there.
STAFF_DB_FILE = "beheer.sqlite3"

ACTIONS = {
    "toegevoegd": "toegevoegd",
    "gewijzigd": "metadata gewijzigd",
    "vervangen": "bestand vervangen",
    "verwijderd": "naar de prullenbak",
    "teruggezet": "teruggezet uit de prullenbak",
    "inloggen mislukt": "mislukte inlogpoging",
    "afgeremd": "inloggen afgeremd",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    document TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
)
"""
# Wait this long for another writer of the log before giving up (SQLite busy timeout).
BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class AuditEntry:
    time: str
    user: str
    action: str
    document: str
    detail: str


def open_database(path: Path, schema: str) -> sqlite3.Connection:
    """The staff database with `schema` in place, readable by its owner only (0600; an older file
    is tightened): it holds password hashes. SQLite gives its journal files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.executescript(schema)
    return connection


def _connect(path: Path) -> sqlite3.Connection:
    return open_database(path, _SCHEMA)


def record(path: Path, user: str, action: str, document: str, detail: str = "") -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with _connect(path) as connection:
        connection.execute(
            "INSERT INTO audit (time, user, action, document, detail) VALUES (?, ?, ?, ?, ?)",
            (dt.datetime.now().isoformat(timespec="seconds"), user, action, document, detail),
        )
    connection.close()


def entries(path: Path, limit: int = 500) -> list[AuditEntry]:
    """The newest entries first."""
    connection = _connect(path)
    try:
        rows = connection.execute(
            "SELECT time, user, action, document, detail FROM audit ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
    finally:
        connection.close()
    return [AuditEntry(*row) for row in rows]
