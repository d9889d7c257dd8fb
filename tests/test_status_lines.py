"""`kennisbank status` in words: each node of a cluster as a person reads it, from the plain data that
`--json` gives. A node that still applies writes it received is healthy and says it is catching up."""

from __future__ import annotations

import pytest

from indexer.cli_status import status_lines


def _node(reachable: bool = True, ok: bool = True, role: str = "follower", pending: int = 0, detail: str = "") -> dict:
    return {
        "node": "10.0.0.12:8108",
        "reachable": reachable,
        "ok": ok,
        "role": role,
        "version": "0.24.1" if reachable else "",
        "detail": detail,
        "pending_writes": pending,
    }


@pytest.mark.parametrize(
    ("node", "line"),
    [
        (_node(), "gezond, volger"),
        (_node(role="leader"), "gezond, leider"),
        (_node(pending=9), "gezond, bijwerken bezig (9 schrijfopdrachten in de wachtrij), volger"),
        (_node(ok=False, pending=65), "niet gezond, bijwerken bezig (65 schrijfopdrachten in de wachtrij), volger"),
        (_node(ok=False, role="candidate", detail="OUT_OF_MEMORY"), "niet gezond OUT_OF_MEMORY, kandidaat"),
        (_node(reachable=False, ok=False, role=""), "onbereikbaar"),
    ],
)
def test_each_node_is_one_line_that_tells_catching_up_from_unhealthy(node: dict, line: str) -> None:
    status = {
        "engine": "typesense",
        "nodes": [node],
        "leader": "10.0.0.11:8108",
        "quorum": True,
        "collections": [],
        "state_folder": "/var/lib/kennisbank",
        "current": True,
        "last_run": None,
    }
    assert f"  server 10.0.0.12:8108: {line}" in status_lines(status)
