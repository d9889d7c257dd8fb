"""Publishing from the staff pages: nothing left behind, nothing lost, every name restorable."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from indexer.pipeline import run_index
from tests.builders import write_pdf
from tests.test_staff import csrf, login, site  # noqa: F401 - `site` is a fixture used below


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
