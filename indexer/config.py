"""Default locations, overridable by environment variables (and by command-line options)."""

from __future__ import annotations

import os
from pathlib import Path

from indexer.corpus.layout import BUNDLED_CORPUS

CORPUS_ENV = "KENNISBANK_CORPUS"
INDEX_ENV = "KENNISBANK_INDEX"
DATA_ENV = "KENNISBANK_DATA"


def default_corpus() -> Path:
    return Path(os.environ.get(CORPUS_ENV) or BUNDLED_CORPUS)


def default_data_dir() -> Path:
    """A per-user data folder (index, staff accounts, audit log), never inside the repository."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "kennisbank"


def default_index() -> Path:
    return Path(os.environ.get(INDEX_ENV) or default_data_dir() / "index")
