"""Staff sessions kept on the server, so that they can be ended.

The signed cookie carries only a random session id; the staff database says whether it still
counts. Logging out ends one session; a new password or a removed account ends all of a user's
sessions. A session also ends after an idle time without requests and, however often its cookie
is re-signed, after an absolute lifetime.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from indexer.corpus.audit import open_database

IDLE_LIFETIME = timedelta(hours=2)
ABSOLUTE_LIFETIME = timedelta(hours=12)  # a working day, whatever happens
# Record the time of use at most this often (seconds): a write per minute, not per request.
SEEN_RESOLUTION_S = 60.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    started REAL NOT NULL,
    seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
"""


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta = IDLE_LIFETIME
    absolute: timedelta = ABSOLUTE_LIFETIME

    def is_live(self, started: float, seen: float, now: float) -> bool:
        """Used within the idle time and younger than the absolute lifetime (times in seconds)."""
        return now < seen + self.idle.total_seconds() and now < started + self.absolute.total_seconds()


def _hash(token: str) -> str:
    """Only a hash is stored: a copy of the database does not hand out live sessions."""
    return hashlib.sha256(token.encode()).hexdigest()


def end_all(connection: sqlite3.Connection, user: str) -> None:
    """Every session of `user`; inside the caller's transaction (a password change, a removal)."""
    connection.execute("DELETE FROM sessions WHERE user = ?", (user,))


class StaffSessions:
    def __init__(self, path: Path, lifetimes: Lifetimes) -> None:
        self.path = Path(path)
        self.lifetimes = lifetimes

    def start(self, user: str, now: float) -> str:
        """A new session for `user`; returns the id for the cookie. Sessions that ended are purged."""
        token = secrets.token_urlsafe(32)
        connection = open_database(self.path, SCHEMA)
        with connection:
            connection.execute(
                "DELETE FROM sessions WHERE seen <= ? OR started <= ?",
                (now - self.lifetimes.idle.total_seconds(), now - self.lifetimes.absolute.total_seconds()),
            )
            connection.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (_hash(token), user, now, now))
        connection.close()
        return token

    def user_for(self, token: str, now: float) -> str | None:
        """The user of a live session, which is marked as used; None for an ended or unknown one."""
        connection = open_database(self.path, SCHEMA)
        with connection:
            row = connection.execute(
                "SELECT user, started, seen FROM sessions WHERE id_hash = ?", (_hash(token),)
            ).fetchone()
            if row and not self.lifetimes.is_live(row[1], row[2], now):
                connection.execute("DELETE FROM sessions WHERE id_hash = ?", (_hash(token),))
                row = None
            elif row and now - row[2] >= SEEN_RESOLUTION_S:
                connection.execute("UPDATE sessions SET seen = ? WHERE id_hash = ?", (now, _hash(token)))
        connection.close()
        return row[0] if row else None

    def end(self, token: str) -> None:
        connection = open_database(self.path, SCHEMA)
        with connection:
            connection.execute("DELETE FROM sessions WHERE id_hash = ?", (_hash(token),))
        connection.close()
