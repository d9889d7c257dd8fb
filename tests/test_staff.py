"""Staff pages: nobody in without an account, nothing lost, and every upload checked on its content."""

from __future__ import annotations

import io
import re
import shutil
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.corpus import audit
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.extract.ocr import ocr_available
from indexer.indexing.pipeline import OCR_CACHE_DIR, run_index
from search_app import create_app
from search_app.accounts import ADMIN, EDITOR, Accounts
from search_app.throttle import FREE_FAILURES
from tests.builders import write_pdf
from tests.format_builders import write_docx, write_odt, write_scanned_pdf

PASSWORD = "lang-genoeg-wachtwoord"
# A small upload limit keeps the oversized-file test fast; the production limit is 50 MB.
UPLOAD_LIMIT = 200 * 1024


@pytest.fixture
def site(tmp_path: Path):
    """A small real corpus, its index, and the app with one editor and one administrator."""
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, corpus / THEMES_DIR)
    docs = corpus / "documenten"
    docs.mkdir()
    write_pdf(
        docs / "factsheet-loverboys.pdf",
        [
            [
                "Factsheet loverboys: signalen van seksuele uitbuiting en "
                "mensenhandel bij minderjarigen, en wat u dan doet."
            ]
            * 3
        ],
    )
    run_index(corpus, tmp_path / "index")
    data = tmp_path / "data"
    accounts = Accounts(data / audit.STAFF_DB_FILE)
    accounts.add("redacteur", PASSWORD, EDITOR)
    accounts.add("beheerder", PASSWORD, ADMIN)
    app = create_app(
        {
            "CORPUS": corpus,
            "INDEX": tmp_path / "index",
            "DATA_DIR": data,
            "TESTING": True,
            "SESSION_COOKIE_SECURE": False,
            "UPLOAD_MAX_BYTES": UPLOAD_LIMIT,
        }
    )
    return app, corpus, data


def csrf(client, url: str) -> str:
    page = BeautifulSoup(client.get(url).data, "html.parser")
    return page.select_one("input[name=csrf_token]")["value"]


def login(client, name: str = "redacteur", password: str = PASSWORD):
    token = csrf(client, "/beheer/inloggen")
    return client.post("/beheer/inloggen", data={"naam": name, "wachtwoord": password, "csrf_token": token})


def upload(client, files: list[tuple[bytes, str]]):
    token = csrf(client, "/beheer/toevoegen")
    data = {"csrf_token": token, "bestanden": [(io.BytesIO(content), name) for content, name in files]}
    response = client.post("/beheer/toevoegen", data=data, content_type="multipart/form-data")
    response.get_data()  # buffered, so closing frees the request's temporary file
    response.close()
    return response


def review_form(client, review_url: str) -> dict:
    """The review form as the page fills it in, confirmed to publish."""
    page = BeautifulSoup(client.get(review_url).data, "html.parser")
    form = page.select_one("form.stacked-form")
    data: dict = {"actie": "publiceren"}
    for element in form.select("input, textarea, select"):
        name = element.get("name")
        if not name or (element.get("type") == "checkbox" and not element.has_attr("checked")):
            continue
        value = element.get_text() if element.name == "textarea" else element.get("value", "")
        if element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            value = chosen.get("value", chosen.get_text())
        data.setdefault(name, []).append(value)
    return data


def publish(client, response, **fields) -> str:
    """Confirm the review form as it was filled in, with `fields` changed; returns the result page."""
    review_url = response.headers["Location"]
    data = review_form(client, review_url) | fields
    return client.post(review_url, data=data, follow_redirects=True)


STAFF_ROUTES = [
    ("GET", "/beheer"),
    ("GET", "/beheer/toevoegen"),
    ("POST", "/beheer/toevoegen"),
    ("GET", "/beheer/controleren/" + "a" * 32),
    ("POST", "/beheer/controleren/" + "a" * 32),
    ("GET", "/beheer/document/factsheet-loverboys"),
    ("POST", "/beheer/document/factsheet-loverboys"),
    ("POST", "/beheer/document/factsheet-loverboys/vervangen"),
    ("POST", "/beheer/document/factsheet-loverboys/verwijderen"),
    ("GET", "/beheer/prullenbak"),
    ("POST", "/beheer/prullenbak/x/terugzetten"),
    ("GET", "/beheer/prullenbak/legen"),
    ("POST", "/beheer/prullenbak/legen"),
    ("GET", "/beheer/logboek"),
    ("GET", "/beheer/rapport/x"),
    ("GET", "/beheer/gebruikers"),
    ("POST", "/beheer/gebruikers"),
    ("GET", "/beheer/gebruikers/x/verwijderen"),
    ("POST", "/beheer/gebruikers/x/verwijderen"),
    ("GET", "/beheer/wachtwoord"),
    ("POST", "/beheer/wachtwoord"),
]


@pytest.mark.parametrize(("method", "url"), STAFF_ROUTES)
def test_every_staff_route_requires_login(site, method: str, url: str) -> None:
    app, _, _ = site
    client = app.test_client()
    token = csrf(client, "/beheer/inloggen")
    response = client.open(url, method=method, data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/beheer/inloggen")


def test_every_staff_rule_is_in_the_route_table(site) -> None:
    app, _, _ = site
    rules = {
        rule.rule.replace("<doc_id>", "factsheet-loverboys")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/beheer") and rule.endpoint not in ("staff.login", "staff.logout")
    }
    tested = {
        re.sub(r"/x(/|$)", r"/<name>\1", re.sub(r"/controleren/a+", "/controleren/<token>", url))
        for _, url in STAFF_ROUTES
    }
    assert rules == tested, "a new staff route needs a login test"


def test_posts_without_csrf_token_are_refused(site) -> None:
    app, _, _ = site
    client = app.test_client()
    login(client)
    response = client.post("/beheer/document/factsheet-loverboys/verwijderen", data={})
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert client.post("/beheer/inloggen", data={"naam": "redacteur", "wachtwoord": PASSWORD}).status_code == 400


def test_wrong_passwords_are_throttled(site) -> None:
    app, _, _ = site
    client = app.test_client()
    for _ in range(FREE_FAILURES):
        assert "klopt niet" in login(client, password="verkeerd-wachtwoord").get_data(as_text=True)
    blocked = login(client)
    assert "Te veel mislukte pogingen" in blocked.get_data(as_text=True)
    assert client.get("/beheer").status_code == 302


def test_login_sets_a_safe_session_and_never_redirects_off_site(site) -> None:
    app, _, _ = site
    client = app.test_client()
    token = csrf(client, "/beheer/inloggen")
    response = client.post(
        "/beheer/inloggen?volgende=//evil.example/x",
        data={"naam": "redacteur", "wachtwoord": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/beheer"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_editors_cannot_open_administrator_pages(site) -> None:
    app, _, _ = site
    client = app.test_client()
    login(client)
    assert client.get("/beheer/logboek").status_code == 403
    assert client.get("/beheer/gebruikers").status_code == 403


def test_upload_review_publish_is_searchable_and_logged(site) -> None:
    app, corpus, data = site
    client = app.test_client()
    login(client)
    source = corpus.parent / "bron.pdf"
    write_pdf(
        source,
        [
            [
                "Handreiking arbeidsuitbuiting: signalen bij uitzendbureaus en huisvesting van "
                "arbeidsmigranten. Meld arbeidsuitbuiting en mensenhandel bij de gemeente."
            ]
            * 4
        ],
        title="Handreiking arbeidsuitbuiting",
    )
    response = upload(client, [(source.read_bytes(), "Handreiking Arbeidsuitbuiting.pdf")])
    review = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    assert review.select_one("#titel")["value"] == "Handreiking arbeidsuitbuiting"
    why = review.select_one("#waarom-kop").parent.get_text(" ", strip=True)
    assert "Mensenhandel" in why
    assert "‘arbeidsuitbuiting’: 1× in de titel" in why, "the evidence reads as on the document page"
    assert review.select_one("#t-mensenhandel").has_attr("checked"), "suggested themes come preselected"
    done = publish(client, response, soort="handreiking", datum="2026-11-01")
    assert "is toegevoegd en doorzoekbaar" in done.get_data(as_text=True)
    assert (corpus / "documenten" / "handreiking-arbeidsuitbuiting.pdf").exists()
    sidecar = (corpus / "documenten" / "handreiking-arbeidsuitbuiting.pdf.meta.yaml").read_text(encoding="utf-8")
    assert "soort: handreiking" in sidecar and "mensenhandel" in sidecar
    hits = client.get("/api/zoeken?q=uitzendbureaus").get_json()["hits"]
    assert [hit["id"] for hit in hits] == ["handreiking-arbeidsuitbuiting"]
    page = BeautifulSoup(client.get("/document/handreiking-arbeidsuitbuiting").data, "html.parser")
    explained = [item.get_text(" ", strip=True) for item in page.select(".why-themes li")]
    assert explained == [item.get_text(" ", strip=True) for item in review.select("#waarom-kop ~ ul li")], (
        "the published document explains its themes word for word as the review step did"
    )
    entries = audit.entries(data / audit.STAFF_DB_FILE)
    assert (entries[0].user, entries[0].action, entries[0].document) == (
        "redacteur",
        "toegevoegd",
        "handreiking-arbeidsuitbuiting.pdf",
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "factsheet.pdf", "een Windows-programma"),
        (b"\x7fELF\x02\x01" + b"\x00" * 200, "notitie.txt", "een programma"),
        (b"PK\x03\x04" + b"\x00" * 200, "verslag.md", "een zip-archief"),
        (b"PK\x03\x04" + b"\x00" * 200, "verslag.docx", "een zip-archief"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "begroting.doc", "een ander Office-bestand"),
        (b"%PDF-1.4\n" + b"0" * (UPLOAD_LIMIT + 10), "groot.pdf", "groter dan 200 kB"),
        (b"gewone tekst", "programma.exe", "worden niet ondersteund"),
        (b"Dit is geen pdf maar tekst.", "nep.pdf", "is geen PDF"),
    ],
)
def test_disguised_oversized_and_unsupported_uploads_are_refused(site, content: bytes, name: str, message: str) -> None:
    app, corpus, _ = site
    client = app.test_client()
    login(client)
    response = upload(client, [(content, name)])
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert sorted(p.name for p in (corpus / "documenten").iterdir()) == ["factsheet-loverboys.pdf"]


def test_path_traversal_in_the_file_name_stays_inside_the_corpus(site, tmp_path: Path) -> None:
    app, corpus, _ = site
    client = app.test_client()
    login(client)
    text = b"Notitie over de aanpak van arbeidsuitbuiting en de rol van de gemeente bij signalen van uitbuiting."
    response = upload(client, [(text, "../../etc/passwd.txt")])
    publish(client, response, titel="Notitie")
    assert (corpus / "documenten" / "passwd.txt").exists()
    assert not (tmp_path / "etc").exists()


WORD_SECTIONS = [("Aanpak", ["De gemeente Vlaardingen start een proef met buurtbemiddeling bij burenruzies."])]


@pytest.mark.parametrize(
    ("name", "build", "stored_as"),
    [
        ("proef.docx", write_docx, "proef.docx"),
        ("proef.odt", write_odt, "proef.odt"),
        ("proef.pdf", write_docx, "proef.docx"),  # a Word file named .pdf is kept under its real suffix
    ],
)
def test_word_and_opendocument_uploads_are_accepted_published_and_found(
    site, tmp_path: Path, name: str, build, stored_as: str
) -> None:
    app, corpus, _ = site
    client = app.test_client()
    login(client)
    page = client.get("/beheer/toevoegen").get_data(as_text=True)
    assert ".docx" in BeautifulSoup(page, "html.parser").select_one("#bestanden")["accept"]
    content = build(tmp_path / name, "Proef buurtbemiddeling", "Gemeente Vlaardingen", WORD_SECTIONS).read_bytes()
    publish(client, upload(client, [(content, name)]))
    assert (corpus / "documenten" / stored_as).read_bytes() == content
    hits = client.get("/api/zoeken?q=buurtbemiddeling").get_json()["hits"]
    assert [hit["title"] for hit in hits] == ["Proef buurtbemiddeling"]


@pytest.mark.skipif(not ocr_available(), reason="needs tesseract-ocr-nld (scripts/test.sh installs it)")
def test_uploaded_scan_is_read_by_ocr_once_for_the_review_and_found_after_publishing(site, tmp_path: Path) -> None:
    _, corpus, data = site
    index = corpus.parent / "index"
    config = {"CORPUS": corpus, "INDEX": index, "DATA_DIR": data, "TESTING": True, "SESSION_COOKIE_SECURE": False}
    client = create_app(config).test_client()  # the production upload limit: a scan is larger than 200 kB
    login(client)
    scan = write_scanned_pdf(tmp_path / "brief.pdf", [["De gemeente Maassluis sluit de hennepzolder aan de Haven."]])
    response = upload(client, [(scan.read_bytes(), "brief.pdf")])
    review = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser").get_text(" ")
    assert "met tekstherkenning (OCR) gelezen" in " ".join(review.split())
    [cached] = (index / OCR_CACHE_DIR).iterdir()
    read_at = cached.stat().st_mtime_ns
    publish(client, response)
    assert cached.stat().st_mtime_ns == read_at, "publishing took the scan's text from the review's reading"
    hits = client.get("/api/zoeken?q=hennepzolder").get_json()["hits"]
    assert [hit["id"] for hit in hits] == ["brief"]


def test_uploaded_html_is_indexed_but_its_script_never_served_as_html(site) -> None:
    app, _, _ = site
    client = app.test_client()
    login(client)
    page = (
        b"<html><head><title>Terugblik leerhuis</title><script>alert('xss')</script></head><body><main>"
        b"<h1>Terugblik leerhuis</h1><p>Professionals bespraken criminele uitbuiting van jongeren en de "
        b"meldroute bij signalen van mensenhandel.</p></main></body></html>"
    )
    publish(client, upload(client, [(page, "terugblik.html")]))
    hit = client.get("/api/zoeken?q=meldroute").get_json()["hits"][0]
    with client.get(hit["original_url"]) as original:
        assert original.mimetype == "text/plain" and original.headers["Content-Disposition"].startswith("attachment")
        assert original.headers["X-Content-Type-Options"] == "nosniff"
    document = client.get(hit["url"]).get_data(as_text=True)
    assert "<script>alert" not in document


def test_a_duplicate_upload_is_flagged_with_a_link(site) -> None:
    app, corpus, _ = site
    client = app.test_client()
    login(client)
    response = upload(client, [((corpus / "documenten" / "factsheet-loverboys.pdf").read_bytes(), "kopie.pdf")])
    review = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    warning = review.select_one(".notice.warning")
    assert "staat al in de kennisbank" in warning.get_text()
    assert warning.select_one("a")["href"] == "/document/factsheet-loverboys"


def test_an_unreadable_upload_gets_a_dutch_reason_in_the_review(site) -> None:
    app, _, _ = site
    client = app.test_client()
    login(client)
    response = upload(client, [(b"%PDF-1.4\n1 0 obj << /Type /Catalog", "kapot.pdf")])
    review = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    assert "kan niet worden gelezen" in review.select_one(".notice.error").get_text()


def test_edit_replace_remove_and_restore_keep_the_address(site) -> None:
    app, corpus, _ = site
    client = app.test_client()
    login(client)
    token = csrf(client, "/beheer/document/factsheet-loverboys")
    client.post(
        "/beheer/document/factsheet-loverboys",
        data={
            "csrf_token": token,
            "titel": "Factsheet loverboys (herzien)",
            "soort": "factsheet",
            "datum": "2025-01-02",
            "bron": "RIEC Rotterdam",
            "samenvatting": "",
            "themas": ["mensenhandel"],
            "subthemas": [],
        },
    )
    assert client.get("/api/document/factsheet-loverboys").get_json()["title"] == "Factsheet loverboys (herzien)"

    new_version = corpus.parent / "nieuw.pdf"
    write_pdf(new_version, [["Nieuwe versie over pooierboys, loverboys en seksuele uitbuiting van meisjes."] * 3])
    client.post(
        "/beheer/document/factsheet-loverboys/vervangen",
        content_type="multipart/form-data",
        data={"csrf_token": token, "bestand": (new_version.open("rb"), "nieuw.pdf")},
    )
    document = client.get("/api/document/factsheet-loverboys").get_json()
    assert document["title"] == "Factsheet loverboys (herzien)", "metadata and address survive a replacement"
    assert client.get("/api/zoeken?q=pooierboys").get_json()["hits"][0]["id"] == "factsheet-loverboys"

    client.post("/beheer/document/factsheet-loverboys/verwijderen", data={"csrf_token": token})
    assert client.get("/api/document/factsheet-loverboys").status_code == 404
    trash = BeautifulSoup(client.get("/beheer/prullenbak").data, "html.parser")
    restore_url = trash.select("form")[-1]["action"] if trash.select("form") else None
    forms = [form["action"] for form in trash.select("form[action*=terugzetten]")]
    assert len(forms) == 2, "the replaced version and the removed document are both kept"
    client.post(forms[0], data={"csrf_token": token})
    assert client.get("/api/document/factsheet-loverboys").status_code == 200
    assert restore_url


def test_concurrent_uploads_and_searches_all_succeed(site) -> None:
    app, corpus, _ = site
    errors: list[str] = []

    def staff_member(number: int) -> None:
        client = app.test_client()
        login(client)
        for round_ in range(2):
            text = (
                f"Notitie {number}-{round_} over de regionale aanpak van ondermijning en de rol van de "
                f"gemeente bij signalen. Uniekwoord{number}x{round_}."
            ).encode()
            result = publish(client, upload(client, [(text, "notitie.txt")]))
            if "is toegevoegd" not in result.get_data(as_text=True):
                errors.append(f"upload {number}-{round_} failed")

    def searcher() -> None:
        client = app.test_client()
        for _ in range(20):
            if client.get("/zoeken?q=loverboys").status_code != 200:
                errors.append("search failed")

    threads = [threading.Thread(target=staff_member, args=(n,)) for n in (1, 2)] + [threading.Thread(target=searcher)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    names = sorted(p.name for p in (corpus / "documenten").glob("notitie*.txt"))
    assert len(names) == 4, names
    client = app.test_client()
    for number in (1, 2):
        for round_ in range(2):
            assert client.get(f"/api/zoeken?q=uniekwoord{number}x{round_}").get_json()["total"] == 1


def test_a_staff_list_page_past_the_end_leads_to_the_last_page(site) -> None:
    app, _, _ = site
    client = app.test_client()
    login(client)
    response = client.get("/beheer?pagina=99")
    assert response.status_code == 302 and "pagina=99" not in response.headers["Location"]
    page = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    assert "loverboys" in page.get_text().lower(), "the last page shows the documents"
