"""Sessions, CSRF protection, form limits and role checks for the staff pages.

The session secret comes from configuration or is generated once and kept in the data folder
(readable only by its owner), never hard-coded. Every POST must carry a CSRF token (Flask-WTF's
CSRFProtect; a missing or wrong one is a 400). The session cookie holds only a session id that the
server can end (`sessions.py`).
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from search_app.accounts import ADMIN, Accounts, User
from search_app.sessions import StaffSessions
from search_app.state import kennisbank

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
SESSION_ID = "sessie"
# A URL-encoded form as a whole, and each text field of a multipart form (bytes); our largest
# form, the metadata of a document, stays far below it.
FORM_MAX_BYTES = 100 * 1024
# Control characters: a browser drops tabs and newlines from an address, and a newline in a
# header would split it. None of our own links holds one.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


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


def accounts() -> Accounts:
    return kennisbank().accounts


def staff_sessions() -> StaffSessions:
    return kennisbank().sessions


def register(app: Flask) -> None:
    @app.before_request
    def limit_forms() -> None:
        """Werkzeug limits the text fields of multipart forms (MAX_FORM_MEMORY_SIZE) but reads a
        URL-encoded body whole, up to the upload limit: give every other body the form limit."""
        if request.mimetype != "multipart/form-data":
            request.max_content_length = app.config["FORM_MAX_BYTES"]

    # After the form limit: the check reads the form. A token lives as long as a session can.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(app.config["STAFF_SESSION_LIFETIMES"].absolute.total_seconds()))
    CSRFProtect(app)  # the `csrf_token()` of the templates and the `csrf_token` field

    @app.before_request
    def load_user() -> None:
        token = session.get(SESSION_ID)
        name = staff_sessions().user_for(token, time.time()) if token else None
        if token and name is None:
            session.clear()  # ended: logged out, new password, account removed or expired
        g.user = accounts().get(name) if name else None


def start_session(user: User) -> None:
    """A fresh session (no fixation) that the server knows about."""
    session.clear()
    session[SESSION_ID] = staff_sessions().start(user.name, time.time())
    session.permanent = True


def end_session() -> None:
    token = session.get(SESSION_ID)
    if token:
        staff_sessions().end(token)
    session.clear()


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
    """Where to go after login: a page of this site, never somewhere else (no open redirect).

    The target is read as a browser would (surrounding spaces dropped, backslashes as slashes) and
    must then be a path with a single leading slash that names one of our pages. A control
    character is refused with a 400: none of our own links has one.
    """
    if not target:
        return url_for("staff.overview")
    if _CONTROL.search(target):
        abort(400, description="volgende")
    parts = urlsplit(target.strip(" ").replace("\\", "/"))
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return url_for("staff.overview")
    try:
        current_app.url_map.bind_to_environ(request.environ).match(unquote(parts.path), method="GET")
    except HTTPException:  # not one of our pages, or not one to show (NotFound, a redirect, a POST route)
        return url_for("staff.overview")
    return urlunsplit(("", "", parts.path, parts.query, ""))
