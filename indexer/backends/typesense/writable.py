"""The cluster as an indexing run sees it (`engine.index_backend`): builds of the two collections
behind their aliases, a writer that imports in batches, and the run's own state in a local folder.

Consistency: Typesense has no transactions, so the order of writes is what keeps a reader's view whole.
A document's pages are imported before its record, and its record is deleted before its pages: the
documents collection (which the manifest and searches start from) never lists a document whose pages
are missing. A run that is killed leaves at most pages without a record, which the next run's removal
of that document (by `parent`) clears. A rebuild fills new builds that no alias serves and switches the
aliases only when they are complete; the builds they left are dropped one rebuild later, since a
reader on a lagging node may still be on them.

A run reads (aliases, the manifest, stored records) from the leader when there is one, and from the
other nodes only when it fails: every write goes through the leader, so it has applied what this run
wrote, and a follower may not have yet.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from indexer.backends.config import TypesenseEngine
from indexer.backends.run_state import RunState
from indexer.backends.typesense import stamps
from indexer.backends.typesense.client import TypesenseClient
from indexer.backends.typesense.cluster import ClusterHealth, aliases, cluster_health
from indexer.backends.typesense.collections import (
    DOCUMENTS,
    PAGES,
    create_build,
    drop_collection,
    import_documents,
    served_collection,
    switch_alias,
    unserved_builds,
)
from indexer.backends.typesense.contents import TypesenseContents, exact
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.backends.typesense.records import records
from indexer.models import Document

# Documents per import request: a few hundred records with their pages, a few MB of JSON,
BATCH_DOCUMENTS = 50
# or fewer when their text passes this many characters: fifty long reports made one write of a
# hundred MB, which three loaded nodes did not commit within minutes (one node at a time took seconds).
BATCH_CHARACTERS = 8_000_000
# How long a run waits for nodes that still apply queued writes (`settled`), and how often it looks.
SETTLE_WAIT_S = 60.0
SETTLE_POLL_S = 1.0
_STAMP_CHARS = 20  # the UTC time at the end of a build's name (`collections.new_name`)

Prepared = tuple[dict, list[dict]]


def prepare_records(document: Document, added: dt.datetime) -> Prepared:
    """In a worker process: the document's record and its pages' records, analysed."""
    return records(document, added)


def _characters(prepared: Prepared) -> int:
    """About the size of a document's records as JSON: their text fields' lengths."""
    record, pages = prepared
    return sum(len(value) for item in (record, *pages) for value in item.values() if isinstance(value, str))


class TypesenseWriter:
    """Documents in batches (pages first), each batch sent right after the removals made before it, so a
    changed document is gone only for the moment between its removal and its import (not while the rest
    of its batch is read); `processes` > 1 imports batches in parallel."""

    def __init__(self, client: TypesenseClient, build: TypesenseBuild, pool: ThreadPoolExecutor | None) -> None:
        self.client = client
        self.build = build
        self.pool = pool
        self.pending: list[Prepared] = []
        self.sent: list[Future] = []
        self.unsettled: set[str] = set()  # ids pending or in flight: a removal of one waits for them
        self.removals: list[str] = []
        self.pending_characters = 0

    def remove(self, doc_id: str) -> None:
        if self.build.fresh:
            return  # nothing of this run is in a new build before it is added, and each file is added once
        if doc_id in self.unsettled:  # its import must go first
            self.flush(wait=True)
        self.removals.append(doc_id)

    def _remove(self, doc_id: str) -> None:
        """The record first, then the pages: the documents collection never lists a document without them."""
        path = f"/collections/{self.build.documents}/documents/{quote(doc_id, safe='')}"
        try:
            self.client.request("DELETE", path)
        except ClusterError as exc:
            if exc.status != 404:
                raise
        params = {"filter_by": exact("parent", doc_id)}
        self.client.request("DELETE", f"/collections/{self.build.pages}/documents", params=params)

    def add(self, document: Document, added: dt.datetime) -> None:
        self.add_prepared(prepare_records(document, added))

    def add_prepared(self, prepared: Prepared) -> None:
        self.pending.append(prepared)
        self.unsettled.add(prepared[0]["id"])
        self.pending_characters += _characters(prepared)
        if len(self.pending) >= BATCH_DOCUMENTS or self.pending_characters >= BATCH_CHARACTERS:
            self.flush()

    def flush(self, wait: bool = False) -> None:
        batch, self.pending, self.pending_characters = self.pending, [], 0
        removals, self.removals = self.removals, []
        if batch or removals:
            if self.pool is None:
                self._send(removals, batch)
            else:
                self.sent.append(self.pool.submit(self._send, removals, batch))
        if wait:
            sent, self.sent = self.sent, []
            for future in sent:
                future.result()  # raises the first refusal
            self.unsettled.clear()

    def _send(self, removals: list[str], batch: list[Prepared]) -> None:
        """Removals, then the batch; a write into the served builds then renews the write stamp
        (`stamps`), since a document replaced in place leaves their names and counts as they were."""
        for doc_id in removals:
            self._remove(doc_id)
        if batch:
            pages = [page for _record, page_records in batch for page in page_records]
            if pages:
                import_documents(self.client, self.build.pages, pages)
            import_documents(self.client, self.build.documents, [record for record, _pages in batch])
        if not self.build.fresh:
            stamps.renew(self.client, self.build.prefix)


class TypesenseBuild:
    """One build: the served collections (`fresh` False) or new ones a rebuild fills."""

    def __init__(self, client: TypesenseClient, documents: str, pages: str, fresh: bool, prefix: str) -> None:
        self.client = client
        self.documents = documents
        self.pages = pages
        self.fresh = fresh
        self.prefix = prefix

    @contextmanager
    def contents(self) -> Iterator[TypesenseContents]:
        yield TypesenseContents(self.client, self.documents, self.pages)

    @contextmanager
    def writing(self, processes: int = 1) -> Iterator[TypesenseWriter]:
        """Batches go when full and at the end; after an error, what was not sent yet is dropped
        (what was sent stays: the cluster has no rollback, and each document is whole, see above)."""
        pool = ThreadPoolExecutor(processes) if processes > 1 else None
        writer = TypesenseWriter(self.client, self, pool)
        try:
            yield writer
            writer.flush(wait=True)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def leader_first(client: TypesenseClient) -> TypesenseClient:
    """`client` asking the leader first, when there is one (see the module's docstring). Refuses a
    cluster that cannot be used at all (no node answers, or the key is wrong) at once, and waits for
    nodes that still apply queued writes (`settled`)."""
    health = settled(client, cluster_health(client))  # raises for a wrong key: /debug needs it
    leader = health.leader
    node = next((node for node in client.nodes if str(node) == leader), None)
    return client if node is None else client.preferring(node)


def settled(client: TypesenseClient, health: ClusterHealth, wait_s: float = SETTLE_WAIT_S) -> ClusterHealth:
    """`health` once no reachable node has queued writes left to apply, waiting up to `wait_s`.

    After a restart a node serves the aliases while it still applies the imports it queued (measured
    at 116,402 posts: a third of the documents missing for minutes). A run that read the cluster's
    manifest then would take those documents for new files and index them again."""
    deadline = time.monotonic() + wait_s
    while True:
        if not any(node.reachable for node in health.nodes):
            raise ClusterError(ClusterProblem.UNREACHABLE, nodes=", ".join(str(node) for node in client.nodes))
        busy = [node for node in health.nodes if node.reachable and node.pending_writes]
        if not busy:
            return health
        if time.monotonic() > deadline:
            pending = sum(node.pending_writes for node in busy)
            raise ClusterError(ClusterProblem.CATCHING_UP, pending=pending, nodes=", ".join(n.node for n in busy))
        time.sleep(SETTLE_POLL_S)
        health = cluster_health(client)


class TypesenseBackend(RunState):
    """The cluster an indexing run writes to; `root` holds the run's lock, state files and OCR cache."""

    prepare = staticmethod(prepare_records)

    def __init__(self, root: Path, config: TypesenseEngine) -> None:
        super().__init__(root)
        self.config = config
        self.prefix = config.prefix

    @contextmanager
    def run_lock(self, wait_s: float = 0.0) -> Iterator[None]:
        """The run's lock, after the cluster was found usable: a wrong key or a cluster that is down
        leaves even the local folder untouched."""
        _ = self.client  # asks the cluster (see `client`)
        with super().run_lock(wait_s):
            yield

    @cached_property
    def client(self) -> TypesenseClient:
        """Asked for on first use: opening the backend touches nothing."""
        return leader_first(TypesenseClient.from_config(self.config))

    def _served(self) -> tuple[str, str]:
        """The served documents and pages builds; refused in Dutch when missing or of another revision."""
        documents, pages = (served_collection(self.client, spec, self.prefix) for spec in (DOCUMENTS, PAGES))
        return documents, pages

    def is_current(self) -> bool:
        try:
            self._served()
        except ClusterError as exc:
            if exc.problem in (ClusterProblem.MISSING_COLLECTION, ClusterProblem.STALE_SCHEMA):
                return False
            raise
        return True

    def live(self) -> TypesenseBuild:
        return TypesenseBuild(self.client, *self._served(), fresh=False, prefix=self.prefix)

    def new_index(self) -> TypesenseBuild:
        documents = create_build(self.client, DOCUMENTS, self.prefix)
        pages = create_build(self.client, PAGES, self.prefix)
        return TypesenseBuild(self.client, documents, pages, fresh=True, prefix=self.prefix)

    def activate(self, index: TypesenseBuild) -> None:
        """Serve the new build (pages first, so a document found is found with its pages), then drop the
        older builds, except those served until now: a reader on a lagging node may still be on them."""
        before = set(aliases(self.client).values())
        switch_alias(self.client, PAGES, index.pages, self.prefix)
        switch_alias(self.client, DOCUMENTS, index.documents, self.prefix)
        for spec in (DOCUMENTS, PAGES):
            for name in unserved_builds(self.client, spec, self.prefix):
                if name not in before and name not in (index.documents, index.pages):
                    drop_collection(self.client, name)

    def discard_abandoned(self) -> None:
        """Drop builds newer than the served ones: rebuilds killed before they switched over. Call it
        holding `run_lock`: only a run holding it fills a build."""
        served = aliases(self.client)
        for spec in (DOCUMENTS, PAGES):
            current = served.get(spec.alias(self.prefix), "")
            for name in unserved_builds(self.client, spec, self.prefix):
                if name[-_STAMP_CHARS:] > current[-_STAMP_CHARS:]:
                    drop_collection(self.client, name)
