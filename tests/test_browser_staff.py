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
from search_app.accounts import EDITOR, Accounts
from tests.builders import write_pdf
from tests.conftest import serving
from tests.test_browser import AXE, browser, open_page  # noqa: F401 - `browser` is a fixture used below

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
    with serving(corpus, index, root / "server.log", "--data", str(data)) as base:
        yield base, corpus


@pytest.fixture
def staff_page(browser: Browser, staff_site: tuple[str, Path]) -> Iterator[Page]:  # noqa: F811
    yield from open_page(browser, staff_site[0], bypass_csp=True)


def assert_axe_clean(page: Page, what: str) -> None:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert not violations, f"axe on {what}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


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
