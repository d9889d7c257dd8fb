"""Shared fixtures: tiny real corpora in tmp_path and the bundled corpus indexed once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.corpus import BUNDLED_CORPUS, THEMES_DIR
from indexer.pipeline import run_index
from indexer.store import IndexStore
from indexer.workers import Limits

TEST_LIMITS = Limits(timeout_s=60.0)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty Kennisbank corpus with the bundled theme taxonomy."""
    root = tmp_path / "corpus"
    (root / "documenten").mkdir(parents=True)
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, root / THEMES_DIR)
    return root


@pytest.fixture
def docs(corpus: Path) -> Path:
    return corpus / "documenten"


@pytest.fixture
def index_root(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def reindex(corpus: Path, index_root: Path):
    """Run the real pipeline on the test corpus; returns its report."""

    def run(**options):
        options.setdefault("limits", TEST_LIMITS)
        options.setdefault("workers", 2)
        return run_index(corpus, index_root, **options)

    return run


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus, indexed once for the whole session."""
    root = tmp_path_factory.mktemp("bundled-index")
    report = run_index(BUNDLED_CORPUS, root, limits=TEST_LIMITS)
    assert not report.failed, report.failed
    assert IndexStore(root).is_current()
    return root
