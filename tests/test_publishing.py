"""Publishing from the staff pages: nothing left behind, nothing lost, every name restorable."""

from __future__ import annotations

import fcntl
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.backends.run_state import RUN_LOCK_FILE
from indexer.backends.whoosh.documents import get_document
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus import audit, journal, review, staging
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.corpus.metadata import write_sidecar
from indexer.indexing.pipeline import run_index
from search_app.accounts import EDITOR, Accounts
from search_app.launcher import HOST, free_port, running
from tests.builders import write_pdf
from tests.test_staff import PASSWORD, csrf, login, publish, site, upload  # noqa: F401 - `site` is a fixture used below

# Upper bound for one request, or for a publication to reach its observable point.
HTTP_TIMEOUT_S = 60
# Browsers ignore a cookie whose name, value and attributes exceed 4096 bytes.
BROWSER_COOKIE_LIMIT = 4096


@pytest.fixture
def staff(site):  # noqa: F811 - the app, corpus and data folder of tests/test_staff.py
    return site


TEXT = "Factsheet over de aanpak van woonoverlast en de rol van de wijkagent bij signalen in de buurt."


@pytest.mark.parametrize("name", ["Rapport (concept) & bijlage.pdf", "verslag 2024 (v2).pdf", "a&b.pdf"])
def test_a_removed_document_with_any_name_can_be_restored(staff, name: str) -> None:
    app, corpus, _ = staff
    write_pdf(corpus / "documenten" / name, [[TEXT] * 3])
    run_index(corpus, app.config["INDEX"])
    client = app.test_client()
    login(client)
    hit = client.get("/api/zoeken?q=woonoverlast").get_json()["hits"][0]
    token = csrf(client, "/beheer/prullenbak")
    client.post(f"/beheer/document/{hit['id']}/verwijderen", data={"csrf_token": token})
    assert client.get("/api/zoeken?q=woonoverlast").get_json()["total"] == 0

    trash = BeautifulSoup(client.get("/beheer/prullenbak").data, "html.parser")
    (action,) = [form["action"] for form in trash.select("form[action*=terugzetten]")]
    restored = client.post(action, data={"csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "is teruggezet" in restored
    assert (corpus / "documenten" / name).exists()
    assert not list((corpus / "_prullenbak").iterdir()), "nothing stays behind in the recycle folder"
    assert client.get("/api/zoeken?q=woonoverlast").get_json()["hits"][0]["id"] == hit["id"]


@pytest.mark.parametrize("name", ["..", "../documenten/x", "%2e%2e", "niet-bestaand"])
def test_restore_refuses_names_that_are_not_in_the_trash(staff, name: str) -> None:
    app, corpus, _ = staff
    client = app.test_client()
    login(client)
    token = csrf(client, "/beheer/prullenbak")
    page = client.post(f"/beheer/prullenbak/{name}/terugzetten", data={"csrf_token": token}, follow_redirects=True)
    assert page.status_code in (200, 404)
    if page.status_code == 200:
        assert "staat niet (meer) in de prullenbak" in page.get_data(as_text=True)
    assert sorted(p.name for p in (corpus / "documenten").iterdir()) == ["factsheet-loverboys.pdf"]


def _corpus_files(corpus) -> list[str]:
    return sorted(path.relative_to(corpus).as_posix() for path in corpus.rglob("*") if path.is_file())


def test_publishing_a_duplicate_is_refused_with_a_link_and_leaves_nothing_behind(staff) -> None:
    app, corpus, data = staff
    client = app.test_client()
    login(client)
    before = _corpus_files(corpus / "documenten")
    original = (corpus / "documenten" / "factsheet-loverboys.pdf").read_bytes()
    response = upload(client, [(original, "Kopie van factsheet.pdf")])
    page = publish(client, response, titel="Kopie", actie="publiceren")
    text = BeautifulSoup(page.data, "html.parser")
    assert "is toegevoegd" not in page.get_data(as_text=True)
    assert "niet nog eens toegevoegd" in text.select_one(".notice.error").get_text()
    assert text.select_one(".notice.warning a")["href"] == "/document/factsheet-loverboys"
    assert _corpus_files(corpus / "documenten") == before, "no copy and no sidecar in the corpus"
    assert not run_index(corpus, app.config["INDEX"]).duplicates

    cancelled = client.post(
        response.headers["Location"], data={"csrf_token": csrf(client, "/beheer/toevoegen"), "actie": "annuleren"}
    )
    assert cancelled.status_code == 302
    assert not list((data / "staging").iterdir()), "the cancelled upload is gone from the staging folder"


def test_a_duplicate_can_update_the_existing_document_instead(staff) -> None:
    app, corpus, data = staff
    client = app.test_client()
    login(client)
    original = (corpus / "documenten" / "factsheet-loverboys.pdf").read_bytes()
    response = upload(client, [(original, "kopie.pdf")])
    review = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    assert review.select_one("button[value=vervangen]") is not None
    assert review.select_one("button[value=publiceren]") is None
    done = publish(client, response, titel="Factsheet loverboys (2026)", actie="vervangen")
    assert "het bestaande document is bijgewerkt" in done.get_data(as_text=True)
    assert client.get("/api/document/factsheet-loverboys").get_json()["title"] == "Factsheet loverboys (2026)"
    assert _corpus_files(corpus / "documenten") == ["factsheet-loverboys.pdf", "factsheet-loverboys.pdf.meta.yaml"]
    assert not list((data / "staging").iterdir())
    entry = audit.entries(data / audit.STAFF_DB_FILE)[0]
    assert (entry.action, entry.document) == ("gewijzigd", "factsheet-loverboys.pdf")


BATCH = 150


def test_a_large_batch_keeps_its_review_queue_on_the_server(staff) -> None:
    app, _, _ = staff
    client = app.test_client()
    login(client)
    files = [
        (f"Notitie {n} over buurtbemiddeling en woonoverlast in wijk {n}.".encode(), f"n{n}.txt") for n in range(BATCH)
    ]
    token = csrf(client, "/beheer/toevoegen")
    response = client.post(
        "/beheer/toevoegen",
        data={"csrf_token": token, "bestanden": [(io.BytesIO(content), name) for content, name in files]},
        content_type="multipart/form-data",
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert all(len(cookie) < BROWSER_COOKIE_LIMIT for cookie in cookies), "browsers drop cookies over 4 KB"
    first = response.headers["Location"]
    assert f"Nog {BATCH} bestand(en) te controleren" in client.get("/beheer/toevoegen").get_data(as_text=True)

    cancelled = client.post(first, data={"csrf_token": token, "actie": "annuleren"})
    second = cancelled.headers["Location"]
    assert second.startswith("/beheer/controleren/") and second != first
    assert f"Nog {BATCH - 1} bestand(en)" in client.get("/beheer/toevoegen").get_data(as_text=True)

    colleague = app.test_client()
    login(colleague, "beheerder")
    assert "te controleren" not in colleague.get("/beheer/toevoegen").get_data(as_text=True), "the queue is per user"


def test_the_review_reads_the_file_once(staff, monkeypatch) -> None:
    """A slow PDF took seconds on every view of its review page; the reading is kept instead."""
    app, corpus, _ = staff
    reads: list[Path] = []
    read = review.extract_all

    def counted(paths, *args, **kwargs):
        reads.extend(paths)
        return read(paths, *args, **kwargs)

    monkeypatch.setattr(review, "extract_all", counted)
    client = app.test_client()
    login(client)
    source = write_pdf(corpus.parent / "bron.pdf", [[TEXT] * 3, ["Tweede pagina over de wijkagent."]])
    response = upload(client, [(source.read_bytes(), "notitie.pdf")])
    pages = [_without_form_token(client.get(response.headers["Location"]).get_data(as_text=True)) for _ in range(3)]
    assert pages[0] == pages[2] and "woonoverlast" in pages[0]
    assert len(reads) == 1


def _without_form_token(page: str) -> str:
    """A page as a person reads it: the form's CSRF token carries the second it was made."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


class StaffBrowser:
    """A staff member over real HTTP: cookies kept, CSRF tokens read from the forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> BeautifulSoup:
        with self.opener.open(self.base + path, timeout=HTTP_TIMEOUT_S) as response:
            return BeautifulSoup(response.read(), "html.parser")

    def post(self, url: str, fields: dict, files: dict | None = None) -> tuple[str, BeautifulSoup]:
        """Post a form (multipart when there are files) to a path or URL; returns the final URL and page."""
        boundary = secrets.token_hex(16)
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, values in fields.items()
            for value in (values if isinstance(values, list) else [values])
        ) + b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
            for name, (filename, content) in (files or {}).items()
        )
        request = urllib.request.Request(
            urllib.parse.urljoin(self.base, url),
            data=body + f"--{boundary}--\r\n".encode(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with self.opener.open(request, timeout=HTTP_TIMEOUT_S) as response:
            return response.url, BeautifulSoup(response.read(), "html.parser")

    def login(self) -> None:
        token = self.get("/beheer/inloggen").select_one("input[name=csrf_token]")["value"]
        self.post("/beheer/inloggen", {"naam": "redacteur", "wachtwoord": PASSWORD, "csrf_token": token})


def _review_form(page: BeautifulSoup) -> dict:
    form = page.select_one("form.stacked-form")
    fields: dict = {"actie": "publiceren"}
    for element in form.select("input[name], textarea[name], select[name]"):
        if element.get("type") == "checkbox" and not element.has_attr("checked"):
            continue
        if element.name == "select":
            value = (element.select_one("option[selected]") or element.select_one("option"))["value"]
        else:
            value = element.get_text() if element.name == "textarea" else element.get("value", "")
        fields.setdefault(element["name"], []).append(value)
    return fields


def _kill_server(server: subprocess.Popen) -> None:
    """SIGKILL the server and its worker processes, as a power cut or the OOM killer would."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in [server.pid, *map(int, children)]:
        os.kill(pid, signal.SIGKILL)
    server.wait()


@contextmanager
def _held(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _serve_command(corpus: Path, index: Path, data: Path, port: int) -> list[str]:
    command = [sys.executable, "-m", "search_app.main", "serve", "--corpus", str(corpus), "--index", str(index)]
    return [*command, "--data", str(data), "--processen", "1", "--port", str(port)]


def _wait_until(condition) -> None:
    deadline = time.monotonic() + HTTP_TIMEOUT_S
    while not condition():
        assert time.monotonic() < deadline, "the publication never reached the corpus"
        time.sleep(0.01)


def test_a_publication_killed_before_indexing_is_finished_when_the_server_starts(tmp_path: Path) -> None:
    """The server is killed after the file reached the corpus and before it was indexed: the test
    holds the index's run lock, so the publication waits exactly there."""
    corpus, index, data = tmp_path / "corpus", tmp_path / "index", tmp_path / "data"
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, corpus / THEMES_DIR)
    (corpus / "documenten").mkdir()
    write_pdf(corpus / "documenten" / "bestaand.pdf", [["Bestaande notitie over buurtbemiddeling in de wijk."] * 3])
    run_index(corpus, index)
    Accounts(data / audit.STAFF_DB_FILE).add("redacteur", PASSWORD, EDITOR)
    source = write_pdf(tmp_path / "bron.pdf", [[TEXT] * 3], title="Handreiking woonoverlast")
    log = (tmp_path / "server.log").open("w", encoding="utf-8")
    port = free_port()
    with running(_serve_command(corpus, index, data, port), port, output=log) as server:
        staff = StaffBrowser(f"http://{HOST}:{port}")
        staff.login()
        token = staff.get("/beheer/toevoegen").select_one("input[name=csrf_token]")["value"]
        review_url, review = staff.post(
            "/beheer/toevoegen", {"csrf_token": token}, {"bestanden": ("wo.pdf", source.read_bytes())}
        )
        failures: list[OSError] = []

        def confirm() -> None:
            try:
                staff.post(review_url, _review_form(review))
            except OSError as cut_off:  # the server dies under the request
                failures.append(cut_off)

        with _held(index / RUN_LOCK_FILE):
            publishing = threading.Thread(target=confirm)
            publishing.start()
            _wait_until(lambda: (corpus / "documenten" / "wo.pdf").exists())
            _kill_server(server)
        publishing.join()
    assert failures, "the request was cut off by the kill"
    assert get_document(IndexStore(index).open(), "wo") is None, "killed between the corpus and the index"

    port = free_port()
    with running(_serve_command(corpus, index, data, port), port, output=log):
        staff = StaffBrowser(f"http://{HOST}:{port}")
        with staff.opener.open(f"{staff.base}/api/zoeken?q=woonoverlast", timeout=HTTP_TIMEOUT_S) as response:
            assert [hit["id"] for hit in json.load(response)["hits"]] == ["wo"]
        staff.login()
        assert staff.get("/beheer/document/wo").select_one("#titel")["value"] == "Handreiking woonoverlast"
    log.close()
    logged = [(entry.user, entry.action, entry.document) for entry in audit.entries(data / audit.STAFF_DB_FILE)]
    assert logged == [("redacteur", "toegevoegd", "wo.pdf")]
    assert not list((corpus / journal.JOURNAL_DIR).iterdir())


def test_the_next_index_run_finishes_a_publication_killed_before_indexing(staff) -> None:
    """Killed after the file reached the corpus, before it was indexed: the state is built with the
    real steps, stopped where the kill would stop them; `kennisbank index` finishes it as a start of
    the website would."""
    app, corpus, data = staff
    places = journal.Places(corpus, app.config["INDEX"], data / audit.STAFF_DB_FILE)
    with journal.Publication(places, "redacteur", "toegevoegd", "uit ‘notitie.txt’") as publication:
        publication.begin("notitie.txt")
        write_sidecar(corpus / "documenten" / "notitie.txt", {"titel": "Notitie woonoverlast"})
        (corpus / "documenten" / "notitie.txt").write_text(TEXT, encoding="utf-8")
    command = [sys.executable, "-m", "search_app.main", "index", "--corpus", str(corpus), "--data", str(data)]
    done = subprocess.run(
        [*command, "--index", str(app.config["INDEX"])], capture_output=True, text=True, timeout=300
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    finished = "AFGEROND   notitie.txt: de wijziging van een medewerker die wachtte, is nu doorzoekbaar en gelogd."
    assert finished in done.stdout.splitlines(), done.stdout
    logged = [(entry.user, entry.action, entry.document) for entry in audit.entries(data / audit.STAFF_DB_FILE)]
    assert logged == [("redacteur", "toegevoegd", "notitie.txt")]
    assert not list((corpus / journal.JOURNAL_DIR).iterdir())
    found = app.test_client().get("/api/zoeken?q=woonoverlast").get_json()
    assert [hit["id"] for hit in found["hits"]] == ["notitie"]


def test_a_publication_killed_before_its_file_moved_is_rolled_back(staff) -> None:
    """Killed after the sidecar was written, before the file moved: the state is built with the
    real steps, stopped where the kill would stop them."""
    app, corpus, data = staff
    client = app.test_client()
    login(client)
    token = upload(client, [(TEXT.encode(), "notitie.txt")]).headers["Location"].rsplit("/", 1)[1]
    places = journal.Places(corpus, app.config["INDEX"], data / audit.STAFF_DB_FILE)
    with journal.Publication(places, "redacteur", "toegevoegd", "uit ‘notitie.txt’") as publication:
        publication.begin("notitie.txt")
        write_sidecar(corpus / "documenten" / "notitie.txt", {"titel": "Notitie"})
    assert journal.recover(places) == journal.Recovered(rolled_back=("notitie.txt",))
    assert _corpus_files(corpus / "documenten") == ["factsheet-loverboys.pdf"], "no orphan sidecar"
    assert not list((corpus / journal.JOURNAL_DIR).iterdir())
    assert not audit.entries(data / audit.STAFF_DB_FILE)
    assert staging.queue(data / "staging", "redacteur") == [token], "the upload still waits for review"
