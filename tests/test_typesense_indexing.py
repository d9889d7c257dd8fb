"""Indexing into a real three-node Typesense cluster (the session's `typesense_cluster`): the same
documents as the embedded engine, incremental runs, rebuilds behind the aliases while searches go on,
and re-tagging from the stored records."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from indexer.backends.config import TypesenseEngine
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import aliases
from indexer.backends.typesense.collections import PAGES, create_build
from indexer.backends.typesense.errors import ClusterError
from indexer.backends.typesense.writable import TypesenseBuild
from indexer.engine.backend_choice import open_backend
from indexer.indexing.pipeline import run_index
from indexer.indexing.planning import MassRemovalError
from tests.builders import add_core_terms, read_by_an_older_version
from tests.conftest import TEST_LIMITS
from tests.test_typesense_records import DOCUMENT as RECORDS_DOCUMENT
from tests.typesense_support import (
    BUNDLED,
    NEIGHBOUR_NOTE,
    cluster_env,
    engine_setting,
    eventually,
    kennisbank,
    manifest,
    reindex,
)


def test_the_cluster_holds_what_the_embedded_engine_holds_and_follows_the_corpus(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = tmp_path / "state"
    indexed = kennisbank(
        "index", "--corpus", str(corpus), "--index", str(state), "--engine", engine_setting(cluster),
        env=cluster_env(cluster),
    )  # fmt: skip
    assert indexed.returncode == 0, indexed.stderr
    assert "5 geïndexeerd" in indexed.stdout
    run_index(corpus, tmp_path / "embedded", limits=TEST_LIMITS, workers=2)
    embedded = manifest(tmp_path / "embedded", None)
    assert manifest(state, cluster) == embedded and len(embedded) == len(BUNDLED)
    assert not list(state.glob("gen-*")), "the local folder holds only the run's state"

    again = reindex(corpus, state, cluster)
    assert (again.indexed, len(again.unchanged), again.rebuilt) == ((), len(BUNDLED), False)

    changed = bundled_docs / "beleidsstuk-communicatiejaarplan-kennisagenda-var-2026.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nEen nieuwe alinea over buurtbemiddeling.\n")
    report = reindex(corpus, state, cluster)
    assert report.indexed == (changed.name,) and len(report.unchanged) == len(BUNDLED) - 1
    assert manifest(state, cluster)[changed.name][1] != embedded[changed.name][1], "the new content's hash"

    gone = bundled_docs / BUNDLED[0]
    gone.unlink()
    report = reindex(corpus, state, cluster)
    assert report.removed == (gone.name,) and gone.name not in manifest(state, cluster)
    with open_backend(state, cluster).live().contents() as contents:
        assert not contents.has_document(embedded[gone.name][0])
        assert contents.with_content(embedded[BUNDLED[1]][1]).path == BUNDLED[1]

    for name in BUNDLED[1:4]:
        (bundled_docs / name).unlink()
    with pytest.raises(MassRemovalError):
        reindex(corpus, state, cluster)
    assert len(manifest(state, cluster)) == len(BUNDLED) - 1, "nothing was removed"


def _search_alias(client: TypesenseClient, alias: str) -> int:
    params = {"q": "*", "query_by": "path", "per_page": 1}
    return client.request("GET", f"/collections/{alias}/documents/search", params=params)["found"]


def test_a_rebuild_fills_new_builds_and_switches_the_aliases_while_searches_answer(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    client = TypesenseClient.from_config(cluster)
    alias = f"{cluster.prefix}-documents"
    for node in cluster.nodes:  # each follower knows the alias before the searches start
        eventually(lambda node=node: _search_alias(client.pinned(node), alias), lambda found: found == len(BUNDLED))
    first = aliases(client)
    answers: list[int] = []
    failures: list[ClusterError] = []
    stop = threading.Event()

    def search_throughout() -> None:
        while not stop.is_set():
            try:
                answers.append(_search_alias(client, alias))
            except ClusterError as exc:
                failures.append(exc)

    searcher = threading.Thread(target=search_throughout)
    searcher.start()
    try:
        report = reindex(corpus, state, cluster, rebuild=True)
    finally:
        stop.set()
        searcher.join()
    assert report.rebuilt and len(report.indexed) == len(BUNDLED)
    assert failures == [] and answers and set(answers) == {len(BUNDLED)}, "every search saw a whole index"
    second = eventually(lambda: aliases(client), lambda found: found[alias] != first[alias])
    assert second[alias] != first[alias] and len(manifest(state, cluster)) == len(BUNDLED)
    assert first[alias] in _names(client), "the replaced build stays one round for readers still on it"
    reindex(corpus, state, cluster, rebuild=True)
    names = eventually(lambda: _names(client), lambda names: first[alias] not in names)
    assert first[alias] not in names and second[alias] in names


def _names(client: TypesenseClient) -> set[str]:
    return {item["name"] for item in client.request("GET", "/collections")}


def _indexed_notes(docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine) -> Path:
    """The run state of `corpus`, with two notes added, indexed into the cluster."""
    state = tmp_path / "state"
    (docs / "notitie-burenruzies.md").write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    (docs / "notitie-wijk.md").write_text("# Wijkaanpak\n\nAfspraken over de buurtpreventie.\n", encoding="utf-8")
    reindex(corpus, state, cluster)
    return state


def test_a_taxonomy_change_retags_from_the_stored_records(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = _indexed_notes(docs, corpus, tmp_path, cluster)
    add_core_terms(corpus, "zorg-en-veiligheid", "burenruzie", "woonoverlast", "buurtbemiddeling")
    report = reindex(corpus, state, cluster)
    assert report.indexed == () and report.retagged == 2
    assert [change.path for change in report.theme_changes] == ["notitie-burenruzies.md"]
    with open_backend(state, cluster).live().contents() as contents:
        stored = {document.path: document for document, _added in contents.stored_documents()}
    note = stored["notitie-burenruzies.md"]
    assert note.metadata.themes == ("zorg-en-veiligheid",)
    assert "buurtbemiddeling" in note.text, "the text came back from the stored pages"
    assert {hit.term for hit in note.suggested_themes[0].hits} >= {"burenruzie", "woonoverlast"}
    again = reindex(corpus, state, cluster)
    assert (again.retagged, again.indexed) == (0, ())


def test_records_written_by_a_version_that_read_files_differently_are_read_again(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = _indexed_notes(docs, corpus, tmp_path, cluster)
    read_by_an_older_version(state, "notitie-wijk.md", title="notitie", themes=("mensenhandel",), engine=cluster)
    report = reindex(corpus, state, cluster)
    assert (report.reread, len(report.indexed), report.rebuilt) == (2, 2, False)
    assert [(change.before, change.after) for change in report.title_changes] == [("notitie", "Wijkaanpak")]
    assert [(change.before, change.after) for change in report.theme_changes] == [(("mensenhandel",), ())]
    assert manifest(state, cluster)["notitie-wijk.md"][3] == "Wijkaanpak", "the cluster holds the title read again"
    again = reindex(corpus, state, cluster)
    assert (again.reread, again.indexed) == (0, ())


def test_a_record_the_cluster_refuses_is_named_in_the_error(tmp_path: Path, cluster: TypesenseEngine) -> None:
    backend = open_backend(tmp_path / "state", cluster)
    client = TypesenseClient.from_config(cluster)
    wrong = create_build(client, PAGES, cluster.prefix)  # a pages collection where documents belong
    build = TypesenseBuild(
        backend.client, wrong, create_build(client, PAGES, cluster.prefix), fresh=True, prefix=cluster.prefix
    )
    with pytest.raises(ClusterError) as refused, build.writing() as writer:
        writer.add(RECORDS_DOCUMENT, dt.datetime(2026, 1, 1))
    assert "monitor-mensenhandel" in str(refused.value) and "geweigerd" in str(refused.value)


def test_the_builds_of_a_killed_rebuild_are_dropped_by_the_next_run(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    backend = open_backend(state, cluster)
    abandoned = backend.new_index()  # filled by nobody: its run was killed before it switched over
    served = {name for alias, name in aliases(backend.client).items() if alias.startswith(f"{cluster.prefix}-")}
    reindex(corpus, state, cluster)
    names = _names(backend.client)
    assert abandoned.documents not in names and abandoned.pages not in names
    assert served <= names, "the served builds stay"
