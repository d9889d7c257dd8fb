"""Default locations, overridable by environment variables (and by command-line options)."""

from __future__ import annotations

import os
from pathlib import Path

from indexer.corpus import BUNDLED_CORPUS

CORPUS_ENV = "KENNISBANK_CORPUS"
INDEX_ENV = "KENNISBANK_INDEX"


def default_corpus() -> Path:
    return Path(os.environ.get(CORPUS_ENV) or BUNDLED_CORPUS)


def default_index() -> Path:
    """A per-user data folder, so the index never lands inside the repository."""
    if os.environ.get(INDEX_ENV):
        return Path(os.environ[INDEX_ENV])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "kennisbank" / "index"
