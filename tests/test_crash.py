"""Killed runs and concurrent readers: the index always opens, answers, and converges.

A run is killed with SIGKILL at points that are observed from outside, not timed: while the run
holds its lock and extracts, and right after its first batch was committed. A slow file at the
end of the corpus keeps the run busy long enough to be caught at each point.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer.backends.run_state import RUN_LOCK_FILE
from indexer.backends.whoosh.documents import get_document
from indexer.backends.whoosh.schema import DOC
from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.engine.query_context import QueryContext
from indexer.indexing.pipeline import BATCH_DOCUMENTS, run_index
from indexer.themes.taxonomy import load_taxonomy
from tests.builders import write_pdf, write_slow_pdf

CONTEXT = QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))
# Upper bound for waiting on an observable point; the tests never depend on how fast a run is.
OBSERVE_TIMEOUT_S = 120


def _make_corpus(root: Path, documents: int) -> Path:
    (root / "documenten").mkdir(parents=True)
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, root / THEMES_DIR)
    for number in range(documents):
        (root / "documenten" / f"notitie-{number:04d}.txt").write_text(
            f"Notitie {number} over de wijkaanpak\n\nAfspraken over buurtbemiddeling nummer {number} en de "
            f"signalen van ondermijning in wijk {number % 17}.",
            encoding="utf-8",
        )
    write_pdf(root / "documenten" / "rapport.pdf", [[f"Rapport over straattriage, deel {n}."] for n in range(3)])
    return root


def _start_run(corpus: Path, index: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "search_app.main", "index", "--corpus", str(corpus), "--index", str(index), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _lock_is_held(index: Path) -> bool:
    path = index / RUN_LOCK_FILE
    if not path.exists():
        return False
    with open(path, "a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _toc_files(index: Path) -> set[Path]:
    return set(index.glob("gen-*/_MAIN_*.toc"))


def _wait_for(condition, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + OBSERVE_TIMEOUT_S
    while not condition():
        assert process.poll() is None, f"the run ended before the kill point: {process.stderr.read()}"
        assert time.monotonic() < deadline, "kill point not reached"
        time.sleep(0.01)


def _kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()


def _state(index_root: Path) -> list[tuple]:
    """What a clean build and a repaired one must agree on: every document and its facts."""
    index = IndexStore(index_root).open()
    with index.searcher() as searcher:
        ids = sorted(fields["id"] for fields in searcher.documents(doctype=DOC))
        pages = searcher.doc_count() - len(ids)
    documents = [get_document(index, doc_id) for doc_id in ids]
    return [(d.id, d.path, d.themes, d.page_count, d.word_count) for d in documents] + [("pagina's", pages)]


@pytest.fixture
def slow_corpus(tmp_path: Path) -> Path:
    corpus = _make_corpus(tmp_path / "corpus", BATCH_DOCUMENTS + 40)
    write_slow_pdf(corpus / "documenten" / "zzz-traag.pdf", operators=100_000)
    return corpus


def _converges(corpus: Path, index: Path, tmp_path: Path) -> None:
    if IndexStore(index).current_dir() is not None:
        assert search(IndexStore(index).open(), "buurtbemiddeling", CONTEXT).total >= 0, "the index answers"
    run_index(corpus, index)
    clean = tmp_path / "schone-index"
    run_index(corpus, clean)
    assert _state(index) == _state(clean)


def test_killed_while_extracting_the_first_build(slow_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    process = _start_run(slow_corpus, index)
    _wait_for(lambda: _lock_is_held(index), process)
    _kill(process)
    assert not _lock_is_held(index), "a killed run leaves no lock that blocks the next"
    _converges(slow_corpus, index, tmp_path)


def test_killed_after_the_first_batch_was_committed(slow_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_index(slow_corpus, index)  # a first, complete build
    for path in sorted((slow_corpus / "documenten").glob("notitie-*.txt"))[: BATCH_DOCUMENTS + 20]:
        path.write_text(path.read_text(encoding="utf-8") + "\nAangevuld met een nieuwe alinea.", encoding="utf-8")
    (slow_corpus / "documenten" / "zzz-traag.pdf").write_bytes(  # the slow file changes too: the run lasts
        (slow_corpus / "documenten" / "zzz-traag.pdf").read_bytes() + b"\n"
    )
    before = _toc_files(index)
    process = _start_run(slow_corpus, index)
    _wait_for(lambda: _toc_files(index) - before, process)
    _kill(process)
    assert search(IndexStore(index).open(), "aangevuld", CONTEXT).total >= 1, "the first batch is in"
    _converges(slow_corpus, index, tmp_path)


def test_killed_during_a_rebuild_keeps_the_old_index_serving(slow_corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    run_index(slow_corpus, index)
    old_generation = IndexStore(index).current_dir()
    process = _start_run(slow_corpus, index, "--rebuild")
    _wait_for(lambda: len(list(index.glob("gen-*"))) > 1, process)
    _kill(process)
    assert IndexStore(index).current_dir() == old_generation
    assert search(IndexStore(index).open(), "buurtbemiddeling", CONTEXT).total == BATCH_DOCUMENTS + 40
    _converges(slow_corpus, index, tmp_path)


def test_searches_keep_answering_while_a_run_commits(tmp_path: Path) -> None:
    corpus = _make_corpus(tmp_path / "corpus", 60)
    index_root = tmp_path / "index"
    run_index(corpus, index_root)
    index = IndexStore(index_root).open()
    seen: set[int] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                seen.add(search(index, "buurtbemiddeling", CONTEXT).total)
            except BaseException as exc:  # noqa: BLE001 - any failure of a reader is what this test looks for
                errors.append(exc)
                return

    readers = [threading.Thread(target=keep_searching) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for number in range(60, 90):
            (corpus / "documenten" / f"extra-{number}.txt").write_text(
                f"Extra notitie over buurtbemiddeling {number}.", encoding="utf-8"
            )
            run_index(corpus, index_root)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert errors == []
    assert seen and seen <= set(range(60, 91)), "readers see an old or a new version, nothing else"
