"""Staff changes under a real three-node cluster without a majority: what the cluster refuses is kept
in the corpus and its journal, the member of staff reads one Dutch line, and after recovery the change
is made and logged once. Each test leaves the cluster healthy again."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from indexer.backends.config import TypesenseEngine
from indexer.backends.typesense.collections import DOCUMENTS
from indexer.config import DATA_ENV
from indexer.corpus import audit, journal
from indexer.corpus.curation import CurationError
from indexer.corpus.curation_service import KEPT_CHANGES, Curator, NotIndexedYet
from indexer.corpus.layout import CorpusLayout
from search_app import create_app
from search_app.accounts import EDITOR, Accounts
from tests.conftest import settled
from tests.test_staff import PASSWORD, csrf, login, review_form
from tests.test_staff import upload as upload_files
from tests.typesense_cluster import LocalCluster
from tests.typesense_support import (
    NEIGHBOUR_NOTE,
    cluster_env,
    engine_setting,
    eventually,
    kennisbank,
    majority_lost,
    manifest,
    refusal,
    reindex,
    search,
)

ACTOR = "redacteur"  # the member of staff making the changes


@contextmanager
def majority_lost_to_staff(typesense_cluster: LocalCluster, cluster: TypesenseEngine) -> Iterator[None]:
    """`majority_lost` until the survivor refuses to answer, as staff would then find it."""
    with majority_lost(typesense_cluster) as impatient:
        refusal(lambda: search(impatient, DOCUMENTS.alias(cluster.prefix), "fiets"))
        yield


def _indexed_bike_note(docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine) -> tuple[Path, Path]:
    """A corpus of one note indexed into the cluster: (state folder, data folder)."""
    (docs / "fietsdiefstal.md").write_text("# Fietsdiefstal\n\nFietsen verdwijnen bij het station.\n")
    state, data = tmp_path / "state", tmp_path / "data"
    reindex(corpus, state, cluster)
    return state, data


def _staff_client(corpus: Path, state: Path, data: Path, cluster: TypesenseEngine) -> FlaskClient:
    """The staff pages on the cluster, logged in as an editor."""
    Accounts(data / audit.STAFF_DB_FILE).add(ACTOR, PASSWORD, EDITOR)
    app = create_app(
        {"CORPUS": corpus, "INDEX": state, "ENGINE": cluster, "DATA_DIR": data, "TESTING": True,
         "SESSION_COOKIE_SECURE": False}
    )  # fmt: skip
    client = app.test_client()
    login(client)
    return client


def test_an_upload_refused_without_a_majority_is_kept_and_indexed_once_after_recovery(
    docs: Path, corpus: Path, tmp_path: Path, cluster: TypesenseEngine, typesense_cluster: LocalCluster
) -> None:
    state, data = _indexed_bike_note(docs, corpus, tmp_path, cluster)
    note = tmp_path / "Melding burenruzie.md"
    note.write_text(NEIGHBOUR_NOTE, encoding="utf-8")
    env = {**cluster_env(cluster), "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(state)}
    env[DATA_ENV] = str(data)
    with majority_lost_to_staff(typesense_cluster, cluster):
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
    client = _staff_client(corpus, state, data, cluster)
    review_url = upload_files(client, [(NEIGHBOUR_NOTE.encode(), "Melding burenruzie.md")]).headers["Location"]
    form = review_form(client, review_url)
    with majority_lost_to_staff(typesense_cluster, cluster):
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


@pytest.fixture
def neighbour_removed(
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
    change: StaffChange, neighbour_removed: tuple[Path, Path, Curator, str], corpus: Path, cluster: TypesenseEngine,
    typesense_cluster: LocalCluster,
) -> None:  # fmt: skip
    state, data, curator, trashed = neighbour_removed
    records = CorpusLayout(corpus).root / journal.JOURNAL_DIR

    with majority_lost_to_staff(typesense_cluster, cluster), pytest.raises(NotIndexedYet) as refused:
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
    change: StaffChange, neighbour_removed: tuple[Path, Path, Curator, str], docs: Path, corpus: Path,
    cluster: TypesenseEngine, typesense_cluster: LocalCluster,
) -> None:  # fmt: skip
    state, data, _, trashed = neighbour_removed
    client = _staff_client(corpus, state, data, cluster)
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

    with majority_lost_to_staff(typesense_cluster, cluster):
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
