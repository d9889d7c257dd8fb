"""Sessions, CSRF protection and role checks for the staff pages.

The session secret comes from configuration or is generated once and kept in the data folder
(readable only by its owner), never hard-coded. Every POST must carry the session's CSRF token.
"""

from __future__ import annotations

import functools
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from search_app.accounts import ADMIN, Accounts

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
CSRF_FIELD = "csrf_token"
SESSION_HOURS = 8


def load_secret_key(data_dir: Path) -> str:
    """The persisted secret, created with 0600 permissions on first use."""
    path = data_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def csrf_token() -> str:
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def accounts() -> Accounts:
    return current_app.extensions["kennisbank"]["accounts"]


def register(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def check_csrf() -> None:
        if request.method == "POST":
            sent = request.form.get(CSRF_FIELD, "") or request.headers.get("X-CSRF-Token", "")
            expected = session.get(CSRF_FIELD, "")
            if not expected or not hmac.compare_digest(sent, expected):
                abort(400, description="csrf")

    @app.before_request
    def load_user() -> None:
        name = session.get("user")
        g.user = accounts().get(name) if name else None


def login_required(role: str | None = None) -> Callable:
    """Views for logged-in staff; `role=ADMIN` for beheerders only."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user is None:
                return redirect(url_for("staff.login", volgende=request.path))
            if role == ADMIN and not g.user.is_admin:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def safe_next(target: str | None) -> str:
    """Only a path on this site after login: never an open redirect to somewhere else."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.overview")
