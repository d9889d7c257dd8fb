"""The staff area's own pages: the recycle bin says which version is which and can be emptied after a
confirmation, the audit log shows what an edit changed and can be filtered and paged, and every member
of staff can change their own password."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from indexer.corpus import audit
from search_app.staff_log import ENTRIES_PER_PAGE
from tests.builders import write_pdf
from tests.test_staff import PASSWORD, csrf, login, site  # noqa: F401 - `site` is a fixture used below

DOCUMENT = "/beheer/document/factsheet-loverboys"
NEW_PASSWORD = "een-nieuw-lang-wachtwoord"
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
DUTCH_TIME = re.compile(rf"\d{{1,2}} ({MONTHS}) \d{{4}}, \d\d:\d\d")


def soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "html.parser")


def rows(page: BeautifulSoup) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]


def edit_title(client, title: str) -> None:
    client.post(
        DOCUMENT,
        data={"csrf_token": csrf(client, DOCUMENT), "titel": title, "soort": "factsheet", "datum": "2025-03-17"},
    )


def test_the_bin_tells_versions_apart_and_a_beheerder_empties_it_after_confirming(site, tmp_path) -> None:  # noqa: F811
    app, corpus, _ = site
    client = app.test_client()
    login(client, "beheerder")
    new_version = write_pdf(
        tmp_path / "nieuw.pdf",
        [[f"Pagina {n} van de nieuwe versie over loverboys en uitbuiting. " * 30] for n in range(6)],
    )
    token = csrf(client, DOCUMENT)
    client.post(
        f"{DOCUMENT}/vervangen",
        content_type="multipart/form-data",
        data={"csrf_token": token, "bestand": (new_version.open("rb"), "nieuw.pdf")},
    )
    client.post(f"{DOCUMENT}/verwijderen", data={"csrf_token": token})

    listed = rows(soup(client, "/beheer/prullenbak"))
    assert [row[:2] for row in listed] == [
        ["factsheet-loverboys.pdf", "Verwijderd document"],
        ["factsheet-loverboys.pdf", "Vorige versie (vervangen)"],
    ], "newest first, each saying why it is there"
    assert all(DUTCH_TIME.fullmatch(row[2]) and row[3] == "beheerder" for row in listed), listed
    assert listed[0][4] != listed[1][4], "the two versions differ in size"
    assert all(row[4].endswith(("bytes", "kB", "MB")) for row in listed)

    confirm = soup(client, "/beheer/prullenbak/legen")
    assert "2 bestanden" in confirm.select_one(".confirm").get_text()
    assert len(list((corpus / "_prullenbak").glob("*.json"))) == 2, "looking at the confirmation deletes nothing"
    response = client.post("/beheer/prullenbak/legen", data={"csrf_token": token}, follow_redirects=True)
    page = BeautifulSoup(response.data, "html.parser")
    assert "2 documenten zijn definitief weg" in page.select_one(".notice").get_text()
    assert "De prullenbak is leeg." in page.get_text()
    assert not [path for path in (corpus / "_prullenbak").iterdir() if not path.name.startswith(".")]
    assert audit.entries(app.extensions["kennisbank"].accounts.path)[0].action == "geleegd"


def test_an_edit_or_a_replacement_sent_again_is_made_and_logged_once(site, tmp_path) -> None:  # noqa: F811
    """What a member of staff does who is unsure whether a change went through (a refused index step)."""
    app, corpus, _ = site
    client = app.test_client()
    login(client)
    new_version = write_pdf(tmp_path / "nieuw.pdf", [["De nieuwe versie over loverboys en uitbuiting. " * 30]])
    for _ in range(2):
        edit_title(client, "Factsheet loverboys (herzien)")
        replaced = client.post(
            f"{DOCUMENT}/vervangen",
            content_type="multipart/form-data",
            data={"csrf_token": csrf(client, DOCUMENT), "bestand": (new_version.open("rb"), "nieuw.pdf")},
            follow_redirects=True,
        )
    notice = BeautifulSoup(replaced.data, "html.parser").select_one(".notice.error").get_text()
    assert notice == "‘factsheet-loverboys.pdf’ is al dit bestand; er is niets vervangen.", notice
    actions = [entry.action for entry in audit.entries(app.extensions["kennisbank"].accounts.path)]
    assert actions.count("gewijzigd") == 1 and actions.count("vervangen") == 1, actions
    assert len(list((corpus / "_prullenbak").glob("*.json"))) == 1, "the first version only"


def test_only_a_beheerder_may_empty_the_bin(site) -> None:  # noqa: F811
    app, _, _ = site
    client = app.test_client()
    login(client)
    assert not soup(client, "/beheer/prullenbak").select("a[href$='/legen']")
    assert client.get("/beheer/prullenbak/legen").status_code == 403
    assert client.post("/beheer/prullenbak/legen", data={"csrf_token": csrf(client, "/beheer")}).status_code == 403


def test_the_audit_log_shows_what_an_edit_changed_and_filters_by_user_action_and_day(site) -> None:  # noqa: F811
    app, _, _ = site
    editor = app.test_client()
    login(editor)
    edit_title(editor, "Factsheet loverboys (herzien)")
    admin = app.test_client()
    login(admin, "beheerder")

    logged = soup(admin, "/beheer/logboek?actie=gewijzigd")
    (row,) = rows(logged)
    assert row[1:4] == ["redacteur", "metadata gewijzigd", "factsheet-loverboys.pdf"]
    changes = [item.get_text() for item in logged.select("tbody .changes li")]
    assert any(re.fullmatch(r"titel: ‘.+’ → ‘Factsheet loverboys \(herzien\)’", change) for change in changes), changes
    assert any(re.fullmatch(r"datum: ‘.*’ → ‘2025-03-17’", change) for change in changes), changes
    assert DUTCH_TIME.fullmatch(row[0]), row[0]
    assert not any(change.startswith("soort:") for change in changes), "unchanged values are not listed"

    assert rows(soup(admin, "/beheer/logboek?gebruiker=redacteur&van=2000-01-01&tot=2999-12-31"))[0][1] == "redacteur"
    assert "met deze filters" in soup(admin, "/beheer/logboek?tot=2000-01-01").get_text(), "before anything happened"
    assert rows(soup(admin, "/beheer/logboek?gebruiker=niemand&van=gisteren&actie=onzin"))[0] == [
        "Geen regels met deze filters."
    ], "an unknown user filters to nothing; an unusable date or action is ignored"


def test_the_audit_log_is_paged_and_keeps_its_filters(site) -> None:  # noqa: F811
    app, _, data = site
    for number in range(ENTRIES_PER_PAGE + 5):
        audit.record(data / audit.STAFF_DB_FILE, "redacteur", "gewijzigd", f"document-{number}.pdf")
    client = app.test_client()
    login(client, "beheerder")
    first = soup(client, "/beheer/logboek?gebruiker=redacteur")
    assert len(rows(first)) == ENTRIES_PER_PAGE
    assert rows(first)[0][3] == f"document-{ENTRIES_PER_PAGE + 4}.pdf", "newest first"
    next_url = first.select_one("a[rel=next]")["href"]
    assert "gebruiker=redacteur" in next_url and "pagina=2" in next_url
    second = soup(client, next_url)
    assert [row[3] for row in rows(second)] == [f"document-{number}.pdf" for number in range(4, -1, -1)]
    assert "Pagina 2 van 2" in second.select_one(".pagination").get_text()
    response = client.get("/beheer/logboek?gebruiker=redacteur&pagina=9")
    assert response.status_code == 302 and "pagina=2" in response.headers["Location"]


def change_password(client, current: str, new: str, again: str):
    token = csrf(client, "/beheer/wachtwoord")
    form = {"csrf_token": token, "huidig": current, "nieuw": new, "herhaling": again}
    return client.post("/beheer/wachtwoord", data=form, follow_redirects=True)


def test_staff_change_their_own_password_with_dutch_messages(site) -> None:  # noqa: F811
    app, _, _ = site
    client = app.test_client()
    login(client)
    other_device = app.test_client()
    login(other_device)

    cases = [
        ("verkeerd-wachtwoord", NEW_PASSWORD, NEW_PASSWORD, "Uw huidige wachtwoord klopt niet."),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "De twee nieuwe wachtwoorden zijn niet gelijk."),
        (PASSWORD, "kort", "kort", "Kies een wachtwoord van minstens 12 tekens."),
        (PASSWORD, PASSWORD, PASSWORD, "Het nieuwe wachtwoord is gelijk aan het huidige."),
    ]
    for current, new, again, message in cases:
        response = change_password(client, current, new, again)
        assert response.status_code == 400
        assert message in BeautifulSoup(response.data, "html.parser").select_one(".notice.error").get_text()

    response = change_password(client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 200
    assert "Uw wachtwoord is gewijzigd" in BeautifulSoup(response.data, "html.parser").select_one(".notice").get_text()
    assert client.get("/beheer").status_code == 200, "this session goes on"
    assert other_device.get("/beheer").status_code == 302, "every other session has ended"
    assert login(app.test_client(), "redacteur", PASSWORD).status_code == 401
    assert login(app.test_client(), "redacteur", NEW_PASSWORD).status_code == 302


def test_a_beheerder_removes_an_account_only_after_confirming(site) -> None:  # noqa: F811
    app, _, _ = site
    client = app.test_client()
    login(client, "beheerder")
    users = soup(client, "/beheer/gebruikers")
    link = users.find("a", href="/beheer/gebruikers/redacteur/verwijderen")
    assert link is not None and "Verwijderen" in link.get_text()

    confirm = soup(client, "/beheer/gebruikers/redacteur/verwijderen")
    assert "‘redacteur’" in confirm.select_one(".confirm").get_text()
    accounts = app.extensions["kennisbank"].accounts
    assert accounts.get("redacteur") is not None, "looking at the confirmation removes nothing"

    response = client.post(
        "/beheer/gebruikers/redacteur/verwijderen",
        data={"csrf_token": csrf(client, "/beheer/gebruikers/redacteur/verwijderen")},
        follow_redirects=True,
    )
    page = BeautifulSoup(response.data, "html.parser")
    assert "Gebruiker ‘redacteur’ is verwijderd." in page.select_one(".notice").get_text()
    assert accounts.get("redacteur") is None
    entry = audit.entries(accounts.path)[0]
    assert (entry.user, entry.action) == ("beheerder", "gebruiker verwijderd") and "redacteur" in entry.detail
    assert client.get("/beheer/gebruikers/beheerder/verwijderen").status_code == 404, "not one's own account"


def test_an_editor_cannot_remove_accounts(site) -> None:  # noqa: F811
    app, _, _ = site
    client = app.test_client()
    login(client)
    assert client.get("/beheer/gebruikers/beheerder/verwijderen").status_code == 403
