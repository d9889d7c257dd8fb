"""The curation service: one implementation of add, edit, replace, remove and restore, so the staff
pages and the command line change the corpus, the index and the audit log in the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.corpus import audit
from indexer.corpus.curation_service import Curator
from indexer.corpus.layout import CorpusLayout
from indexer.errors import Problem
from tests.builders import write_pdf
from tests.test_cli import kennisbank
from tests.test_staff import login, publish, site, upload  # noqa: F401 - `site` is a fixture used below

ACTOR = "opdrachtregel:tester"


def _handreiking(path: Path) -> Path:
    return write_pdf(
        path,
        [["Handreiking arbeidsuitbuiting: signalen bij uitzendbureaus en huisvesting van arbeidsmigranten."] * 4],
        title="Handreiking arbeidsuitbuiting",
    )


def _logged(data: Path) -> list[tuple[str, str, str, str]]:
    """The audit log, oldest first, without the times."""
    return [(e.user, e.action, e.document, e.detail) for e in reversed(audit.entries(data / audit.STAFF_DB_FILE))]


def test_the_command_line_and_the_staff_page_log_an_addition_alike(site, tmp_path: Path) -> None:  # noqa: F811
    app, corpus, data = site
    twin = tmp_path / "tweeling"  # the same corpus and index, for the command line
    shutil.copytree(corpus, twin / "corpus")
    shutil.copytree(tmp_path / "index", twin / "index")
    source = _handreiking(tmp_path / "Handreiking Arbeidsuitbuiting.pdf")

    client = app.test_client()
    login(client)
    done = publish(client, upload(client, [(source.read_bytes(), source.name)]))
    assert "is toegevoegd en doorzoekbaar" in done.get_data(as_text=True)
    env = {
        "KENNISBANK_CORPUS": str(twin / "corpus"),
        "KENNISBANK_INDEX": str(twin / "index"),
        "KENNISBANK_DATA": str(twin / "data"),
    }
    result = kennisbank("toevoegen", str(source), env=env)
    assert result.returncode == 0, result.stderr
    assert "Toegevoegd en doorzoekbaar: handreiking-arbeidsuitbuiting.pdf" in result.stdout

    added = ("toegevoegd", "handreiking-arbeidsuitbuiting.pdf", "uit ‘Handreiking Arbeidsuitbuiting.pdf’")
    assert _logged(data) == [("redacteur", *added)]
    [(user, *cli_entry)] = _logged(twin / "data")
    assert user.startswith("opdrachtregel:") and tuple(cli_entry) == added


def test_every_action_changes_corpus_index_and_log_together(site, tmp_path: Path) -> None:  # noqa: F811
    app, corpus, data = site
    curator = Curator(CorpusLayout(corpus), tmp_path / "index", data)
    client = app.test_client()

    def title(doc_id: str) -> str | None:
        response = client.get(f"/api/document/{doc_id}")
        return response.get_json()["title"] if response.status_code == 200 else None

    source = _handreiking(tmp_path / "Handreiking.pdf")
    published = curator.add(curator.stage(source.read_bytes(), source.name, ACTOR), {"titel": "Handreiking"}, ACTOR)
    assert (published.relative, published.failure) == ("handreiking.pdf", None)
    assert title("handreiking") == "Handreiking"

    curator.edit("handreiking.pdf", {"titel": "Handreiking (herzien)", "soort": "handreiking"}, ACTOR)
    assert title("handreiking") == "Handreiking (herzien)"

    new_version = write_pdf(tmp_path / "nieuw.pdf", [["Nieuwe versie over pooierboys en arbeidsuitbuiting."] * 3])
    curator.replace("handreiking.pdf", curator.stage(new_version.read_bytes(), "nieuw.pdf", ACTOR), ACTOR)
    assert client.get("/api/zoeken?q=pooierboys").get_json()["hits"][0]["id"] == "handreiking"

    curator.remove("handreiking.pdf", ACTOR)
    assert title("handreiking") is None
    removed = next(item for item in curator.trash() if item.original == "handreiking.pdf")
    assert curator.restore(removed.name, ACTOR) == "handreiking.pdf"
    assert title("handreiking") == "Handreiking (herzien)"

    assert [entry[1:3] for entry in _logged(data)] == [
        ("toegevoegd", "handreiking.pdf"),
        ("gewijzigd", "handreiking.pdf"),
        ("vervangen", "handreiking.pdf"),
        ("verwijderd", "handreiking.pdf"),
        ("teruggezet", "handreiking.pdf"),
    ]
    assert {entry[0] for entry in _logged(data)} == {ACTOR}


def test_an_addition_that_cannot_be_read_is_published_and_says_why(site, tmp_path: Path) -> None:  # noqa: F811
    _, corpus, data = site
    curator = Curator(CorpusLayout(corpus), tmp_path / "index", data)
    staged = curator.stage(b"Kort.", "kort.txt", ACTOR)
    published = curator.add(staged, {}, ACTOR)
    assert published.relative == "kort.txt" and (corpus / "documenten" / "kort.txt").is_file()
    assert published.failure is not None and published.failure.issue.problem is Problem.NO_CONTENT
    assert _logged(data)[-1][1:3] == ("toegevoegd", "kort.txt")
