"""Staff security through the real app: throttled logins that cannot lock the owner out, no open
redirect after login, bounded forms, sessions the server can end, a private staff database, and
client addresses from a reverse proxy only when one is configured."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.corpus import audit
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.errors import KennisbankError
from search_app import create_app
from search_app.accounts import ADMIN, EDITOR, Accounts
from search_app.security import FORM_MAX_BYTES
from search_app.sessions import Lifetimes
from search_app.state import EXTENSION
from search_app.throttle import ACCOUNT_MAX_DELAY_S, CLIENT_MAX_DELAY_S, FREE_FAILURES, client_of, delay_s

PASSWORD = "lang-genoeg-wachtwoord"
WRONG = "verkeerd-wachtwoord"
ATTACKER = "198.51.100.66"
OWNER = "192.0.2.10"
# A staff page that needs no index: the recycle folder.
STAFF_PAGE = "/beheer/prullenbak"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with one editor and one administrator."""
    folder = tmp_path / "data"
    accounts = Accounts(folder / audit.STAFF_DB_FILE)
    accounts.add("redacteur", PASSWORD, EDITOR)
    accounts.add("beheerder", PASSWORD, ADMIN)
    return folder


@pytest.fixture
def make_app(tmp_path: Path, data: Path):
    """The app over the bundled themes and an empty corpus, with `overrides` to its configuration."""
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, corpus / THEMES_DIR)
    (corpus / "documenten").mkdir()

    def make(**overrides):
        config = {
            "CORPUS": corpus,
            "INDEX": tmp_path / "index",
            "DATA_DIR": data,
            "TESTING": True,
            "SESSION_COOKIE_SECURE": False,
        }
        return create_app(config | overrides)

    return make


@pytest.fixture
def app(make_app):
    return make_app()


def csrf(client, url: str = "/beheer/inloggen", address: str = OWNER) -> str:
    page = BeautifulSoup(client.get(url, environ_base={"REMOTE_ADDR": address}).data, "html.parser")
    return page.select_one("input[name=csrf_token]")["value"]


def login(client, name="redacteur", password=PASSWORD, address=OWNER, volgende=None, headers=None):
    query = {"volgende": volgende} if volgende is not None else {}
    return client.post(
        "/beheer/inloggen",
        query_string=query,
        data={"naam": name, "wachtwoord": password, "csrf_token": csrf(client, address=address)},
        environ_base={"REMOTE_ADDR": address},
        headers=headers or {},
    )


def logged_in(client) -> bool:
    return client.get(STAFF_PAGE).status_code == 200


# --- item 12: throttling with growing delays, per client and per account, in the audit log ---


@pytest.mark.parametrize(
    ("cap_s", "expected"),
    [
        (ACCOUNT_MAX_DELAY_S, [0, 0, 0, 0, 0, 10, 20, 40, 60, 60, 60]),
        (CLIENT_MAX_DELAY_S, [0, 0, 0, 0, 0, 10, 20, 40, 80, 160, 320, 640, 900, 900]),
    ],
    ids=["account: never more than a minute", "client: up to a quarter of an hour"],
)
def test_delays_grow_with_each_failure_up_to_a_cap(cap_s: float, expected: list[float]) -> None:
    assert [delay_s(failures, cap_s) for failures in range(len(expected))] == expected


def test_failed_logins_are_slowed_down_and_written_to_the_audit_log(app, data: Path) -> None:
    client = app.test_client()
    for _ in range(FREE_FAILURES):
        failed = login(client, "beheerder", WRONG, address=ATTACKER)
        assert failed.status_code == 401 and "klopt niet" in failed.get_data(as_text=True)
    assert "Wacht 10 seconden" in failed.get_data(as_text=True), "the failure that starts the delay says so"
    assert failed.headers["Retry-After"] == "10"

    refused = login(app.test_client(), "beheerder", PASSWORD, address=ATTACKER)
    assert refused.status_code == 429 and "Te veel mislukte pogingen" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) <= 10

    entries = audit.entries(data / audit.STAFF_DB_FILE)
    failures = [entry for entry in entries if entry.action == "inloggen mislukt"]
    assert len(failures) == FREE_FAILURES and {entry.user for entry in failures} == {"beheerder"}
    assert all(ATTACKER in entry.detail for entry in failures)
    assert [entry for entry in entries if entry.action == "afgeremd"], "the start of the delay is logged"


def test_an_unknown_name_is_logged_without_the_typed_name(app, data: Path) -> None:
    login(app.test_client(), "mijn-geheime-wachtwoord", WRONG, address=ATTACKER)
    (entry,) = audit.entries(data / audit.STAFF_DB_FILE)
    assert entry.action == "inloggen mislukt" and "mijn-geheime-wachtwoord" not in repr(entry)


def test_a_throttled_client_does_not_lock_out_the_owner_elsewhere(app) -> None:
    for name in ("iemand", "nog-iemand", "admin", "root", "test"):
        login(app.test_client(), name, WRONG, address=ATTACKER)
    assert login(app.test_client(), "redacteur", PASSWORD, address=ATTACKER).status_code == 429
    owner = app.test_client()
    assert login(owner, "beheerder", PASSWORD, address=OWNER).status_code == 302
    assert logged_in(owner)


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("198.51.100.66", "198.51.100.66"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.66", "198.51.100.66"),
        ("onbekend", "onbekend"),
    ],
)
def test_an_ipv6_host_is_one_client_for_its_whole_prefix(address: str, client: str) -> None:
    assert client_of(address) == client


def test_rotating_ipv6_addresses_does_not_escape_the_client_delay(app) -> None:
    for number in range(FREE_FAILURES):
        login(app.test_client(), f"gok-{number}", WRONG, address=f"2001:db8:1:2::{number + 1}")
    assert login(app.test_client(), "redacteur", PASSWORD, address="2001:db8:1:2::99").status_code == 429
    assert login(app.test_client(), "redacteur", PASSWORD, address="2001:db8:1:3::1").status_code == 302


def test_guesses_from_many_addresses_slow_the_account_only_briefly(app) -> None:
    for number in range(FREE_FAILURES):
        login(app.test_client(), "beheerder", WRONG, address=f"203.0.113.{number}")
    owner = login(app.test_client(), "beheerder", PASSWORD, address=OWNER)
    assert owner.status_code == 429 and int(owner.headers["Retry-After"]) <= ACCOUNT_MAX_DELAY_S
    colleague = app.test_client()
    assert login(colleague, "redacteur", PASSWORD, address=OWNER).status_code == 302


# --- item 14: no open redirect after login ---

ON_SITE = "https://kennisbank.example/beheer/inloggen"


@pytest.mark.parametrize(
    "volgende",
    [
        "//evil.example/phish",
        "/\\evil.example/phish",
        "\\\\evil.example/phish",
        " //evil.example/phish",
        "https://evil.example/phish",
        "javascript:alert(1)",
        "/beheer/uitloggen",  # ours, but not a page to show
        "/bestaat/niet",
    ],
)
def test_login_redirects_only_to_our_own_pages(app, volgende: str) -> None:
    response = login(app.test_client(), volgende=volgende)
    assert response.status_code == 302
    assert response.headers["Location"] == "/beheer"
    assert urlsplit(urljoin(ON_SITE, response.headers["Location"])).netloc == "kennisbank.example"


@pytest.mark.parametrize(
    "volgende",
    ["/\t/evil.example/phish", "/beheer\r\nSet-Cookie: sessie=x", "/beheer\n", "/\x00/evil.example"],
    ids=["tab", "CR/LF", "LF", "NUL"],
)
def test_control_characters_in_the_target_are_a_bad_request(app, volgende: str) -> None:
    response = login(app.test_client(), volgende=volgende)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "Ongeldig verzoek" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "volgende", ["/beheer/prullenbak", "/zoeken?q=mensenhandel", "/beheer/document/jaarverslag%202024"]
)
def test_login_returns_to_the_page_that_asked_for_it(app, volgende: str) -> None:
    assert login(app.test_client(), volgende=volgende).headers["Location"] == volgende


# --- item 15: bounded forms and a bounded failure table ---


def test_a_huge_url_encoded_field_is_refused_before_anything_is_stored(app, data: Path) -> None:
    client = app.test_client()
    token = csrf(client)
    response = client.post(
        "/beheer/inloggen", data={"naam": "x" * (10 * 1024 * 1024), "wachtwoord": WRONG, "csrf_token": token}
    )
    assert response.status_code == 413
    assert "ingevuld veld is te groot" in response.get_data(as_text=True), "says what was too big, in Dutch"
    assert (data / audit.STAFF_DB_FILE).stat().st_size < 1024 * 1024


def test_every_staff_form_is_limited(app) -> None:
    client = app.test_client()
    login(client, "beheerder")
    token = csrf(client, "/beheer/gebruikers")
    big = "x" * (FORM_MAX_BYTES + 1)
    url_encoded = client.post("/beheer/gebruikers", data={"csrf_token": token, "actie": "toevoegen", "naam": big})
    assert url_encoded.status_code == 413
    multipart = client.post(
        "/beheer/toevoegen", data={"csrf_token": token, "opmerking": big}, content_type="multipart/form-data"
    )
    assert multipart.status_code == 413


def test_failed_names_are_stored_as_hashes_and_old_failures_purged(app, data: Path) -> None:
    login(app.test_client(), "Zomer2026!geheim", WRONG, address=ATTACKER)
    database = data / audit.STAFF_DB_FILE
    stored = b"".join(path.read_bytes() for path in data.glob(audit.STAFF_DB_FILE + "*"))
    assert b"zomer2026!geheim" not in stored.lower()

    throttle = app.extensions[EXTENSION].throttle
    throttle.failed("later", ATTACKER, now=4_000_000_000.0)  # long after the window of the first
    connection = sqlite3.connect(database)
    assert connection.execute("SELECT COUNT(*) FROM login_failures").fetchone() == (1,)
    connection.close()


def test_the_names_an_older_version_stored_in_full_are_dropped(make_app, data: Path) -> None:
    database = data / audit.STAFF_DB_FILE
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("CREATE TABLE failed_logins (name TEXT NOT NULL, address TEXT NOT NULL, time TEXT NOT NULL)")
        connection.executemany(
            "INSERT INTO failed_logins VALUES (?, ?, ?)", [("x" * 1_000_000, ATTACKER, "2026-01-01")] * 5
        )
    connection.close()
    grown = database.stat().st_size
    make_app()
    assert database.stat().st_size < grown / 10
    assert login(make_app().test_client()).status_code == 302


# --- item 16: sessions the server can end ---


def test_a_cookie_copied_before_logout_is_useless_after_it(app) -> None:
    client = app.test_client()
    login(client)
    stolen = client.get_cookie("session").value
    client.post("/beheer/uitloggen", data={"csrf_token": csrf(client, STAFF_PAGE)})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get(STAFF_PAGE).status_code == 302


def test_a_new_password_ends_the_other_sessions_of_that_account(app) -> None:
    admin, editor, admin_elsewhere = app.test_client(), app.test_client(), app.test_client()
    login(admin, "beheerder")
    login(admin_elsewhere, "beheerder")
    login(editor, "redacteur")
    for name in ("redacteur", "beheerder"):
        token = csrf(admin, "/beheer/gebruikers")
        form = {"csrf_token": token, "actie": "wachtwoord", "naam": name, "wachtwoord": "een-nieuw-wachtwoord"}
        page = admin.post("/beheer/gebruikers", data=form, follow_redirects=True).get_data(as_text=True)
        assert "is gewijzigd" in page
    assert not logged_in(editor) and not logged_in(admin_elsewhere)
    assert logged_in(admin), "who changes their own password stays logged in"
    assert login(app.test_client(), "redacteur", "een-nieuw-wachtwoord").status_code == 302


def test_a_removed_account_stays_logged_out_even_under_the_same_name_again(app, data: Path) -> None:
    editor = app.test_client()
    login(editor)
    admin = app.test_client()
    login(admin, "beheerder")
    confirm = "/beheer/gebruikers/redacteur/verwijderen"
    admin.post(confirm, data={"csrf_token": csrf(admin, confirm)})
    Accounts(data / audit.STAFF_DB_FILE).add("redacteur", "iemand-anders-nu", EDITOR)
    assert not logged_in(editor)


@pytest.mark.parametrize(
    "lifetimes",
    [
        Lifetimes(idle=timedelta(hours=1), absolute=timedelta(0)),
        Lifetimes(idle=timedelta(0), absolute=timedelta(hours=1)),
    ],
    ids=["absolute lifetime over", "idle too long"],
)
def test_a_session_ends_after_its_lifetime(make_app, lifetimes: Lifetimes) -> None:
    client = make_app(STAFF_SESSION_LIFETIMES=lifetimes).test_client()
    assert login(client).status_code == 302
    assert client.get(STAFF_PAGE).headers["Location"].startswith("/beheer/inloggen")


@pytest.mark.parametrize(
    ("started", "seen", "now", "live"),
    [
        (0, 0, 60, True),
        (0, 3 * 3600, 3 * 3600 + 60, True),  # in use: the idle time starts again
        (0, 0, 2 * 3600, False),  # idle for two hours
        (0, 12 * 3600 - 60, 12 * 3600, False),  # in use all day, but twelve hours old
    ],
)
def test_use_keeps_a_session_alive_but_not_past_its_absolute_lifetime(
    started: float, seen: float, now: float, live: bool
) -> None:
    assert Lifetimes().is_live(started, seen, now) is live


@pytest.mark.parametrize("url", ["/beheer/inloggen", STAFF_PAGE, "/beheer/gebruikers"])
def test_staff_pages_are_never_cached(app, url: str) -> None:
    client = app.test_client()
    login(client, "beheerder")
    assert "no-store" in client.get(url).headers.get("Cache-Control", "")


# --- item 20: a private staff database, and a reverse proxy only when configured ---


def test_the_staff_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "data" / audit.STAFF_DB_FILE
    Accounts(database).add("nieuw", PASSWORD, EDITOR)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    database.chmod(0o644)
    Accounts(database).get("nieuw")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600, "an older, readable database is tightened"


def test_forwarded_addresses_are_ignored_without_a_proxy(app) -> None:
    for number in range(FREE_FAILURES):
        login(
            app.test_client(), f"gok-{number}", WRONG, address=ATTACKER, headers={"X-Forwarded-For": f"10.0.0.{number}"}
        )
    forged = login(app.test_client(), "redacteur", PASSWORD, address=ATTACKER, headers={"X-Forwarded-For": "10.9.9.9"})
    assert forged.status_code == 429


def test_behind_a_proxy_each_client_has_its_own_address(make_app, data: Path) -> None:
    app = make_app(PROXY_HOPS=1)
    proxy = "127.0.0.1"
    for number in range(FREE_FAILURES):
        login(app.test_client(), f"gok-{number}", WRONG, address=proxy, headers={"X-Forwarded-For": ATTACKER})
    client = app.test_client()
    # Over HTTPS, CSRFProtect also wants a same-origin Referer, as a browser sends it.
    forwarded = {"X-Forwarded-For": OWNER, "X-Forwarded-Proto": "https", "Referer": "https://localhost/beheer/inloggen"}
    response = login(client, "redacteur", address=proxy, headers=forwarded)
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"], "behind the proxy the site is HTTPS"
    details = {entry.detail for entry in audit.entries(data / audit.STAFF_DB_FILE)}
    assert f"vanaf {ATTACKER}" in details


def test_a_wrong_proxy_setting_says_what_to_do(make_app) -> None:
    with pytest.raises(KennisbankError, match="KENNISBANK_PROXY_HOPS moet een geheel getal"):
        make_app(PROXY_HOPS="twee")
