"""The Kennisbank website: a Flask application factory over the engine seam (`indexer.engine.kennisbank`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from indexer.config import default_corpus, default_data_dir, default_index
from indexer.corpus.curation_service import Curator
from indexer.corpus.layout import CorpusLayout
from indexer.corpus.staging import MAX_UPLOAD_BYTES
from indexer.engine.kennisbank import Kennisbank
from indexer.errors import KennisbankError
from indexer.themes.taxonomy import load_taxonomy
from search_app.accounts import Accounts
from search_app.security import FORM_MAX_BYTES, load_secret_key
from search_app.sessions import Lifetimes, StaffSessions
from search_app.state import EXTENSION, AppState
from search_app.throttle import LoginThrottle

__all__ = ["create_app"]

SECRET_KEY_ENV = "KENNISBANK_SECRET_KEY"  # noqa: S105 - the name of a variable
# The number of reverse proxies in front of the site whose X-Forwarded-For and -Proto are trusted.
PROXY_HOPS_ENV = "KENNISBANK_PROXY_HOPS"
# Uploads of several files at once stay under this (one file may be at most MAX_UPLOAD_BYTES).
MAX_REQUEST_BYTES = 120 * 1024 * 1024


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    """Defaults first, then overrides (tests, `kennisbank serve`): paths are `Path` objects."""
    app = Flask(__name__)
    app.config.from_mapping(
        CORPUS=default_corpus(),
        INDEX=default_index(),
        ENGINE=None,  # an `EngineConfig`; None: the embedded engine in INDEX
        DATA_DIR=default_data_dir(),
        PAGE_SIZE=10,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=FORM_MAX_BYTES,
        FORM_MAX_BYTES=FORM_MAX_BYTES,
        UPLOAD_MAX_BYTES=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=True,
        STAFF_SESSION_LIFETIMES=Lifetimes(),
        PROXY_HOPS=os.environ.get(PROXY_HOPS_ENV, "0"),
    )
    if test_config:
        app.config.update(test_config)
    lifetimes = app.config["STAFF_SESSION_LIFETIMES"]
    app.config["PERMANENT_SESSION_LIFETIME"] = lifetimes.idle  # the cookie; the server ends it too
    _trust_proxies(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get(SECRET_KEY_ENV) or load_secret_key(Path(app.config["DATA_DIR"]))
    layout = CorpusLayout(Path(app.config["CORPUS"]))
    taxonomy = load_taxonomy(layout.themes_dir)
    curator = Curator(layout, Path(app.config["INDEX"]), Path(app.config["DATA_DIR"]), app.config["ENGINE"])
    staff_db = curator.audit_db  # the accounts share the staff database with the audit log
    app.extensions[EXTENSION] = AppState(
        engine=Kennisbank(Path(app.config["INDEX"]), taxonomy, app.config["ENGINE"]),
        layout=layout,
        taxonomy=taxonomy,
        accounts=Accounts(staff_db),
        sessions=StaffSessions(staff_db, lifetimes),
        throttle=LoginThrottle(staff_db, app.config["SECRET_KEY"].encode()),
        curator=curator,
    )

    from search_app import api, dossier_pages, error_pages, feeds, info, security, staff, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(dossier_pages.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(info.bp)
    app.register_blueprint(feeds.bp)
    security.register(app)
    error_pages.register(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address and scheme from their
    X-Forwarded-For and -Proto headers; they serve HTTPS, so cookies are Secure. 0 (the default)
    trusts no such header, so no client can forge its address."""
    value = app.config["PROXY_HOPS"]
    try:
        hops = int(str(value))
    except ValueError:
        hops = -1
    if hops < 0:
        raise KennisbankError(
            f"{PROXY_HOPS_ENV} moet een geheel getal van 0 of meer zijn: het aantal reverse proxy’s vóór de "
            f"Kennisbank (meestal 1), of 0 zonder proxy. Nu staat er ‘{value}’."
        )
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
        app.config["SESSION_COOKIE_SECURE"] = True
