"""One login attempt: throttled per client and per account, and written to the audit log when it fails.

Flask-Limiter was considered for the throttling and not used: its storage across gunicorn's worker
processes needs Redis or Memcached, which we do not run, and it counts requests in windows rather
than failures with growing delays. The staff database already is shared by the processes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from indexer.corpus import audit
from search_app.accounts import User, normal_name
from search_app.security import accounts
from search_app.state import kennisbank
from search_app.throttle import ADDRESS_CHARS, LoginThrottle

# Who a failed attempt is logged under when the name is no account: the typed name itself could
# be a password typed in the wrong field.
UNKNOWN_NAME = "(onbekende naam)"


@dataclass(frozen=True)
class Attempt:
    user: User | None
    wait_s: float = 0.0  # before the next attempt may be made
    refused: bool = False  # not even checked: the wait of an earlier failure had not passed

    @property
    def message(self) -> str:
        wait = _duration(self.wait_s)
        if self.refused:
            return f"Te veel mislukte pogingen. Wacht nog {wait} en probeer het dan opnieuw."
        if self.wait_s:
            return f"Gebruikersnaam of wachtwoord klopt niet. Wacht {wait} en probeer het dan opnieuw."
        return "Gebruikersnaam of wachtwoord klopt niet. Probeer het opnieuw."

    @property
    def retry_after(self) -> str:
        """The Retry-After header: whole seconds."""
        return str(math.ceil(self.wait_s))


def throttle() -> LoginThrottle:
    return kennisbank().throttle


def attempt_login(name: str, password: str, address: str) -> Attempt:
    name, address, now = normal_name(name), address[:ADDRESS_CHARS], time.time()
    wait_s = throttle().wait_s(name, address, now)
    if wait_s > 0:
        return Attempt(None, wait_s, refused=True)
    user = accounts().authenticate(name, password)
    if user is not None:
        throttle().succeeded(name)
        return Attempt(user)
    wait_s = throttle().failed(name, address, now)
    who = name if accounts().get(name) else UNKNOWN_NAME
    audit.record(accounts().path, who, "inloggen mislukt", "", f"vanaf {address}")
    if wait_s > 0:
        audit.record(accounts().path, who, "afgeremd", "", f"vanaf {address}; wachttijd {math.ceil(wait_s)} s")
    return Attempt(None, wait_s)


def _duration(seconds: float) -> str:
    if seconds <= 90:
        whole = math.ceil(seconds)
        return f"{whole} seconde" if whole == 1 else f"{whole} seconden"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minuten"
