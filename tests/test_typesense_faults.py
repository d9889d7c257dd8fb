"""Nodes that fail under a real three-node cluster: a killed follower is passed over and catches up,
and without a majority writes and reads are refused in Dutch and nothing is lost. Each test leaves the
cluster healthy again."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from indexer.backends.config import TypesenseEngine
from indexer.backends.typesense.client import Timeouts, TypesenseClient
from indexer.backends.typesense.cluster import cluster_health
from indexer.backends.typesense.collections import DOCUMENTS, create_build, import_documents
from indexer.backends.typesense.errors import ClusterError, ClusterProblem
from indexer.config import DATA_ENV
from indexer.corpus import audit, journal
from indexer.corpus.curation import CurationError
from indexer.corpus.curation_service import KEPT_CHANGES, Curator, NotIndexedYet
from indexer.corpus.layout import CorpusLayout
from search_app import create_app
from search_app.accounts import EDITOR, Accounts
from search_app.launcher import HOST, free_port, running
from tests.conftest import settled
from tests.test_staff import PASSWORD, csrf, login, review_form
from tests.test_staff import upload as upload_files
from tests.typesense_cluster import LocalCluster
from tests.typesense_support import (
    NEIGHBOUR_NOTE,
    cluster_env,
    document,
    engine_setting,
    eventually,
    kennisbank,
    leader_node,
    manifest,
    refusal,
    reindex,
    search,
)

SEARCHERS = 8
STAFF_UPLOADS = 4


def test_a_killed_node_is_passed_over_and_catches_up_after_its_restart(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster
) -> None:
    follower = next(i for i, node in enumerate(cluster_health(cluster_client).nodes) if node.role == "follower")
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    typesense_cluster.kill(follower)
    try:
        health = cluster_health(cluster_client)
        assert not health.nodes[follower].reachable and health.quorum
        import_documents(cluster_client, build, [document(f"d{i}", "veiligheid") for i in range(5)])
        for _ in range(len(cluster_client.nodes) + 1):
            assert eventually(lambda: search(cluster_client, build, "veiligheid"), lambda ids: len(ids) == 5)
    finally:
        typesense_cluster.start(follower)
        typesense_cluster.wait_until_healthy()
    restarted = typesense_cluster.nodes[follower]
    count = eventually(
        lambda: cluster_client.on_node(restarted, "GET", f"/collections/{build}")["num_documents"], lambda n: n == 5
    )
    assert count == 5, "the restarted node has the documents written while it was down"


def test_without_a_majority_writes_and_reads_are_refused_and_nothing_is_lost(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster
) -> None:
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    import_documents(cluster_client, build, [document("blijft", "archief")])
    nodes = typesense_cluster.nodes
    eventually(
        lambda: [cluster_client.on_node(node, "GET", f"/collections/{build}")["num_documents"] for node in nodes],
        lambda counts: counts == [1, 1, 1],
    )
    leader = next(i for i, node in enumerate(cluster_health(cluster_client).nodes) if node.role == "leader")
    others = [i for i in range(len(nodes)) if i != leader]
    impatient = TypesenseClient(nodes, typesense_cluster.api_key, Timeouts(read_s=3.0))
    for index in others:
        typesense_cluster.kill(index)
    try:
        write = refusal(lambda: import_documents(impatient, build, [document("later", "archief")]))
        assert str(write).startswith("Het Typesense-cluster heeft geen leider")
        assert "Wijzigingen worden geweigerd" in str(write)
        read = refusal(lambda: search(impatient, build, "archief"))
        assert "Zoeken en lezen kan nu niet" in str(read)
        assert not cluster_health(cluster_client).quorum
    finally:
        for index in others:
            typesense_cluster.start(index)
        typesense_cluster.wait_until_healthy()
    # A write the cluster refused may still be applied once the majority is back (Raft keeps it in the
    # leader's log); what was written before is there, and the cluster takes writes again.
    import_documents(cluster_client, build, [document("daarna", "archief")])
    assert {"blijft", "daarna"} <= set(
        eventually(lambda: search(cluster_client, build, "archief"), lambda ids: "daarna" in ids)
    )


@contextmanager
def majority_lost(typesense_cluster: LocalCluster, cluster: TypesenseEngine) -> Iterator[None]:
    """Two of the three nodes killed (not the leader) until the survivor refuses to answer; started
    again afterwards, and the cluster healthy before the test goes on."""
    nodes = typesense_cluster.nodes
    leader = nodes.index(leader_node(TypesenseClient.from_config(cluster)))
    others = [index for index in range(len(nodes)) if index != leader]
    for index in others:
        typesense_cluster.kill(index)
    try:
        impatient = TypesenseClient(nodes, typesense_cluster.api_key, Timeouts(read_s=3.0))
        refusal(lambda: search(impatient, DOCUMENTS.alias(cluster.prefix), "fiets"))
        yield
    finally:
        for index in others:
            typesense_cluster.start(index)
        typesense_cluster.wait_until_healthy()


def _indexed_bike_note(docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine) -> tuple[Path, Path]:
    """A corpus of one note indexed into the cluster: (state folder, data folder)."""
    (docs / "fietsdiefstal.md").write_text("# Fietsdiefstal\n\nFietsen verdwijnen bij het station.\n")
    state, data = tmp_path / "state", tmp_path / "data"
    reindex(corpus, state, cluster)
    return state, data


def test_an_upload_refused_without_a_majority_is_kept_and_indexed_once_after_recovery(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine, typesense_cluster: LocalCluster
) -> None:
    state, data = _indexed_bike_note(docs, corpus, tmp_path, cluster)
    note = tmp_path / "Melding burenruzie.md"
    note.write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    env = {**cluster_env(cluster), "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(state)}
    env[DATA_ENV] = str(data)
    with majority_lost(typesense_cluster, cluster):
        refused = kennisbank("toevoegen", "--engine", engine_setting(cluster), str(note), env=env)
    # The member of staff reads in one line that the file is kept and need not be sent again.
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    (line,) = refused.stderr.strip().splitlines()
    assert "‘melding-burenruzie.md’ is bewaard in de kennisbank, maar is nog niet doorzoekbaar" in line, line
    assert "Voeg het niet opnieuw toe" in line and "Het Typesense-cluster heeft geen leider" in line
    assert (docs / "melding-burenruzie.md").read_text(encoding="utf-8") == NEIGHBOUR_NOTE
    # Sent again all the same once the cluster is back: the kept file is indexed, and not added twice.
    again = kennisbank("toevoegen", "--engine", engine_setting(cluster), str(note), env=env)
    assert "staat al in de kennisbank als ‘melding-burenruzie.md’" in again.stderr, again.stderr
    assert sorted(manifest(state, cluster)) == ["fietsdiefstal.md", "melding-burenruzie.md"]
    assert sorted(path.name for path in docs.iterdir() if not path.name.endswith(".meta.yaml")) == [
        "fietsdiefstal.md",
        "melding-burenruzie.md",
    ]
    logged = [entry.document for entry in audit.entries(data / audit.STAFF_DB_FILE) if entry.action == "toegevoegd"]
    assert logged == ["melding-burenruzie.md"]
    settled(cluster)
    found = kennisbank("search", "--engine", engine_setting(cluster), "--json", "burenruzie", env=env)
    assert [hit["id"] for hit in json.loads(found.stdout)["hits"]] == ["melding-burenruzie"], found.stderr


def test_the_staff_pages_keep_an_upload_in_review_while_the_cluster_has_no_majority(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine, typesense_cluster: LocalCluster
) -> None:
    state, data = _indexed_bike_note(docs, corpus, tmp_path, cluster)
    Accounts(data / audit.STAFF_DB_FILE).add("redacteur", PASSWORD, EDITOR)
    app = create_app(
        {"CORPUS": corpus, "INDEX": state, "ENGINE": cluster, "DATA_DIR": data, "TESTING": True,
         "SESSION_COOKIE_SECURE": False}
    )  # fmt: skip
    client = app.test_client()
    login(client)
    review_url = upload_files(client, [(NEIGHBOUR_NOTE.encode(), "Melding burenruzie.md")]).headers["Location"]
    form = review_form(client, review_url)
    with majority_lost(typesense_cluster, cluster):
        refused = client.post(review_url, data=form)
    # The review reads the index first: the page says to try again, and the upload waits in review.
    assert refused.status_code == 503
    assert "Probeer het over een paar minuten opnieuw" in BeautifulSoup(refused.data, "html.parser").get_text()
    assert not (docs / "melding-burenruzie.md").exists()
    page = eventually(
        lambda: client.post(review_url, data=form, follow_redirects=True), lambda done: done.status_code == 200
    )
    assert "is toegevoegd en doorzoekbaar" in BeautifulSoup(page.data, "html.parser").get_text()
    assert sorted(manifest(state, cluster)) == ["fietsdiefstal.md", "melding-burenruzie.md"]


ACTOR = "redacteur"
NEW_BIKE_NOTE = "# Fietsdiefstal\n\nFietsen en e-bikes verdwijnen bij het station.\n"
NEW_BIKE_SHA256 = hashlib.sha256(NEW_BIKE_NOTE.encode()).hexdigest()
Manifest = dict[str, tuple[str, str, str, str]]


@dataclass(frozen=True)
class StaffChange:
    """A staff change besides an upload, as the staff pages make it through the Curator."""

    action: str  # its audit action
    document: str  # the path it names in its line and in the audit log
    run: Callable[[Curator, str], object]  # given the recycle folder's name of the removed neighbour note
    made: Callable[[Manifest], bool]  # the index holds the change
    again: str  # what sending it again says, once it is made ("" for nothing)


STAFF_CHANGES = [
    StaffChange(
        "gewijzigd",
        "fietsdiefstal.md",
        lambda curator, _: curator.edit(
            "fietsdiefstal.md", {"titel": "Fietsen weg"}, ACTOR, {"titel": "Fietsdiefstal"}
        ),
        lambda indexed: indexed["fietsdiefstal.md"][3] == "Fietsen weg",
        "",
    ),
    StaffChange(
        "vervangen",
        "fietsdiefstal.md",
        lambda curator, _: curator.replace(
            "fietsdiefstal.md", curator.stage(NEW_BIKE_NOTE.encode(), "fietsdiefstal.md", ACTOR), ACTOR
        ),
        lambda indexed: indexed["fietsdiefstal.md"][1] == NEW_BIKE_SHA256,
        "‘fietsdiefstal.md’ is al dit bestand; er is niets vervangen.",
    ),
    StaffChange(
        "verwijderd",
        "fietsdiefstal.md",
        lambda curator, _: curator.remove("fietsdiefstal.md", ACTOR),
        lambda indexed: "fietsdiefstal.md" not in indexed,
        "Dit document bestaat niet (meer) in het corpus. Vernieuw de pagina.",
    ),
    StaffChange(
        "teruggezet",
        "melding-burenruzie.md",
        lambda curator, trashed: curator.restore(trashed, ACTOR),
        lambda indexed: "melding-burenruzie.md" in indexed,
        "Dit document staat niet (meer) in de prullenbak.",
    ),
]


def _bike_note_and_removed_neighbour(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine
) -> tuple[Path, Path, Curator, str]:
    """The bike note indexed, and the neighbour note indexed and then removed: (state folder, data
    folder, the Curator, the neighbour note's name in the recycle folder)."""
    (docs / "melding-burenruzie.md").write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    state, data = _indexed_bike_note(docs, corpus, tmp_path, cluster)
    curator = Curator(CorpusLayout(corpus), state, data, cluster)
    curator.remove("melding-burenruzie.md", "beheerder")
    (trashed,) = [item.name for item in curator.trash()]
    return state, data, curator, trashed


def logged_entries(data: Path, change: StaffChange) -> list[audit.AuditEntry]:
    """The audit log's entries of `change`."""
    entries = audit.entries(data / audit.STAFF_DB_FILE)
    return [entry for entry in entries if (entry.action, entry.document) == (change.action, change.document)]


@pytest.mark.parametrize("change", STAFF_CHANGES, ids=lambda change: change.action)
def test_a_staff_change_refused_without_a_majority_is_kept_and_made_once_after_recovery(
    change: StaffChange,
    docs: Path,
    corpus: Path,
    tmp_path: Path,
    cluster: TypesenseEngine,
    typesense_cluster: LocalCluster,
) -> None:
    state, data, curator, trashed = _bike_note_and_removed_neighbour(docs, corpus, tmp_path, cluster)
    records = CorpusLayout(corpus).root / journal.JOURNAL_DIR

    with majority_lost(typesense_cluster, cluster), pytest.raises(NotIndexedYet) as refused:
        change.run(curator, trashed)
    # One line says what was kept and not to do it again; the journal holds the change, the log waits for it.
    (line,) = str(refused.value).splitlines()
    kept, not_again = KEPT_CHANGES[change.action]
    assert line.startswith(kept.format(document=change.document)), line
    assert not_again in line and "Het Typesense-cluster heeft geen leider" in line, line
    assert len(list(records.glob("*.json"))) == 1 and logged_entries(data, change) == []
    # Sent again once the cluster is back (the website kept running): the kept change is indexed and
    # logged first, and sending it again makes and logs nothing more.
    if change.again:
        with pytest.raises(CurationError) as again:
            change.run(curator, trashed)
        assert str(again.value) == change.again
    else:
        change.run(curator, trashed)
    assert change.made(manifest(state, cluster)), manifest(state, cluster)
    assert not list(records.glob("*.json")) and len(logged_entries(data, change)) == 1, logged_entries(data, change)
    journal.catch_up(curator.places)  # and the next start of the website finds nothing left to do
    assert change.made(manifest(state, cluster)) and len(logged_entries(data, change)) == 1


# The staff pages' form for each change: (address, form fields besides the CSRF token, whether the page
# reads the document from the index before it changes anything). "{trashed}" is the recycle folder's
# name of the removed neighbour note.
STAFF_FORMS = {
    "gewijzigd": ("/beheer/document/fietsdiefstal", {"titel": "Fietsen weg", "soort": "rapport"}, True),
    "vervangen": ("/beheer/document/fietsdiefstal/vervangen", {"bestand": NEW_BIKE_NOTE.encode()}, True),
    "verwijderd": ("/beheer/document/fietsdiefstal/verwijderen", {}, True),
    "teruggezet": ("/beheer/prullenbak/{trashed}/terugzetten", {}, False),
}


@pytest.mark.parametrize("change", STAFF_CHANGES, ids=lambda change: change.action)
def test_the_staff_pages_without_a_majority_change_nothing_or_say_what_was_kept(
    change: StaffChange,
    docs: Path,
    corpus: Path,
    tmp_path: Path,
    cluster: TypesenseEngine,
    typesense_cluster: LocalCluster,
) -> None:
    state, data, _, trashed = _bike_note_and_removed_neighbour(docs, corpus, tmp_path, cluster)
    Accounts(data / audit.STAFF_DB_FILE).add(ACTOR, PASSWORD, EDITOR)
    app = create_app(
        {"CORPUS": corpus, "INDEX": state, "ENGINE": cluster, "DATA_DIR": data, "TESTING": True,
         "SESSION_COOKIE_SECURE": False}
    )  # fmt: skip
    client = app.test_client()
    login(client)
    url, fields, reads_index_first = STAFF_FORMS[change.action]
    url = url.format(trashed=trashed)
    token = csrf(client, "/beheer/prullenbak")
    before = sorted(path.name for path in docs.iterdir())

    def send():
        sent = {
            name: (io.BytesIO(value), "fietsdiefstal.md") if isinstance(value, bytes) else value
            for name, value in fields.items()
        }
        return client.post(url, data={"csrf_token": token, **sent}, content_type="multipart/form-data")

    with majority_lost(typesense_cluster, cluster):
        refused = send()
    shown = BeautifulSoup(
        client.get(refused.headers["Location"]).data if refused.status_code == 302 else refused.data, "html.parser"
    ).get_text()
    if reads_index_first:  # that read is refused: nothing is changed, and the page says to try again
        assert refused.status_code == 503 and "Probeer het over een paar minuten opnieuw" in shown
        assert sorted(path.name for path in docs.iterdir()) == before
    else:  # the change is made and its index step refused: the next page says so in one line
        kept, not_again = KEPT_CHANGES[change.action]
        assert kept.format(document=change.document) in shown and not_again in shown, shown
    # Sent again once the cluster is back: the change is made once and logged once.
    eventually(send, lambda response: response.status_code == 302)
    assert change.made(manifest(state, cluster)), manifest(state, cluster)
    assert len(logged_entries(data, change)) == 1, logged_entries(data, change)
    assert not list((corpus / journal.JOURNAL_DIR).glob("*.json"))


def test_a_write_while_the_leader_changes_waits_for_the_new_leader(
    cluster_client: TypesenseClient, collection_prefix: str, typesense_cluster: LocalCluster
) -> None:
    build = create_build(cluster_client, DOCUMENTS, collection_prefix)
    nodes = typesense_cluster.nodes
    eventually(
        lambda: [cluster_client.on_node(node, "GET", f"/collections/{build}")["num_documents"] for node in nodes],
        lambda counts: counts == [0, 0, 0],
    )
    leader = nodes.index(leader_node(cluster_client))
    typesense_cluster.kill(leader)
    try:
        # The followers forward writes to the dead leader until they elect a new one (about 8 s here):
        # without waiting for that, the write is refused as by a cluster without a leader.
        hasty = TypesenseClient(nodes, typesense_cluster.api_key, Timeouts(write_failover_s=0.0))
        with pytest.raises(ClusterError) as refused:
            import_documents(hasty, build, [document("tijdens", "archief")])
        assert refused.value.problem is ClusterProblem.NO_QUORUM, str(refused.value)
        assert "Wijzigingen worden geweigerd" in str(refused.value)
        # The client as the Kennisbank makes it waits for the new leader, and the write goes through.
        import_documents(TypesenseClient.from_config(typesense_cluster.config), build, [document("tijdens", "archief")])
        assert cluster_health(cluster_client).leader not in (None, str(nodes[leader]))
    finally:
        typesense_cluster.start(leader)
        typesense_cluster.wait_until_healthy()
    assert eventually(lambda: search(cluster_client, build, "archief"), lambda ids: ids == ["tijdens"]) == ["tijdens"]


class Searchers:
    """`clients` threads searching without pause until stopped; each outcome is counted under the phase
    the test had set when it came back (`before`, `failover`, `after`), never under a clock."""

    def __init__(self, search_once: Callable[[], None], clients: int) -> None:
        self.search_once = search_once
        self.phase = "before"
        self.outcomes: Counter[tuple[str, bool]] = Counter()
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run) for _ in range(clients)]

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.search_once()
                ok, error = True, ""
            except (OSError, LookupError, ValueError) as exc:  # HTTP errors, no answer, no hits, not JSON
                ok, error = False, repr(exc)
            with self._lock:
                self.outcomes[self.phase, ok] += 1
                if error:
                    self.errors.append(f"{self.phase}: {error}")

    def __enter__(self) -> Searchers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def website_search(base_url: str, words: str) -> Callable[[], None]:
    """One search as a reader's browser or a script sends it: `/api/zoeken`, which must answer with hits."""

    def search_once() -> None:
        with urllib.request.urlopen(f"{base_url}/api/zoeken?{urlencode({'q': words})}", timeout=60) as answer:
            if not json.load(answer)["hits"]:
                raise LookupError(f"no hits for {words!r}")

    return search_once


def test_a_killed_leader_under_searches_and_uploads_loses_nothing_and_catches_up(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine, typesense_cluster: LocalCluster
) -> None:
    (docs / "fietsdiefstal.md").write_text("# Fietsdiefstal\n\nFietsen verdwijnen bij het station.\n")
    state = tmp_path / "state"
    reindex(corpus, state, cluster)
    client = TypesenseClient.from_config(cluster)
    alias = DOCUMENTS.alias(cluster.prefix)
    notes = [tmp_path / f"Melding {number}.md" for number in range(STAFF_UPLOADS)]
    for number, note in enumerate(notes):
        note.write_text(f"# Melding {number}\n\nFietsen verdwijnen bij het station, melding {number}.\n")
    env = {**cluster_env(cluster), "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(state)}
    uploads: list[subprocess.CompletedProcess] = []
    first_upload_done = threading.Event()

    def staff() -> None:
        for note in notes:
            uploads.append(kennisbank("toevoegen", "--engine", engine_setting(cluster), str(note), env=env))
            first_upload_done.set()

    port = free_port()
    serve = [sys.executable, "-m", "search_app.main", "serve", "--engine", engine_setting(cluster)]
    serve += ["--port", str(port), "--data", str(tmp_path / "data")]
    leader = typesense_cluster.nodes.index(leader_node(client))
    member_of_staff = threading.Thread(target=staff)
    with (
        running(serve, port, env={**os.environ, **env}),
        Searchers(website_search(f"http://{HOST}:{port}", "fietsen"), SEARCHERS) as searches,
    ):
        eventually(lambda: searches.outcomes["before", True], lambda done: done >= SEARCHERS)
        member_of_staff.start()
        first_upload_done.wait()
        searches.phase = "failover"
        typesense_cluster.kill(leader)
        try:
            eventually(lambda: cluster_health(client), lambda health: health.quorum and health.leader is not None)
            searches.phase = "after"
            eventually(lambda: searches.outcomes["after", True], lambda done: done >= 10 * SEARCHERS)
            member_of_staff.join()
        finally:
            typesense_cluster.start(leader)
            typesense_cluster.wait_until_healthy()
    assert searches.outcomes["after", False] == 0, searches.errors[-5:]
    assert searches.outcomes["after", True] >= 10 * SEARCHERS
    for upload in uploads:  # one refused in the failover window says so in one line
        assert upload.returncode == 0 or len(upload.stderr.strip().splitlines()) == 1, upload.stderr
        assert "Traceback" not in upload.stderr
    # A refused upload was told to its member of staff, who sends it again after the failover: one whose
    # file was taken back is added now. One whose file stayed in the corpus (its publication was left
    # half done) is indexed by the catch-up that `kennisbank serve` runs at its start, or `kennisbank index`.
    for number, upload in enumerate(uploads):
        if upload.returncode != 0 and not (docs / f"melding-{number}.md").exists():
            again = kennisbank("toevoegen", "--engine", engine_setting(cluster), str(notes[number]), env=env)
            assert again.returncode == 0, again.stderr
    catch_up = kennisbank("index", "--engine", engine_setting(cluster), env=env)
    assert catch_up.returncode == 0, catch_up.stderr
    indexed = manifest(state, cluster)
    assert all(f"melding-{number}.md" in indexed for number in range(STAFF_UPLOADS)), sorted(indexed)
    expected = 1 + STAFF_UPLOADS
    for node in typesense_cluster.nodes:
        count = eventually(
            lambda node=node: client.on_node(node, "GET", f"/collections/{alias}")["num_documents"],
            lambda found: found == expected,
        )
        assert count == expected, f"{node} caught up with every upload"
