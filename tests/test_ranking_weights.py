"""The ranking weights are declared once, each marked index-time or query-time."""

from __future__ import annotations

import pytest

from indexer.backends.whoosh.schema import build_schema, schema_version
from indexer.engine import ranking_weights

DECLARED = [name for name in vars(ranking_weights) if name.isupper() and name not in ("INDEX_TIME", "QUERY_TIME")]


def test_every_weight_is_marked_once() -> None:
    marked = ranking_weights.INDEX_TIME + ranking_weights.QUERY_TIME
    assert sorted(marked) == sorted(DECLARED), "each weight is either index-time or query-time, never both"


@pytest.mark.parametrize("name", ranking_weights.INDEX_TIME)
def test_an_index_time_weight_is_part_of_the_schema_version(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = schema_version()
    monkeypatch.setattr(ranking_weights, name, getattr(ranking_weights, name) + 0.1)
    assert schema_version() != before, f"changing {name} must make existing indexes stale"


@pytest.mark.parametrize("name", [name for name in ranking_weights.QUERY_TIME if name != "LENGTH_NORMALISATION"])
def test_a_query_time_weight_leaves_the_index_alone(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = schema_version()
    monkeypatch.setattr(ranking_weights, name, getattr(ranking_weights, name) + 0.1)
    assert schema_version() == before, f"{name} applies at search time; indexes need no rebuild"


def test_length_normalisation_names_fields_of_the_index() -> None:
    assert set(ranking_weights.LENGTH_NORMALISATION) <= set(build_schema().names())
