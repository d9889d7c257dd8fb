"""The Kennisbank website: a Flask application factory over the indexer's search façade."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from indexer.config import default_corpus, default_index
from indexer.corpus import CorpusLayout
from indexer.query import QueryContext
from indexer.taxonomy import load_taxonomy
from search_app.index_access import SharedIndex

__all__ = ["create_app"]


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    """Defaults first, then overrides (tests, `kennisbank serve`): paths are `Path` objects."""
    app = Flask(__name__)
    app.config.from_mapping(CORPUS=default_corpus(), INDEX=default_index(), PAGE_SIZE=10)
    if test_config:
        app.config.update(test_config)
    layout = CorpusLayout(Path(app.config["CORPUS"]))
    taxonomy = load_taxonomy(layout.themes_dir)
    app.extensions["kennisbank"] = {
        "index": SharedIndex(Path(app.config["INDEX"])),
        "layout": layout,
        "taxonomy": taxonomy,
        "query_context": QueryContext.from_taxonomy(taxonomy),
    }

    from search_app import api, dossiers, errors, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(dossiers.bp)
    errors.register(app)
    return app
