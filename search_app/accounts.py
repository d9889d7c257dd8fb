"""Staff accounts: passwords hashed with scrypt, and two roles.

Kept in a small SQLite database in the data folder, shared by the web server and the command line.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from indexer.corpus.audit import open_database
from indexer.errors import KennisbankError
from search_app import sessions

EDITOR = "redacteur"
ADMIN = "beheerder"
ROLES = (EDITOR, ADMIN)
MIN_PASSWORD_CHARS = 12
PASSWORD_METHOD = "scrypt"  # noqa: S105 - the name of the hash algorithm, not a password

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created TEXT NOT NULL
);
"""
    + sessions.SCHEMA
)


class AccountError(KennisbankError):
    """An account action that cannot be done; the message says what to do instead."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


class Accounts:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        return open_database(self.path, _SCHEMA)

    def add(self, name: str, password: str, role: str) -> User:
        name = normal_name(name)
        if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
            raise AccountError("Kies een gebruikersnaam met alleen letters, cijfers, punten of streepjes.")
        if role not in ROLES:
            raise AccountError(f"Kies als rol {' of '.join(ROLES)}.")
        connection = self._connect()
        try:
            with connection:
                connection.execute(
                    "INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?)",
                    (
                        name,
                        _hash_password(password),
                        role,
                        dt.datetime.now().isoformat(timespec="seconds"),
                    ),
                )
        except sqlite3.IntegrityError as exc:
            raise AccountError(f"De gebruiker ‘{name}’ bestaat al. Kies een andere naam.") from exc
        finally:
            connection.close()
        return User(name, role)

    def remove(self, name: str) -> None:
        """The account and all its sessions."""
        connection = self._connect()
        with connection:
            connection.execute("DELETE FROM users WHERE name = ?", (name,))
            sessions.end_all(connection, name)
        connection.close()

    def set_password(self, name: str, password: str) -> None:
        """A new password ends every session of the account: whoever had the old one is out."""
        password_hash = _hash_password(password)
        connection = self._connect()
        try:
            with connection:
                changed = connection.execute("UPDATE users SET password_hash = ? WHERE name = ?", (password_hash, name))
                sessions.end_all(connection, name)
        finally:
            connection.close()
        if not changed.rowcount:
            raise AccountError(f"De gebruiker ‘{name}’ bestaat niet (meer). Vernieuw de pagina.")

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise AccountError(f"Kies als rol {' of '.join(ROLES)}.")
        connection = self._connect()
        with connection:
            connection.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))
        connection.close()

    def all(self) -> list[User]:
        connection = self._connect()
        rows = connection.execute("SELECT name, role FROM users ORDER BY name").fetchall()
        connection.close()
        return [User(*row) for row in rows]

    def get(self, name: str) -> User | None:
        connection = self._connect()
        row = connection.execute("SELECT name, role FROM users WHERE name = ?", (name,)).fetchone()
        connection.close()
        return User(*row) if row else None

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when name and password match."""
        connection = self._connect()
        row = connection.execute("SELECT password_hash, role FROM users WHERE name = ?", (name,)).fetchone()
        connection.close()
        # Check a hash even for unknown names, so timing does not reveal which names exist.
        valid = check_password_hash(row[0] if row else _DUMMY_HASH, password) and row is not None
        return User(name, row[1]) if valid else None


def normal_name(name: str) -> str:
    """Names are case-insensitive and ignore surrounding spaces."""
    return name.strip().lower()


def _hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Kies een wachtwoord van minstens {MIN_PASSWORD_CHARS} tekens.")
    return generate_password_hash(password, PASSWORD_METHOD)


_DUMMY_HASH = generate_password_hash("geen-echte-gebruiker", PASSWORD_METHOD)
