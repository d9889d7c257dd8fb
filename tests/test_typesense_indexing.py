"""Indexing into a real three-node Typesense cluster (the session's `typesense_cluster`): the same
documents as the embedded engine, incremental runs, rebuilds behind the aliases while searches go on,
re-tagging from the stored records, refusals in Dutch, and `kennisbank status` on both engines."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.backends.config import API_KEY_ENV, ENGINE_ENV, PREFIX_ENV, TypesenseEngine
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import aliases
from indexer.backends.typesense.collections import PAGES, create_build
from indexer.backends.typesense.errors import ClusterError
from indexer.backends.typesense.writable import TypesenseBuild
from indexer.corpus.layout import BUNDLED_CORPUS
from indexer.engine.backend_choice import open_backend
from indexer.indexing.pipeline import run_index
from indexer.indexing.planning import MassRemovalError
from tests.builders import add_core_terms
from tests.conftest import TEST_LIMITS
from tests.test_typesense_records import DOCUMENT as RECORDS_DOCUMENT
from tests.typesense_cluster import LocalCluster, free_ports
from tests.typesense_support import eventually

# A handful of the bundled documents, with their sidecars: PDFs and a Markdown text.
BUNDLED = (
    "factsheet-geldezels-online-fraude-jongeren.pdf",
    "factsheet-phishing-whatsapp-fraude-ouderen.pdf",
    "factsheet-gijzelsoftware-ransomware-gemeenten.pdf",
    "factsheet-online-radicalisering-minderjarigen.pdf",
    "beleidsstuk-communicatiejaarplan-kennisagenda-var-2026.md",
)
NEIGHBOUR_NOTE = (
    "# Notitie burenruzies\n\nBurenruzies lopen in de wijk soms hoog op. Bij woonoverlast en burenruzies "
    "zoekt de gemeente eerst buurtbemiddeling. Een burenruzie die escaleert, komt bij het wijkteam.\n"
)


@pytest.fixture
def bundled_docs(docs: Path) -> Path:
    for name in BUNDLED:
        for source in (BUNDLED_CORPUS / "documenten").glob(f"{name}*"):
            shutil.copy(source, docs / source.name)
    return docs


@pytest.fixture
def cluster(typesense_cluster: LocalCluster, collection_prefix: str) -> TypesenseEngine:
    """The session's cluster with this test's own collection names (removed afterwards)."""
    return replace(typesense_cluster.config, prefix=collection_prefix)


def cluster_env(engine: TypesenseEngine, key: str | None = None) -> dict[str, str]:
    return {API_KEY_ENV: key or engine.api_key, PREFIX_ENV: engine.prefix}


def engine_setting(engine: TypesenseEngine) -> str:
    return "typesense://" + ",".join(str(node) for node in engine.nodes)


def kennisbank(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {name: value for name, value in os.environ.items() if not name.startswith("KENNISBANK_TYPESENSE")}
    environ.pop(ENGINE_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "search_app.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**environ, **(env or {})},
    )


def manifest(state: Path, engine: TypesenseEngine | None) -> dict[str, tuple[str, str, str, str]]:
    with open_backend(state, engine).live().contents() as contents:
        return {
            path: (entry.doc_id, entry.sha256, entry.sidecar_sha256, entry.title)
            for path, entry in contents.manifest().items()
        }


def reindex(corpus: Path, state: Path, engine: TypesenseEngine, **options: object):
    return run_index(corpus, state, limits=TEST_LIMITS, workers=2, engine=engine, **options)


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


def test_a_taxonomy_change_retags_from_the_stored_records(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = tmp_path / "state"
    (docs / "notitie-burenruzies.md").write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    (docs / "notitie-wijk.md").write_text("# Wijkaanpak\n\nAfspraken over de buurtpreventie.\n", encoding="utf-8")
    reindex(corpus, state, cluster)
    add_core_terms(corpus, "zorg-en-veiligheid", "burenruzie", "woonoverlast", "buurtbemiddeling")
    report = reindex(corpus, state, cluster)
    assert report.indexed == () and report.retagged == 2
    assert report.theme_changes == ("notitie-burenruzies.md",)
    with open_backend(state, cluster).live().contents() as contents:
        stored = {document.path: document for document, _added in contents.stored_documents()}
    note = stored["notitie-burenruzies.md"]
    assert note.metadata.themes == ("zorg-en-veiligheid",)
    assert "buurtbemiddeling" in note.text, "the text came back from the stored pages"
    assert {hit.term for hit in note.suggested_themes[0].hits} >= {"burenruzie", "woonoverlast"}
    again = reindex(corpus, state, cluster)
    assert (again.retagged, again.indexed) == (0, ())


def _one_dutch_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_a_wrong_key_or_no_reachable_node_is_one_dutch_line_before_anything_is_written(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    client = TypesenseClient.from_config(cluster)
    index = ("index", "--corpus", str(corpus), "--index", str(tmp_path / "state"))
    wrong_key = kennisbank(*index, "--engine", engine_setting(cluster), env=cluster_env(cluster, key="fout"))
    assert "weigeren de API-sleutel" in _one_dutch_line(wrong_key)
    down = "typesense://" + ",".join(f"127.0.0.1:{port}" for port in free_ports(2))
    unreachable = kennisbank(*index, "--engine", down, env=cluster_env(cluster))
    assert "Geen van de Typesense-servers is bereikbaar" in _one_dutch_line(unreachable)
    no_key = kennisbank(*index, env={ENGINE_ENV: engine_setting(cluster)})
    assert "API-sleutel" in _one_dutch_line(no_key)
    assert not (tmp_path / "state").exists(), "a setting that cannot be used touches nothing"
    own = [item["name"] for item in client.request("GET", "/collections") if item["name"].startswith(cluster.prefix)]
    assert own == []


def test_searching_the_cluster_is_refused_for_now_with_what_to_do(
    corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    env = {ENGINE_ENV: engine_setting(cluster), **cluster_env(cluster)}
    result = kennisbank("search", "--corpus", str(corpus), "--index", str(tmp_path / "state"), "toezicht", env=env)
    assert "nog niet in zoeken" in _one_dutch_line(result) and "ingebouwde" in result.stderr
    serve = kennisbank(
        "serve", "--corpus", str(corpus), "--index", str(tmp_path / "state"), "--port", str(free_ports(1)[0]), env=env
    )
    assert "nog niet in zoeken" in _one_dutch_line(serve)
    assert not (tmp_path / "state").exists(), "refused before anything was indexed"


def test_a_staff_addition_goes_into_the_cluster(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    note = tmp_path / "Notitie burenruzies.md"
    note.write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    env = {**cluster_env(cluster), "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(state)}
    result = kennisbank("toevoegen", "--engine", engine_setting(cluster), str(note), env=env)
    assert result.returncode == 0, result.stderr
    assert "notitie-burenruzies.md" in manifest(state, cluster) and len(manifest(state, cluster)) == len(BUNDLED) + 1


def test_a_record_the_cluster_refuses_is_named_in_the_error(tmp_path: Path, cluster: TypesenseEngine) -> None:
    backend = open_backend(tmp_path / "state", cluster)
    client = TypesenseClient.from_config(cluster)
    wrong = create_build(client, PAGES, cluster.prefix)  # a pages collection where documents belong
    build = TypesenseBuild(backend.client, wrong, create_build(client, PAGES, cluster.prefix), fresh=True)
    with pytest.raises(ClusterError) as refused, build.writing() as writer:
        writer.add(RECORDS_DOCUMENT, dt.datetime(2026, 1, 1))
    assert "monitor-mensenhandel" in str(refused.value) and "geweigerd" in str(refused.value)


def test_status_shows_the_nodes_collections_and_last_run_of_the_cluster(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = tmp_path / "state"
    setting = ("--index", str(state), "--engine", engine_setting(cluster))
    before = json.loads(kennisbank("status", *setting, "--json", env=cluster_env(cluster)).stdout)
    assert before["current"] is False and before["collections"] == []
    reindex(corpus, state, cluster)
    result = kennisbank("status", *setting, "--json", env=cluster_env(cluster))
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert [node["ok"] for node in status["nodes"]] == [True, True, True] and status["leader"]
    assert status["current"] and status["documents"] == len(BUNDLED)
    counts = {item["aliases"][0]: item["documents"] for item in status["collections"]}
    assert counts[f"{cluster.prefix}-documents"] == len(BUNDLED) and counts[f"{cluster.prefix}-pages"] >= len(BUNDLED)
    assert len(status["last_run"]["indexed"]) == len(BUNDLED)
    text = kennisbank("status", *setting, env=cluster_env(cluster)).stdout
    assert "leider" in text and f"{cluster.prefix}-documents" in text and "Documenten geïndexeerd: 5" in text


def test_status_of_the_embedded_engine(bundled_docs: Path, corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    missing = kennisbank("status", "--index", str(index))
    assert missing.returncode == 0 and "Actueel: nee" in missing.stdout and "nog geen" in missing.stdout
    run_index(corpus, index, limits=TEST_LIMITS, workers=2)
    result = kennisbank("status", "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert f"ingebouwd, index in {index}" in result.stdout and "Documenten geïndexeerd: 5" in result.stdout
    assert "5 geïndexeerd" in result.stdout


def test_the_builds_of_a_killed_rebuild_are_dropped_by_the_next_run(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    backend = open_backend(state, cluster)
    abandoned = backend.new_index()  # filled by nobody: its run was killed before it switched over
    served = set(aliases(backend.client).values())
    reindex(corpus, state, cluster)
    names = _names(backend.client)
    assert abandoned.documents not in names and abandoned.pages not in names
    assert served <= names, "the served builds stay"
