"""The staff flow in Chromium: log in, upload, review how the file was read, correct, publish, find it.

The server runs on a scratch copy of a small corpus with its own data folder, so uploads never touch
the bundled corpus. Staff pages are checked with axe-core like the public ones.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from indexer.corpus.audit import STAFF_DB_FILE
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.indexing.pipeline import run_index
from search_app.accounts import ADMIN, EDITOR, Accounts
from tests.builders import write_pdf
from tests.conftest import serving
from tests.test_browser import (  # noqa: F401 - `browser` is a fixture used below
    AXE,
    DESKTOP,
    PHONE,
    browser,
    open_page,
    screenshot,
)

PASSWORD = "browser-test-wachtwoord"


@pytest.fixture(scope="module")
def staff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("staff-site")
    corpus, index, data = root / "corpus", root / "index", root / "data"
    shutil.copytree(BUNDLED_CORPUS / THEMES_DIR, corpus / THEMES_DIR)
    (corpus / "documenten").mkdir()
    shutil.copy(BUNDLED_CORPUS / "documenten" / "trainingsaanbod-mensenhandel-2026.md", corpus / "documenten")
    run_index(corpus, index)
    Accounts(data / STAFF_DB_FILE).add("redacteur", PASSWORD, EDITOR)
    Accounts(data / STAFF_DB_FILE).add("beheerder", PASSWORD, ADMIN)
    with serving(corpus, index, root / "server.log", "--data", str(data)) as base:
        yield base, corpus


@pytest.fixture
def staff_page(browser: Browser, staff_site: tuple[str, Path]) -> Iterator[Page]:  # noqa: F811
    yield from open_page(browser, staff_site[0], bypass_csp=True)


def assert_axe_clean(page: Page, what: str) -> None:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert not violations, f"axe on {what}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def log_in(page: Page, name: str) -> None:
    page.goto("/beheer/inloggen")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Beheer van de Kennisbank")).to_be_visible()


def look_at(page: Page, name: str) -> None:
    """Axe finds nothing, and a screenshot on a desktop and at 360 px (without scrolling sideways)."""
    assert_axe_clean(page, name)
    screenshot(page, f"beheer-{name}")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"beheer-{name}-360")
    page.set_viewport_size(DESKTOP)
    assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px: {width} px wide"


def test_login_upload_review_correct_publish_and_find(
    staff_page: Page, staff_site: tuple[str, Path], tmp_path: Path
) -> None:
    page = staff_page
    page.goto("/beheer")
    expect(page).to_have_url(re.compile(r"/beheer/inloggen\?volgende=/beheer$"))
    assert_axe_clean(page, "login")
    page.get_by_label("Gebruikersnaam").fill("redacteur")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Beheer van de Kennisbank")).to_be_visible()
    assert_axe_clean(page, "overview")

    source = write_pdf(
        tmp_path / "Handreiking geldezels.pdf",
        [
            [
                "Handreiking geldezels: jongeren die hun bankpas uitlenen worden slachtoffer van criminele "
                "uitbuiting. Signalen, gesprekstips en de meldroute bij mensenhandel en online fraude."
            ]
            * 5
        ]
        * 2,
        title="Handreiking geldezels en criminele uitbuiting",
    )
    page.get_by_role("link", name="Documenten toevoegen").click()
    page.get_by_label("Kies een of meer bestanden").set_input_files(str(source))
    page.get_by_role("button", name="Bestanden lezen").click()

    expect(page.get_by_role("heading", name="Controleren voor publicatie")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Handreiking geldezels en criminele uitbuiting")
    expect(page.locator("#t-mensenhandel")).to_be_checked()
    assert "2 pagina" in page.locator(".meta").first.inner_text()
    assert_axe_clean(page, "review")
    page.get_by_label("Soort document").select_option("handreiking")
    page.get_by_label("Bron (organisatie)").fill("RIEC Rotterdam")
    page.get_by_role("button", name="Publiceren").click()

    expect(page.locator(".notice").first).to_contain_text("is toegevoegd en doorzoekbaar")
    page.goto("/zoeken?q=bankpas")
    first = page.locator(".result").first
    expect(first.locator("h3")).to_have_text("Handreiking geldezels en criminele uitbuiting")
    expect(first.locator(".meta")).to_contain_text("Handreiking")
    expect(first.locator(".meta")).to_contain_text("RIEC Rotterdam")
    corpus = staff_site[1]
    assert (corpus / "documenten" / "handreiking-geldezels.pdf").exists()


def test_the_recycle_bin_says_which_version_is_which_and_is_emptied_after_confirming(
    staff_page: Page, staff_site: tuple[str, Path]
) -> None:
    page = staff_page
    log_in(page, "beheerder")
    page.goto("/beheer/document/trainingsaanbod-mensenhandel-2026")
    page.get_by_role("button", name="Naar de prullenbak").click()
    expect(page.locator(".notice").first).to_contain_text("staat nu in de prullenbak")

    menu_item = page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Prullenbak")
    menu_item.click()
    expect(menu_item).to_have_attribute("aria-current", "page")
    row = page.locator("tbody tr").filter(has_text="trainingsaanbod-mensenhandel-2026.md")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Verwijderd document")
    expect(row).to_contain_text("beheerder")
    expect(row.locator("td").nth(2)).to_have_text(re.compile(r"^\d{1,2} [a-z]+ \d{4}, \d\d:\d\d$"))
    look_at(page, "prullenbak")

    page.get_by_role("link", name="Prullenbak legen…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prullenbak legen")
    expect(page.locator(".confirm")).to_contain_text("definitief")
    look_at(page, "prullenbak-legen")
    page.get_by_role("link", name="Nee, terug naar de prullenbak").click()
    expect(row).to_have_count(1)  # changing one's mind loses nothing

    page.get_by_role("link", name="Prullenbak legen…").click()
    page.get_by_role("button", name="Ja, definitief verwijderen").click()
    expect(page.locator(".notice").first).to_contain_text("De prullenbak is geleegd")
    expect(page.get_by_text("De prullenbak is leeg.")).to_be_visible()
    trash = staff_site[1] / "_prullenbak"
    assert not [path for path in trash.iterdir() if not path.name.startswith(".")]

    page.get_by_role("navigation", name="Beheer").get_by_role("link", name="Logboek").click()
    page.get_by_label("Wat").select_option(label="prullenbak geleegd")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("1 document")


def test_every_staff_page_looks_finished(staff_page: Page, tmp_path: Path) -> None:
    page = staff_page
    page.goto("/beheer/inloggen")
    look_at(page, "inloggen")
    log_in(page, "beheerder")
    look_at(page, "overzicht")
    for name, path in [
        ("toevoegen", "/beheer/toevoegen"),
        ("logboek", "/beheer/logboek"),
        ("gebruikers", "/beheer/gebruikers"),
        ("gebruiker-verwijderen", "/beheer/gebruikers/redacteur/verwijderen"),
        ("wachtwoord", "/beheer/wachtwoord"),
        ("rapportlijst", "/beheer/rapport/mislukt"),
    ]:
        page.goto(path)
        look_at(page, name)

    page.goto("/beheer")
    page.locator(".staff-table tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bewerken: ")
    menu = page.get_by_role("navigation", name="Beheer")
    expect(menu.locator("[aria-current=page]")).to_have_text("Overzicht")  # editing belongs to the overview
    title = page.get_by_label("Titel")
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth"), "the whole title fits in its field"
    look_at(page, "document")

    note = tmp_path / "Notitie buurtteams.txt"
    note.write_text("Notitie over buurtteams en signalen van ondermijning in de wijk. " * 20, encoding="utf-8")
    page.goto("/beheer/toevoegen")
    page.get_by_label("Kies een of meer bestanden").set_input_files(str(note))
    page.get_by_role("button", name="Bestanden lezen").click()
    expect(page.get_by_role("heading", name="Controleren voor publicatie")).to_be_visible()
    look_at(page, "controleren")
    page.get_by_role("button", name="Niet toevoegen").click()
    expect(page.locator(".notice").first).to_contain_text("is niet toegevoegd")


def test_staff_change_their_own_password(staff_page: Page) -> None:
    page = staff_page
    log_in(page, "redacteur")
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("nieuw-browser-wachtwoord")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("nieuw-browser-wachtwoord-anders")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.locator(".notice.error")).to_have_text(re.compile("De twee nieuwe wachtwoorden zijn niet gelijk"))
    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("nieuw-browser-wachtwoord")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("nieuw-browser-wachtwoord")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.locator(".notice").first).to_contain_text("Uw wachtwoord is gewijzigd")
    page.get_by_role("link", name="Wachtwoord wijzigen").click()  # still logged in
    page.get_by_label("Huidig wachtwoord").fill("nieuw-browser-wachtwoord")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord nog een keer").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.locator(".notice").first).to_contain_text("Uw wachtwoord is gewijzigd")
