"""A small client for Typesense's HTTP API that fails over between the nodes of a cluster.

It does what the official clients do (round robin over the nodes; a node that failed is tried last for
a while; connection errors and 503s move on to the next node after a short pause) with short timeouts,
asks the other nodes before it takes a read's 404 for an answer (a follower applies writes a moment
after the leader, so right after a rebuild it may not know the new collection or alias yet, nor a
document uploaded a moment ago), and turns every failure into one `ClusterError`. A write that meets a
cluster without a leader is tried again for a while (`Timeouts.write_failover_s`): after the leader
dies, the others elect a new one within seconds, and a staff upload in that window then goes through
instead of being refused.
The official Python client was not taken: it is a thin layer over the same few calls, and it raises its
own exception tree for us to translate anyway.

urllib3's pool is thread-safe, so one client serves every thread of a web worker.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.client import BadStatusLine
from typing import Any
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, ProtocolError, ReadTimeoutError

from indexer.backends.config import Node, TypesenseEngine
from indexer.backends.typesense.errors import READ_REFUSED, WRITE_REFUSED, ClusterError, ClusterProblem

API_KEY_HEADER = "X-TYPESENSE-API-KEY"
UNAVAILABLE = 503  # Typesense: "Not Ready or Lagging", a node without a leader or behind it
# Typesense 0.24.1: a follower that forwards a write to a leader that just died answers 500 with an empty
# body (an import: a status line "HTTP/1.1 0") until a new leader is elected, here for about 8 s. The
# write did not reach a leader: for a write this is the cluster being unavailable, as a 503 is.
FORWARD_FAILED = 500


@dataclass(frozen=True)
class Timeouts:
    """Seconds. Connecting on a LAN takes milliseconds, so a node that does not accept within a second
    is taken as down; an answer may take longer (a large import, a search over many documents)."""

    connect_s: float = 1.0
    read_s: float = 30.0
    # How long a node that failed goes to the back of the queue (the official clients' health-check interval).
    quarantine_s: float = 60.0
    # Pause before the next try after a 503: a new leader is usually elected within a few seconds.
    retry_pause_s: float = 0.3
    # How many times the whole list of nodes is gone through before giving up.
    rounds: int = 2
    # A write that finds no leader goes on through the nodes for this long: a new leader is elected
    # within seconds of the old one's death (about 8 s on a loaded test machine).
    write_failover_s: float = 15.0


class NodeUnreachable(Exception):
    """A node that could not be asked: no connection, or no answer to a request that may be repeated."""

    def __init__(self, node: Node, timed_out: bool) -> None:
        super().__init__(node)
        self.node = node
        self.timed_out = timed_out


@dataclass
class _Attempts:
    """What the nodes asked for one request answered so far, and what that request then comes to."""

    lagging: tuple[Node, ...]  # the nodes that may lag behind another (none when the leader is asked first)
    unreached: list[NodeUnreachable] = field(default_factory=list)
    unavailable: ClusterError | None = None  # no leader, or the node behind it
    missing: ClusterError | None = None  # a 404 that another node may not give
    lacking: tuple[Any, ...] = ()  # an answer that lacks what another node may have
    _without: set[Node] = field(default_factory=set)

    def others_may_have(self, node: Node) -> bool:
        """Count `node` among those without what was asked; True while a node not yet asked (nor
        unreachable) may have it."""
        self._without.add(node)
        unreached = {failure.node for failure in self.unreached}
        return any(other not in self._without and other not in unreached for other in self.lagging)

    def outcome(self, nodes: Sequence[Node], timeouts: Timeouts) -> Any:
        """The request's answer when no node gave a better one, or its error."""
        if self.unavailable:
            raise self.unavailable
        if self.lacking:
            return self.lacking[0]
        if self.missing:
            raise self.missing
        listed = ", ".join(str(node) for node in nodes)
        if any(failure.timed_out for failure in self.unreached):
            raise ClusterError(ClusterProblem.TIMEOUT, seconds=f"{timeouts.read_s:g}", nodes=listed)
        raise ClusterError(ClusterProblem.UNREACHABLE, nodes=listed)


class TypesenseClient:
    """The cluster as one endpoint: `request` answers from whichever node can."""

    def __init__(
        self, nodes: Sequence[Node], api_key: str, timeouts: Timeouts | None = None, rotate: bool = True
    ) -> None:
        if not nodes:
            raise ValueError("a cluster has at least one node")
        self.nodes = tuple(nodes)
        self.timeouts = timeouts or Timeouts()
        self._api_key = api_key
        self._pool = urllib3.PoolManager(retries=False)
        self._lock = threading.Lock()
        self._next = 0
        self._rotate = rotate  # False: always the first node first, the others only when it fails
        self._failed_at: dict[Node, float] = {}

    @classmethod
    def from_config(cls, config: TypesenseEngine, timeouts: Timeouts | None = None) -> TypesenseClient:
        return cls(config.nodes, config.api_key, timeouts)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        body: object = None,
        lines: Iterable[Mapping[str, object]] | None = None,
        idempotent: bool | None = None,
        answer_lines: bool = False,
        lacks: Callable[[Any], bool] | None = None,
    ) -> Any:
        """The decoded answer of the first node that gives one. `path` is sent as written (quote the
        ids in it); `body` goes as JSON, `lines` as JSON lines (the import endpoint), whose answer is a
        list of one result per line. A request that was sent but not answered is sent to the next node
        only when sending it twice does no harm: reads and `PUT`s, or what the caller marks `idempotent`
        (an upsert). `answer_lines`: the answer is JSON lines (an export) whatever was sent.

        On a client that goes round the nodes, a read's 404, or an answer that `lacks` something (a
        multi-search answers 200 with a status per search), is asked of the other nodes first: a
        follower applies writes a moment after the leader. A client that asks the leader first takes
        its answer as it is (`preferring`)."""
        payload = _encode(body, lines)
        repeatable = method in ("GET", "PUT") if idempotent is None else idempotent
        tried = _Attempts(self.nodes if self._rotate else ())
        # Past the rounds, only a write that found no leader goes on, until the failover window ends.
        failover_until = time.monotonic() + (0.0 if method == "GET" else self.timeouts.write_failover_s)
        for attempt, node in enumerate(self._tries()):
            if attempt >= len(self.nodes) * self.timeouts.rounds and not (
                tried.unavailable and time.monotonic() < failover_until
            ):
                break
            if attempt and tried.unavailable:
                time.sleep(self.timeouts.retry_pause_s)
            try:
                answer = self.on_node(
                    node,
                    method,
                    path,
                    params=params,
                    payload=payload,
                    jsonl=lines is not None or answer_lines,
                    repeatable=repeatable,
                )
            except NodeUnreachable as exc:
                tried.unreached.append(exc)
                self._mark_failed(node)
            except ClusterError as exc:
                if method == "GET" and exc.status == 404 and tried.others_may_have(node):
                    tried.missing = exc
                elif exc.problem is ClusterProblem.NO_QUORUM:
                    tried.unavailable = exc
                    self._mark_failed(node)
                else:
                    raise
            else:
                if not (lacks and lacks(answer) and tried.others_may_have(node)):
                    return answer
                tried.lacking = (answer,)
        return tried.outcome(self.nodes, self.timeouts)

    def on_node(
        self,
        node: Node,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        payload: bytes | None = None,
        jsonl: bool = False,
        read_s: float | None = None,
        repeatable: bool = True,
    ) -> Any:
        """One node's answer, without failover: for what is asked of each node in turn (health, snapshots).
        Raises `NodeUnreachable` when the node cannot be asked (or, for a `repeatable` request, did not
        answer), `ClusterError` when it refuses or leaves a request that must not be repeated unanswered."""
        timeout = urllib3.Timeout(connect=self.timeouts.connect_s, read=read_s or self.timeouts.read_s)
        headers = {API_KEY_HEADER: self._api_key, "Content-Type": "text/plain" if jsonl else "application/json"}
        try:
            response = self._pool.request(
                method, node.url + path + _query(params), body=payload, headers=headers, timeout=timeout
            )
        except ConnectTimeoutError as exc:  # no connection: nothing was sent, any request may go elsewhere
            raise NodeUnreachable(node, timed_out=False) from exc
        except ProtocolError as exc:
            if _forward_failed(exc) and method != "GET":
                raise _unavailable(node, method, "geen geldige HTTP-status") from exc
            if not repeatable:
                nodes = str(node)
                raise ClusterError(ClusterProblem.TIMEOUT, seconds=f"{timeout.read_timeout:g}", nodes=nodes) from exc
            raise NodeUnreachable(node, timed_out=True) from exc
        except ReadTimeoutError as exc:
            # Sent, but no answer (in time, or the connection dropped): it may still be carried out.
            if not repeatable:
                nodes = str(node)
                raise ClusterError(ClusterProblem.TIMEOUT, seconds=f"{timeout.read_timeout:g}", nodes=nodes) from exc
            raise NodeUnreachable(node, timed_out=True) from exc
        except HTTPError as exc:
            raise NodeUnreachable(node, timed_out=False) from exc
        return _decoded(node, method, response, jsonl)

    def preferring(self, node: Node) -> TypesenseClient:
        """A client that asks `node` first and the others only when it fails (the leader, which has
        applied every write acknowledged so far: what this process wrote, it reads back)."""
        others = tuple(other for other in self.nodes if other != node)
        return TypesenseClient((node, *others), self._api_key, self.timeouts, rotate=False)

    def pinned(self, node: Node) -> TypesenseClient:
        """A client that asks only `node`."""
        return TypesenseClient((node,), self._api_key, self.timeouts)

    def _tries(self) -> Iterator[Node]:
        """The nodes in `_order`, round after round, without end (`request` decides when to stop)."""
        while True:
            yield from self._order()

    def _order(self) -> list[Node]:
        """The nodes to try, starting one further each request; those that failed lately come last."""
        with self._lock:
            start = self._next
            self._next = (self._next + 1) % len(self.nodes) if self._rotate else 0
            now = time.monotonic()
            recent = {node for node, at in self._failed_at.items() if now - at < self.timeouts.quarantine_s}
        rotated = self.nodes[start:] + self.nodes[:start]
        return [node for node in rotated if node not in recent] + [node for node in rotated if node in recent]

    def _mark_failed(self, node: Node) -> None:
        with self._lock:
            self._failed_at[node] = time.monotonic()


def _encode(body: object, lines: Iterable[Mapping[str, object]] | None) -> bytes | None:
    if lines is not None:
        return "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    return None if body is None else json.dumps(body, ensure_ascii=False).encode()


def _query(params: Mapping[str, object] | None) -> str:
    """Query arguments as Typesense reads them: booleans as `true`/`false`."""
    if not params:
        return ""
    return "?" + urlencode(
        {key: str(value).lower() if isinstance(value, bool) else value for key, value in params.items()}
    )


def _decoded(node: Node, method: str, response: urllib3.BaseHTTPResponse, jsonl: bool) -> Any:
    text = response.data.decode("utf-8", errors="replace")
    if response.status < 300:
        if jsonl:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return json.loads(text) if text else None
    message = (_message(text) or response.reason or str(response.status)).rstrip(".")
    if response.status == UNAVAILABLE or (response.status == FORWARD_FAILED and method != "GET"):
        raise _unavailable(node, method, message)
    if response.status in (401, 403):
        raise ClusterError(ClusterProblem.UNAUTHORIZED, node=node, message=message)
    raise ClusterError(ClusterProblem.REJECTED, node=node, status=response.status, message=message)


def _forward_failed(error: ProtocolError) -> bool:
    """The answer of a follower whose import could not reach the leader: status line `HTTP/1.1 0`
    (see FORWARD_FAILED). A connection closed without any answer (an empty status line) is not
    that: what was sent may have been carried out."""
    return any(isinstance(arg, BadStatusLine) and str(arg.line).split()[1:2] == ["0"] for arg in error.args)


def _unavailable(node: Node, method: str, message: str) -> ClusterError:
    """The cluster cannot answer now: no leader, or this node is behind it."""
    refused = READ_REFUSED if method == "GET" else WRITE_REFUSED
    return ClusterError(ClusterProblem.NO_QUORUM, node=node, message=message, refused=refused)


def _message(text: str) -> str:
    """The `message` of Typesense's error body, or the body itself when it is not JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return text.strip()[:200]
    return str(data.get("message", "")) if isinstance(data, dict) else text.strip()[:200]
