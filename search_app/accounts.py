"""Staff accounts: passwords hashed with scrypt, two roles, and throttling of failed logins.

Kept in a small SQLite database in the data folder, shared by the web server and the command line.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from indexer.errors import KennisbankError

EDITOR = "redacteur"
ADMIN = "beheerder"
ROLES = (EDITOR, ADMIN)
MIN_PASSWORD_CHARS = 12
# After this many failed logins for a name or from an address within the window, wait it out.
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
PASSWORD_METHOD = "scrypt"  # noqa: S105 - the name of the hash algorithm, not a password

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failed_logins (
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    time TEXT NOT NULL
);
"""


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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.executescript(_SCHEMA)
        return connection

    def add(self, name: str, password: str, role: str) -> User:
        name = name.strip().lower()
        if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
            raise AccountError("Kies een gebruikersnaam met alleen letters, cijfers, punten of streepjes.")
        if role not in ROLES:
            raise AccountError(f"Kies als rol {' of '.join(ROLES)}.")
        if len(password) < MIN_PASSWORD_CHARS:
            raise AccountError(f"Kies een wachtwoord van minstens {MIN_PASSWORD_CHARS} tekens.")
        connection = self._connect()
        try:
            with connection:
                connection.execute(
                    "INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?)",
                    (
                        name,
                        generate_password_hash(password, PASSWORD_METHOD),
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
        connection = self._connect()
        with connection:
            connection.execute("DELETE FROM users WHERE name = ?", (name,))
        connection.close()

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

    def is_throttled(self, name: str, address: str) -> bool:
        since = (dt.datetime.now() - FAILURE_WINDOW).isoformat(timespec="seconds")
        connection = self._connect()
        by_name, by_address = connection.execute(
            "SELECT SUM(name = ?), SUM(address = ?) FROM failed_logins WHERE time >= ?", (name, address, since)
        ).fetchone()
        connection.close()
        return max(by_name or 0, by_address or 0) >= MAX_FAILURES

    def authenticate(self, name: str, password: str, address: str) -> User | None:
        """The user when name and password match and no throttle applies; failures are counted."""
        name = name.strip().lower()
        if self.is_throttled(name, address):
            return None
        connection = self._connect()
        row = connection.execute("SELECT password_hash, role FROM users WHERE name = ?", (name,)).fetchone()
        # Check a hash even for unknown names, so timing does not reveal which names exist.
        valid = check_password_hash(row[0] if row else _DUMMY_HASH, password) and row is not None
        with connection:
            if valid:
                connection.execute("DELETE FROM failed_logins WHERE name = ?", (name,))
            else:
                connection.execute(
                    "INSERT INTO failed_logins (name, address, time) VALUES (?, ?, ?)",
                    (name, address, dt.datetime.now().isoformat(timespec="seconds")),
                )
        connection.close()
        return User(name, row[1]) if valid else None


_DUMMY_HASH = generate_password_hash("geen-echte-gebruiker", PASSWORD_METHOD)
