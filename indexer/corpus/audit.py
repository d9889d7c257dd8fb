"""Who added, changed, replaced, removed or restored what, and when: an append-only SQLite log.

Both the staff pages and the command line write here, so every change to the corpus is traceable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Mapping
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
    "geleegd": "prullenbak geleegd",
    "wachtwoord gewijzigd": "eigen wachtwoord gewijzigd",
    "gebruiker verwijderd": "account verwijderd",
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
# A changed value longer than this is shortened in the log ("…").
CHANGE_VALUE_CHARS = 80
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


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show; an empty field filters nothing. Dates are whole days, both included."""

    user: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def sql(self) -> tuple[str, list[str]]:
        """A WHERE clause (or "") with its parameters."""
        conditions, parameters = [], []
        for column, value in (("user", self.user), ("action", self.action)):
            if value:
                conditions.append(f"{column} = ?")
                parameters.append(value)
        if self.since:
            conditions.append("time >= ?")
            parameters.append(self.since.isoformat())
        if self.until:
            conditions.append("time < ?")
            parameters.append((self.until + dt.timedelta(days=1)).isoformat())
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), parameters


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


def entries(path: Path, where: AuditFilter = AuditFilter(), limit: int = 500, offset: int = 0) -> list[AuditEntry]:
    """The newest entries first."""
    clause, parameters = where.sql()
    connection = _connect(path)
    try:
        # The clause holds only our own column names; every value is a parameter.
        query = f"SELECT time, user, action, document, detail FROM audit{clause} ORDER BY id DESC LIMIT ? OFFSET ?"  # noqa: S608
        rows = connection.execute(query, (*parameters, limit, offset)).fetchall()
    finally:
        connection.close()
    return [AuditEntry(*row) for row in rows]


def count(path: Path, where: AuditFilter = AuditFilter()) -> int:
    clause, parameters = where.sql()
    connection = _connect(path)
    try:
        return connection.execute(f"SELECT COUNT(*) FROM audit{clause}", parameters).fetchone()[0]  # noqa: S608
    finally:
        connection.close()


def users(path: Path) -> list[str]:
    """Everyone the log names, for the filter's choices."""
    connection = _connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT DISTINCT user FROM audit ORDER BY user")]
    finally:
        connection.close()


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    """What an edit changed, for the log's detail: a line `key: ‘old’ → ‘new’` per changed value."""
    parts = []
    for key, new in after.items():
        old_text, new_text = _shown(before.get(key, "")), _shown(new)
        if old_text != new_text:
            parts.append(f"{key}: ‘{old_text}’ → ‘{new_text}’")
    return "\n".join(parts)


def _shown(value: object) -> str:
    """A value as the log writes it: a list as its sorted items, a long text shortened."""
    if isinstance(value, list | tuple | set | frozenset):
        text = ", ".join(sorted(str(item) for item in value))
    else:
        text = "" if value is None else str(value).strip()
    return text if len(text) <= CHANGE_VALUE_CHARS else text[: CHANGE_VALUE_CHARS - 1] + "…"
