"""The commands on a cluster as a user runs them (real processes, the session's three-node cluster):
refusals in Dutch before anything is written, a staff addition, and `kennisbank status` on both engines."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from indexer.backends.config import ENGINE_ENV, TypesenseEngine
from indexer.backends.typesense.client import TypesenseClient
from indexer.indexing.pipeline import run_index
from tests.conftest import TEST_LIMITS, settled
from tests.typesense_cluster import free_ports
from tests.typesense_support import BUNDLED, NEIGHBOUR_NOTE, cluster_env, engine_setting, kennisbank, manifest, reindex


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


def test_searching_the_cluster_finds_what_the_embedded_engine_finds_and_refuses_a_missing_index(
    bundled_docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> None:
    env = {ENGINE_ENV: engine_setting(cluster), **cluster_env(cluster)}
    state, embedded = tmp_path / "state", tmp_path / "embedded"
    search = ("search", "--corpus", str(corpus), "--json", "ransomware gemeenten")
    missing = kennisbank(*search[:3], "--index", str(state), *search[3:], env=env)
    assert "bestaat niet" in _one_dutch_line(missing) and "kennisbank index" in missing.stderr
    serve = kennisbank(
        "serve", "--corpus", str(corpus), "--index", str(state), "--port", str(free_ports(1)[0]), env=env
    )
    _one_dutch_line(serve)

    reindex(corpus, state, cluster)
    run_index(corpus, embedded, limits=TEST_LIMITS, workers=2)
    settled(cluster)
    on_cluster = kennisbank(*search[:3], "--index", str(state), *search[3:], env=env)
    assert on_cluster.returncode == 0, on_cluster.stderr
    found = json.loads(on_cluster.stdout)
    on_disk = json.loads(kennisbank(*search[:3], "--index", str(embedded), *search[3:]).stdout)
    assert found["hits"][0]["id"] == "factsheet-gijzelsoftware-ransomware-gemeenten"
    assert [hit["id"] for hit in found["hits"]] == [hit["id"] for hit in on_disk["hits"]]
    assert found["total"] == on_disk["total"]


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
    settled(cluster)
    found = kennisbank("search", "--engine", engine_setting(cluster), "--json", "burenruzie", env=env)
    assert [hit["id"] for hit in json.loads(found.stdout)["hits"]] == ["notitie-burenruzies"], found.stderr


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


def test_status_names_the_nodes_that_do_not_answer(tmp_path: Path, cluster: TypesenseEngine) -> None:
    down = "typesense://" + ",".join(f"127.0.0.1:{port}" for port in free_ports(2))
    result = kennisbank("status", "--index", str(tmp_path / "state"), "--engine", down, env=cluster_env(cluster))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("onbereikbaar") == 2 and "leider: geen" in result.stdout
    assert "Actueel: onbekend" in result.stdout
