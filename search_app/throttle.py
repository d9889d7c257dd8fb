"""Throttling of failed logins, per client address and per account, with delays that grow.

There is no hard lock. After FREE_FAILURES failures within the window, each further attempt must
wait longer: FIRST_DELAY_S, doubling with every failure. An account's delay stops growing at a
minute, so someone who guesses at the administrator's name slows its owner down but cannot lock
them out; a client's delay grows to a quarter of an hour.

Failures live in the staff database, which every worker process shares. The attempted name is kept
only as a keyed hash (no long names to fill the disk, no mistyped passwords to read) and failures
older than the window are purged.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from pathlib import Path

from indexer.corpus.audit import open_database

FREE_FAILURES = 5
FIRST_DELAY_S = 10.0
ACCOUNT_MAX_DELAY_S = 60.0
CLIENT_MAX_DELAY_S = 15 * 60.0
WINDOW_S = 60 * 60.0  # failures older than an hour no longer count
ADDRESS_CHARS = 64  # callers cut addresses to this: an IPv6 address with a zone fits
IPV6_CLIENT_PREFIX = 64  # an IPv6 host commonly holds a whole /64: one client, however it rotates

SCHEMA = """
CREATE TABLE IF NOT EXISTS login_failures (
    name_hash TEXT NOT NULL,
    client TEXT NOT NULL,
    time REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_name ON login_failures (name_hash, time);
CREATE INDEX IF NOT EXISTS login_failures_client ON login_failures (client, time);
"""
# The table of earlier versions kept every attempted name in full and was never purged.
_OLD_TABLE = "failed_logins"


def delay_s(failures: int, cap_s: float) -> float:
    """How long to wait after the last of `failures` failures before the next attempt."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES), cap_s)


def client_of(address: str) -> str:
    """The client an address belongs to: the address itself (IPv4 also when written as IPv6), or
    its /64 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is None:
            return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
        ip = ip.ipv4_mapped
    return str(ip)


class LoginThrottle:
    def __init__(self, path: Path, key: bytes) -> None:
        self.path = Path(path)
        self.key = key
        self._drop_old_table()

    def _drop_old_table(self) -> None:
        connection = open_database(self.path, SCHEMA)
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (_OLD_TABLE,)).fetchone():
            connection.execute(f"DROP TABLE {_OLD_TABLE}")
            connection.execute("VACUUM")  # give the space back
        connection.close()

    def _name_hash(self, name: str) -> str:
        return hmac.new(self.key, name.encode(), hashlib.sha256).hexdigest()

    def wait_s(self, name: str, address: str, now: float) -> float:
        """Seconds before `name` may be tried again from `address`; 0 when it may be tried now."""
        connection = open_database(self.path, SCHEMA)
        waits = [0.0]
        for column, value, cap_s in (
            ("name_hash", self._name_hash(name), ACCOUNT_MAX_DELAY_S),
            ("client", client_of(address), CLIENT_MAX_DELAY_S),
        ):
            count, last = connection.execute(
                f"SELECT COUNT(*), MAX(time) FROM login_failures WHERE {column} = ? AND time > ?",  # noqa: S608 - column names are ours
                (value, now - WINDOW_S),
            ).fetchone()
            if count:
                waits.append(last + delay_s(count, cap_s) - now)
        connection.close()
        return max(waits)

    def failed(self, name: str, address: str, now: float) -> float:
        """Count a failure and purge the expired ones; returns the wait now in force."""
        connection = open_database(self.path, SCHEMA)
        with connection:
            connection.execute("DELETE FROM login_failures WHERE time <= ?", (now - WINDOW_S,))
            connection.execute(
                "INSERT INTO login_failures VALUES (?, ?, ?)", (self._name_hash(name), client_of(address), now)
            )
        connection.close()
        return self.wait_s(name, address, now)

    def succeeded(self, name: str) -> None:
        """The owner got in: earlier failures for the account no longer count."""
        connection = open_database(self.path, SCHEMA)
        with connection:
            connection.execute("DELETE FROM login_failures WHERE name_hash = ?", (self._name_hash(name),))
        connection.close()
