"""The engine setting: empty is the embedded index, `typesense://…` a cluster with its key from the
environment or a file; anything else is refused with one Dutch sentence before anything is touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.backends.config import (
    API_KEY_ENV,
    API_KEY_FILE_ENV,
    ENGINE_ENV,
    PREFIX_ENV,
    EmbeddedEngine,
    EngineConfigError,
    Node,
    TypesenseEngine,
    engine_config,
)

CLUSTER = "typesense://127.0.0.1:8108,127.0.0.1:8109,127.0.0.1:8110"
KEY = {API_KEY_ENV: "geheim"}


@pytest.mark.parametrize("environ", [{}, {ENGINE_ENV: ""}, {ENGINE_ENV: "  "}], ids=["unset", "empty", "blank"])
def test_no_setting_is_the_embedded_engine(environ: dict[str, str]) -> None:
    assert engine_config(None, environ) == EmbeddedEngine()


def test_a_cluster_setting_names_every_node_with_the_key_from_the_environment() -> None:
    config = engine_config(None, {ENGINE_ENV: CLUSTER, **KEY})
    assert config == TypesenseEngine(
        (Node("127.0.0.1", 8108), Node("127.0.0.1", 8109), Node("127.0.0.1", 8110)), "geheim"
    )
    assert config.nodes[0].url == "http://127.0.0.1:8108"
    assert "geheim" not in repr(config), "the key must not end up in logs"


def test_the_option_wins_over_the_environment_and_an_empty_option_means_embedded() -> None:
    assert engine_config("typesense://zoek1:8108", {ENGINE_ENV: CLUSTER, **KEY}).nodes == (Node("zoek1", 8108),)
    assert engine_config("", {ENGINE_ENV: CLUSTER, **KEY}) == EmbeddedEngine()


def test_ipv6_nodes_are_written_in_brackets() -> None:
    (node,) = engine_config("typesense://[::1]:8108", KEY).nodes
    assert (node.host, node.port, node.url) == ("::1", 8108, "http://[::1]:8108")


def test_the_key_may_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "typesense.key"
    key_file.write_text("uit-een-bestand\n")
    assert engine_config(CLUSTER, {API_KEY_FILE_ENV: str(key_file)}).api_key == "uit-een-bestand"


@pytest.mark.parametrize(
    ("setting", "environ", "expected"),
    [
        ("elastic://127.0.0.1:9200", KEY, "is onbekend"),
        ("typesense://", KEY, "host:poort"),
        ("typesense://127.0.0.1", KEY, "de poort ontbreekt"),
        ("typesense://127.0.0.1:acht", KEY, "host:poort"),
        ("typesense://127.0.0.1:70000", KEY, "host:poort"),
        ("typesense://127.0.0.1:8108,", KEY, "host:poort"),
        ("typesense://http://127.0.0.1:8108", KEY, "host:poort"),
        ("typesense://127.0.0.1:8108,127.0.0.1:8108", KEY, "meer dan eens"),
        (CLUSTER, {}, "API-sleutel voor Typesense ontbreekt"),
        (CLUSTER, {API_KEY_ENV: "a", API_KEY_FILE_ENV: "/k"}, "op één manier"),
        (CLUSTER, {API_KEY_ENV: "twee woorden"}, "spaties"),
        (CLUSTER, {API_KEY_FILE_ENV: "/bestaat/niet"}, "kan niet worden gelezen"),
        (CLUSTER, {**KEY, PREFIX_ENV: "Kennis-Bank"}, "kleine letters"),
    ],
)
def test_wrong_settings_are_refused_with_a_dutch_sentence(setting: str, environ: dict, expected: str) -> None:
    with pytest.raises(EngineConfigError) as refused:
        engine_config(setting, environ)
    message = str(refused.value)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message


def test_the_collection_prefix_is_kennisbank_unless_set() -> None:
    assert engine_config(CLUSTER, KEY).prefix == "kennisbank"
    assert engine_config(CLUSTER, {**KEY, PREFIX_ENV: "regio_west"}).prefix == "regio_west"


def test_an_empty_key_file_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "leeg.key"
    key_file.write_text("\n")
    with pytest.raises(EngineConfigError, match="is leeg"):
        engine_config(CLUSTER, {API_KEY_FILE_ENV: str(key_file)})
