"""Shared fixtures: tiny real corpora in tmp_path, the bundled corpus indexed once per session and the
website over it, served by the production server on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from indexer.config import DATA_ENV
from indexer.corpus import BUNDLED_CORPUS, THEMES_DIR
from indexer.pipeline import run_index
from indexer.store import IndexStore
from indexer.workers import Limits

TEST_LIMITS = Limits(timeout_s=60.0)
STARTUP_TIMEOUT_S = 60


@pytest.fixture(scope="session", autouse=True)
def private_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep secrets, accounts and staged uploads of the tests out of the user's own data folder;
    servers started as subprocesses inherit the setting."""
    folder = tmp_path_factory.mktemp("data")
    previous = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(folder)
    yield folder
    if previous is None:
        del os.environ[DATA_ENV]
    else:
        os.environ[DATA_ENV] = previous


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(corpus: Path, index: Path, log_path: Path, *options: str) -> Iterator[str]:
    """`kennisbank serve` (gunicorn) as a subprocess on a free loopback port; yields its base URL."""
    port = _free_port()
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "search_app.cli",
                "serve",
                "--corpus",
                str(corpus),
                "--index",
                str(index),
                "--port",
                str(port),
                *options,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    server.kill()
                    server.wait()
                    pytest.fail(f"server did not start: {log_path.read_text(encoding='utf-8')}")
                time.sleep(0.2)
        try:
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def site(bundled_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app on the bundled index, served over HTTP."""
    with serving(BUNDLED_CORPUS, bundled_index, tmp_path_factory.mktemp("server") / "server.log") as base:
        yield base
