"""The Kennisbank website: a Flask application factory over the indexer's search façade."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from flask import Flask

from indexer.audit import STAFF_DB_FILE
from indexer.config import default_corpus, default_data_dir, default_index
from indexer.corpus import CorpusLayout
from indexer.curation import MAX_UPLOAD_BYTES
from indexer.query import QueryContext
from indexer.taxonomy import load_taxonomy
from search_app.accounts import Accounts
from search_app.index_access import SharedIndex
from search_app.security import SESSION_HOURS, load_secret_key

__all__ = ["create_app"]

SECRET_KEY_ENV = "KENNISBANK_SECRET_KEY"  # noqa: S105 - the name of a variable
# Uploads of several files at once stay under this (one file may be at most MAX_UPLOAD_BYTES).
MAX_REQUEST_BYTES = 120 * 1024 * 1024


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    """Defaults first, then overrides (tests, `kennisbank serve`): paths are `Path` objects."""
    app = Flask(__name__)
    app.config.from_mapping(
        CORPUS=default_corpus(),
        INDEX=default_index(),
        DATA_DIR=default_data_dir(),
        PAGE_SIZE=10,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        UPLOAD_MAX_BYTES=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get(SECRET_KEY_ENV) or load_secret_key(Path(app.config["DATA_DIR"]))
    layout = CorpusLayout(Path(app.config["CORPUS"]))
    taxonomy = load_taxonomy(layout.themes_dir)
    app.extensions["kennisbank"] = {
        "index": SharedIndex(Path(app.config["INDEX"])),
        "layout": layout,
        "taxonomy": taxonomy,
        "query_context": QueryContext.from_taxonomy(taxonomy),
        "accounts": Accounts(Path(app.config["DATA_DIR"]) / STAFF_DB_FILE),
    }

    from search_app import api, dossiers, errors, security, staff, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(dossiers.bp)
    app.register_blueprint(staff.bp)
    security.register(app)
    errors.register(app)
    return app
