"""Collections on a real three-node cluster: builds behind an alias that a rebuild switches at once,
refused documents, the web servers' key, and one Dutch sentence for a missing or outdated collection."""

from __future__ import annotations

import pytest

from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import create_search_key
from indexer.backends.typesense.collections import (
    DOCUMENTS,
    PAGES,
    create_build,
    import_documents,
    served_collection,
    switch_alias,
    token_field,
    unserved_builds,
)
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.engine.fields import PAGE_TEXT
from tests.typesense_cluster import LocalCluster
from tests.typesense_support import document, eventually, page, search


def test_a_build_is_filled_searched_and_served_behind_its_alias(
    cluster_client: TypesenseClient, collection_prefix: str
) -> None:
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(
        cluster_client,
        build,
        [
            document("monitor", "mensenhandel monitor rotterdam", ("mensenhandel",)),
            document("factsheet", "loverboy mensenhandel"),
            document("brief", "woonoverlast"),
        ],
    )
    assert eventually(lambda: search(cluster_client, build, "mensenhandel"), bool) == ["factsheet", "monitor"]

    switch_alias(cluster_client, DOCUMENTS, build, collection_prefix)
    served = eventually(lambda: served_collection(cluster_client, DOCUMENTS, collection_prefix), bool)
    assert served == build
    # Each node learns of the alias as it applies the write: read through it as a reader would.
    assert eventually(lambda: search(cluster_client, DOCUMENTS.alias(collection_prefix), "woonoverlast"), bool) == [
        "brief"
    ]


def test_a_rebuild_switches_the_alias_at_once_and_leaves_the_old_build_to_remove(
    cluster_client: TypesenseClient, collection_prefix: str
) -> None:
    old = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(cluster_client, old, [document("oud", "jeugdcriminaliteit")])
    switch_alias(cluster_client, DOCUMENTS, old, collection_prefix)
    new = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(cluster_client, new, [document("nieuw", "jeugdcriminaliteit")])
    assert eventually(
        lambda: unserved_builds(cluster_client, DOCUMENTS, collection_prefix), lambda found: found == [new]
    ) == [new]

    switch_alias(cluster_client, DOCUMENTS, new, collection_prefix)
    alias = DOCUMENTS.alias(collection_prefix)
    assert eventually(lambda: search(cluster_client, alias, "jeugdcriminaliteit"), lambda ids: ids == ["nieuw"]) == [
        "nieuw"
    ]
    assert eventually(
        lambda: unserved_builds(cluster_client, DOCUMENTS, collection_prefix), lambda found: found == [old]
    ) == [old]


def test_a_refused_document_is_reported_with_its_id(cluster_client: TypesenseClient, collection_prefix: str) -> None:
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    broken = {**document("zonder-jaar", "tekst"), "date_days": "gisteren"}
    with pytest.raises(ClusterError) as refused:
        import_documents(cluster_client, build, [document("goed", "tekst"), broken])
    assert refused.value.problem is ClusterProblem.REJECTED
    assert "1 van 2 geweigerd; ‘zonder-jaar’" in str(refused.value)


def test_a_missing_collection_says_to_build_the_index(cluster_client: TypesenseClient, collection_prefix: str) -> None:
    with pytest.raises(ClusterError) as refused:
        served_collection(cluster_client, DOCUMENTS, collection_prefix)
    assert str(refused.value) == (
        f"De collectie ‘{collection_prefix}-documents’ bestaat niet op het Typesense-cluster. Bouw de index met "
        "`kennisbank index` (met KENNISBANK_ENGINE naar dit cluster)."
    )


@pytest.mark.parametrize(
    ("revision", "fields"),
    [("00000000", DOCUMENTS.fields), (DOCUMENTS.revision(), DOCUMENTS.fields[:-1])],
    ids=["older revision", "fields changed by hand"],
)
def test_a_collection_with_another_schema_is_refused(
    cluster_client: TypesenseClient, collection_prefix: str, revision, fields
) -> None:
    name = f"{DOCUMENTS.alias(collection_prefix)}-{revision}-20250101000000000000"
    cluster_client.request("POST", "/collections", body={"name": name, "fields": [field.as_json() for field in fields]})
    switch_alias(cluster_client, DOCUMENTS, name, collection_prefix)
    with pytest.raises(ClusterError) as refused:
        eventually(lambda: served_collection(cluster_client, DOCUMENTS, collection_prefix), bool)
    assert refused.value.problem is ClusterProblem.STALE_SCHEMA
    message = str(refused.value)
    assert message.startswith(f"De collectie ‘{name}’ is gebouwd met schema {revision}")
    assert "`kennisbank index --rebuild`" in message


def test_the_web_servers_key_searches_and_checks_the_build_but_cannot_write(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster
) -> None:
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(cluster_client, build, [document("politie", "wijkagent")])
    switch_alias(cluster_client, DOCUMENTS, build, collection_prefix)
    web = TypesenseClient(typesense_cluster.nodes, create_search_key(cluster_client, collection_prefix))
    for node in typesense_cluster.nodes:  # the new key reaches each follower a moment after the leader
        eventually(
            lambda node=node: web.on_node(node, "GET", f"/collections/{build}"), bool, ClusterProblem.UNAUTHORIZED
        )

    assert eventually(lambda: search(web, DOCUMENTS.alias(collection_prefix), "wijkagent"), bool) == ["politie"]
    assert eventually(lambda: served_collection(web, DOCUMENTS, collection_prefix), bool) == build
    with pytest.raises(ClusterError) as refused:
        import_documents(web, build, [document("stiekem", "wijkagent")])
    assert refused.value.problem is ClusterProblem.UNAUTHORIZED
    assert "de website de zoeksleutel" in str(refused.value)


def test_pages_come_back_grouped_by_document_under_the_facet_filters(
    cluster_client: TypesenseClient, collection_prefix: str
) -> None:
    build = create_build(cluster_client, PAGES, collection_prefix)
    pages = [
        page("monitor", 1, "mensenhandel cijfers", ("mensenhandel",)),
        page("monitor", 2, "aanpak", ("mensenhandel",)),
        page("monitor", 3, "mensenhandel aanpak", ("mensenhandel",)),
        page("melding", 1, "mensenhandel melding"),
    ]
    import_documents(cluster_client, build, pages)
    params = {"q": "mensenhandel", "query_by": token_field(PAGE_TEXT), "group_by": "parent", "group_limit": 10}
    answer = eventually(
        lambda: cluster_client.request("GET", f"/collections/{build}/documents/search", params=params),
        lambda found: found["found"] == 2,
    )
    assert {
        group["group_key"][0]: sorted(hit["document"]["page"] for hit in group["hits"])
        for group in answer["grouped_hits"]
    } == {"monitor": [1, 3], "melding": [1]}

    filtered = {**params, "filter_by": "themes:=[mensenhandel]"}
    answer = eventually(
        lambda: cluster_client.request("GET", f"/collections/{build}/documents/search", params=filtered),
        lambda found: found["found"] == 1,
    )
    assert [group["group_key"] for group in answer["grouped_hits"]] == [["monitor"]]
