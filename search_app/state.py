"""What every request shares, made once by the application factory: a typed record, not a dict."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from indexer.corpus.curation_service import Curator
from indexer.corpus.layout import CorpusLayout
from indexer.engine.kennisbank import Kennisbank
from indexer.themes.taxonomy import Taxonomy
from search_app.accounts import Accounts
from search_app.sessions import StaffSessions
from search_app.throttle import LoginThrottle

# The key of the state in `app.extensions`.
EXTENSION = "kennisbank"


@dataclass(frozen=True)
class AppState:
    engine: Kennisbank  # search, documents, previews: the only way to the index
    layout: CorpusLayout
    taxonomy: Taxonomy
    accounts: Accounts
    sessions: StaffSessions
    throttle: LoginThrottle
    curator: Curator  # every change to the corpus goes through it, as on the command line


def kennisbank() -> AppState:
    """The current app's shared state."""
    return current_app.extensions[EXTENSION]
