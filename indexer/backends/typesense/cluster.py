"""The cluster as an operator sees it: each node's health and Raft role, the collections with their
document counts and aliases, and snapshots for backups. Plain data out, for `kennisbank status`.

Health is asked of each node on its own (`/health`, `/debug`, `/stats.json`), not through failover:
the point is to see which node is down. `/health` says `ok` as soon as a node has a leader and is
not far behind it, while it may still apply writes it has queued (measured: a follower restarted
after 20,000 documents were imported without it said `ok` with 9 write batches queued and 18,151 of
the 20,000 documents applied); `/stats.json` counts those batches (`pending_write_batches`), so a
node that is still catching up is told apart from one that is done, without calling it unhealthy.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.backends.config import Node
from indexer.backends.typesense.client import NodeUnreachable, TypesenseClient
from indexer.backends.typesense.errors import ClusterError, ClusterProblem

# What the web servers' key may do: search, read a document, and read a collection's schema (to refuse a
# build of another revision, `collections.served_collection`). Nothing that writes.
SEARCH_KEY_ACTIONS = ("documents:search", "documents:get", "collections:get")
# Raft states as `/debug` reports them (braft's `State` enum).
_ROLES = {1: "leader", 2: "transferring", 3: "candidate", 4: "follower", 5: "error", 6: "uninitialized"}
# A health check waits this long (seconds) for an answer: a node that takes longer is as good as down.
HEALTH_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class NodeHealth:
    node: str
    reachable: bool
    ok: bool  # /health says the node can serve: it has a leader and is not behind
    role: str = ""  # leader, follower, candidate, ...; empty when the node cannot be asked
    version: str = ""
    detail: str = ""  # what the node reported when it is not ok (its message, or a resource error)
    pending_writes: int = 0  # write batches it has received but not applied yet (`/stats.json`)


@dataclass(frozen=True)
class ClusterHealth:
    nodes: tuple[NodeHealth, ...]

    @property
    def leader(self) -> str | None:
        return next((health.node for health in self.nodes if health.role == "leader"), None)

    @property
    def quorum(self) -> bool:
        """More than half the nodes are healthy: the cluster accepts writes."""
        return sum(health.ok for health in self.nodes) * 2 > len(self.nodes)

    @property
    def healthy(self) -> bool:
        return self.leader is not None and all(health.ok for health in self.nodes)


@dataclass(frozen=True)
class CollectionCount:
    name: str
    documents: int
    aliases: tuple[str, ...]  # the aliases that point at it: the served builds have one


def node_health(client: TypesenseClient, node: Node) -> NodeHealth:
    """One node: reachable, healthy, its Raft role and version."""
    try:
        answer = client.on_node(node, "GET", "/health", read_s=HEALTH_TIMEOUT_S)
    except NodeUnreachable:
        return NodeHealth(str(node), reachable=False, ok=False)
    except ClusterError as exc:
        if exc.problem is not ClusterProblem.NO_QUORUM:
            raise
        answer = {"ok": False}  # 503: no leader, or too far behind it
    debug, stats = (_answer(client, node, path) for path in ("/debug", "/stats.json"))
    return NodeHealth(
        str(node),
        reachable=True,
        ok=bool(answer.get("ok")),
        role=_ROLES.get(debug.get("state"), ""),
        version=str(debug.get("version", "")),
        detail=str(answer.get("resource_error", "")),
        pending_writes=int(stats.get("pending_write_batches") or 0),
    )


def _answer(client: TypesenseClient, node: Node, path: str) -> dict:
    """The node's answer to `path`, or nothing when it stopped answering after `/health` did."""
    try:
        return client.on_node(node, "GET", path, read_s=HEALTH_TIMEOUT_S)
    except NodeUnreachable:
        return {}


def cluster_health(client: TypesenseClient) -> ClusterHealth:
    return ClusterHealth(tuple(node_health(client, node) for node in client.nodes))


def aliases(client: TypesenseClient) -> dict[str, str]:
    """alias -> the collection it points at."""
    return {item["name"]: item["collection_name"] for item in client.request("GET", "/aliases")["aliases"]}


def collection_counts(client: TypesenseClient) -> tuple[CollectionCount, ...]:
    """Every collection with its number of documents, by name."""
    pointing: dict[str, list[str]] = {}
    for alias, collection in aliases(client).items():
        pointing.setdefault(collection, []).append(alias)
    return tuple(
        CollectionCount(item["name"], int(item["num_documents"]), tuple(sorted(pointing.get(item["name"], ()))))
        for item in sorted(client.request("GET", "/collections"), key=lambda item: item["name"])
    )


def snapshot(client: TypesenseClient, node: Node, directory: str) -> None:
    """Have `node` write a point-in-time copy of its data to `directory` on its own disk. A node's
    snapshot holds the whole dataset (every node holds all of it): back that folder up, and restore
    it as a node's data folder (docs/typesense.md)."""
    try:
        client.on_node(node, "POST", "/operations/snapshot", params={"snapshot_path": directory})
    except NodeUnreachable as exc:
        raise ClusterError(ClusterProblem.UNREACHABLE, nodes=str(node)) from exc


def create_search_key(client: TypesenseClient, prefix: str) -> str:
    """A new key for the web servers, valid for this Kennisbank's collections only; the cluster shows
    its value once, so the caller stores it (docs/typesense.md)."""
    body = {
        "description": f"Kennisbank-webservers ({prefix})",
        "actions": list(SEARCH_KEY_ACTIONS),
        "collections": [f"{prefix}-.*"],
    }
    return str(client.request("POST", "/keys", body=body)["value"])
