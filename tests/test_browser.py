"""The website in a real browser: Debian's Chromium driven by Playwright, against the real app served by
the production server on loopback (the `site` fixture). Real typing and clicks, assertions on what a
person sees; axe-core checks accessibility on every kind of page.

`scripts/test.sh` installs what these tests need (Chromium with apt-get, axe-core with npm). When either
is missing the tests fail, never skip: CI must notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download its own browser here; Debian's Chromium runs as root without a sandbox, and
# without the background-networking switches it tries to reach Google's servers and gets refused.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000
MAX_TABS = 200
PAGE_SIZE = 10  # results per page (the app's default)

# Pages used by several tests: a short two-page factsheet keeps the screenshots small.
HOME = "/"
SEARCH = "/zoeken?q=gemeente&soort=factsheet"
DOCUMENT = "/document/factsheet-seksuele-uitbuiting-loverboys-pooierboys?q=loverboys"
DOSSIER = "/thema/mensenhandel"
THEMES = "/thema"
INFO = "/over/toegankelijkheid"

expect.set_options(timeout=TIMEOUT_MS)  # generous: CI machines are small and may be busy

COUNT = re.compile(r"^(?P<label>.+) \((?P<count>\d+)\)$")
TOTAL = re.compile(r"^(\d+) documenten? gevonden$")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's chromium package. "
            "scripts/test.sh installs it when run as root; otherwise run `apt-get install chromium`."
        )
    with sync_playwright() as playwright:
        # Playwright turns the back/forward cache off; people's browsers have it on, and the back
        # button must restore the page as it was, checkboxes included.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, ignore_default_args=["--disable-back-forward-cache"]
        )
        yield browser
        browser.close()


def open_page(browser: Browser, site: str, **options) -> Iterator[Page]:
    """A fresh browser context on the site; fails the test on any script error in the page."""
    context = browser.new_context(base_url=site, locale="nl-NL", **{"viewport": DESKTOP, **options})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
    # Failed loads are reported once, by the response; the 404 page itself and a favicon are expected.
    page.on(
        "console",
        lambda message: (
            errors.append(f"console {message.type}: {message.text}")
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} for {response.url}")
            if response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    yield from open_page(browser, site)


@pytest.fixture
def phone(browser: Browser, site: str) -> Iterator[Page]:
    yield from open_page(browser, site, viewport=PHONE)


@pytest.fixture
def axe_page(browser: Browser, site: str) -> Iterator[Page]:
    """The site's Content-Security-Policy forbids the injected axe script, so only this context bypasses it."""
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing at {AXE}: run `npm ci --no-audit --no-fund` in the checkout "
            "(scripts/test.sh does this when node_modules/axe-core is missing)."
        )
    yield from open_page(browser, site, bypass_csp=True)


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def result_total(page: Page) -> int:
    text = page.locator(".result-count").inner_text().strip()
    match = TOTAL.match(text)
    assert match, f"unexpected result count text: {text!r}"
    return int(match.group(1))


def facet(page: Page, title: str):
    return page.get_by_role("group", name=title, exact=True)


def facet_counts(page: Page, title: str) -> dict[str, int]:
    """What the facet group promises: label -> the count shown next to it."""
    counts = {}
    for text in facet(page, title).locator("label").all_text_contents():  # folded-away values count too
        match = COUNT.match(text.strip())
        assert match, f"facet label without a count: {text!r}"
        counts[match["label"]] = int(match["count"])
    assert counts, f"facet group {title!r} has no values"
    return counts


def assert_checked(page: Page, expected: dict[str, set[str]]) -> None:
    """Exactly these values are ticked (facet title -> labels); waits for app.js after the back button."""
    for title, labels in expected.items():
        for label in labels:
            expect(value_box(page, title, label)).to_be_checked()
    expect(page.locator(".facet input[type=checkbox]:checked")).to_have_count(sum(map(len, expected.values())))


def chip_labels(page: Page) -> list[str]:
    return [
        label.removeprefix("Filter ").removesuffix(" verwijderen")
        for label in page.locator(".chips a.chip:not(.clear)").evaluate_all("els => els.map(e => e.ariaLabel)")
    ]


def value_box(page: Page, title: str, label: str):
    return facet(page, title).get_by_role("checkbox", name=re.compile(rf"^{re.escape(label)} \(\d+\)$"))


def toggle(page: Page, title: str, label: str, expected_query: dict[str, list[str]]) -> None:
    """Click one facet value like a person would; app.js submits the form, the URL shows the new state."""
    was_checked = value_box(page, title, label).is_checked()
    value_box(page, title, label).click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query) == expected_query)
    assert value_box(page, title, label).is_checked() != was_checked


def assert_state(page: Page, query: dict[str, list[str]], total: int, chips: list[str]) -> None:
    assert query_of(page) == query
    assert result_total(page) == total, f"{page.url}: the count does not match what the facets promised"
    assert sorted(chip_labels(page)) == sorted(chips)
    if chips:
        expect(page.locator(".chips")).to_be_visible()
    else:
        expect(page.locator(".chips")).to_have_count(0)
    expect(page.locator(".result")).to_have_count(min(total, PAGE_SIZE))


def history(page: Page, step: str) -> None:
    """The browser's back or forward button. A page restored from the back/forward cache fires no load
    event, so wait for the navigation to commit and the document to be complete."""
    (page.go_back if step == "back" else page.go_forward)(wait_until="commit")
    page.wait_for_function("document.readyState === 'complete'")


def focus_is_visible(page: Page) -> str:
    """The focused element, described, after checking that it shows a focus indicator."""
    style = page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60);
            return {what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${text}`,
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
        }"""
    )
    visible = (style["outline"] != "none" and style["width"] > 0) or style["shadow"] != "none"
    assert visible, f"no visible focus on {style['what']}: {style}"
    return style["what"]


# 1. Search ---------------------------------------------------------------------------------------------


def test_searching_from_the_home_page_shows_highlighted_hits(page: Page) -> None:
    page.goto(HOME)
    box = page.get_by_role("combobox", name="Waar zoekt u naar?")  # suggest.js gives it a list
    box.click()
    box.press_sequentially("loverboys")
    box.press("Enter")
    page.wait_for_url("**/zoeken?q=loverboys")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoekresultaten voor ‘loverboys’")
    assert result_total(page) >= 2
    first = page.locator(".result").first
    expect(first.get_by_role("heading")).to_contain_text("loverboys", ignore_case=True)
    marks = first.locator(".snippet mark")
    expect(marks.first).to_be_visible()
    assert all("loverboy" in text.lower() for text in marks.all_inner_texts())
    background = marks.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), "highlights must stand out"
    expect(page.get_by_role("combobox", name="Zoekvraag")).to_have_value("loverboys")


# 2. Facets ---------------------------------------------------------------------------------------------


def test_facets_narrow_the_results_as_promised_and_live_in_the_url(page: Page) -> None:
    page.goto("/zoeken?q=gemeente")
    expect(page.locator(".apply-filters")).to_be_hidden()  # app.js submits on every change
    total = result_total(page)
    kinds = facet_counts(page, "Soort document")
    themes_before = facet_counts(page, "Thema")
    first_kind, second_kind = list(kinds)[:2]
    assert kinds[first_kind] + kinds[second_kind] < total, "the query must have hits of other kinds too"
    start = {"q": ["gemeente"]}

    # One kind: a document has one kind, so the count shown is the number of results.
    one_kind = {**start, "soort": [slug_of(page, "Soort document", first_kind)]}
    toggle(page, "Soort document", first_kind, one_kind)
    assert_state(page, one_kind, kinds[first_kind], [f"Soort document: {first_kind}"])
    assert facet_counts(page, "Soort document") == kinds, "a facet's counts ignore its own selection"

    # A second kind in the same group: the two counts add up.
    two_kinds = {**start, "soort": [*one_kind["soort"], slug_of(page, "Soort document", second_kind)]}
    toggle(page, "Soort document", second_kind, two_kinds)
    both = kinds[first_kind] + kinds[second_kind]
    chips = [f"Soort document: {first_kind}", f"Soort document: {second_kind}"]
    assert_state(page, two_kinds, both, chips)
    assert facet_counts(page, "Soort document") == kinds
    themes = facet_counts(page, "Thema")
    assert all(themes[label] <= themes_before.get(label, 0) for label in themes), "other facets narrow"

    # A value in another group: the count promised next to it, given the kinds already chosen.
    theme = max((label for label, count in themes.items() if count < both), key=themes.get)
    with_theme = {**two_kinds, "thema": [slug_of(page, "Thema", theme)]}
    toggle(page, "Thema", theme, with_theme)
    assert_state(page, with_theme, themes[theme], [*chips, f"Thema: {theme}"])
    assert facet_counts(page, "Thema") == themes, "the theme counts ignore the theme selection"
    assert_checked(page, {"Soort document": {first_kind, second_kind}, "Thema": {theme}})

    # The back button walks back through the states, checkboxes included.
    history(page, "back")
    assert_state(page, two_kinds, both, chips)
    assert_checked(page, {"Soort document": {first_kind, second_kind}})
    history(page, "back")
    assert_state(page, one_kind, kinds[first_kind], chips[:1])
    assert_checked(page, {"Soort document": {first_kind}})
    history(page, "forward")
    history(page, "forward")
    assert_state(page, with_theme, themes[theme], [*chips, f"Thema: {theme}"])
    assert_checked(page, {"Soort document": {first_kind, second_kind}, "Thema": {theme}})

    # A chip removes its own filter.
    page.get_by_role("link", name=f"Filter Thema: {theme} verwijderen").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query) == two_kinds)
    assert_state(page, two_kinds, both, chips)
    history(page, "back")
    assert_state(page, with_theme, themes[theme], [*chips, f"Thema: {theme}"])

    # "Alle filters wissen" keeps the query and drops every filter.
    page.get_by_role("link", name="Alle filters wissen").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query) == start)
    assert_state(page, start, total, [])
    assert_checked(page, {})
    assert facet_counts(page, "Soort document") == kinds
    assert facet_counts(page, "Thema") == themes_before
    history(page, "back")
    assert_state(page, with_theme, themes[theme], [*chips, f"Thema: {theme}"])
    assert_checked(page, {"Soort document": {first_kind, second_kind}, "Thema": {theme}})


def slug_of(page: Page, title: str, label: str) -> str:
    """The URL value behind a facet label."""
    return value_box(page, title, label).get_attribute("value")


# 3. A hit at its page ----------------------------------------------------------------------------------


def test_a_hit_opens_at_the_page_that_matches(page: Page, site: str) -> None:
    page.goto("/zoeken?q=loverboys")
    hit = (
        page.locator(".result").filter(has=page.locator("h3 a[href*='#pagina-']")).filter(has=page.locator(".pages a"))
    )
    candidates = [
        result for result in hit.all() if int(result.locator("h3 a").get_attribute("href").rsplit("#pagina-", 1)[1]) > 1
    ]
    assert candidates, "expected a multi-page PDF hit whose best page is not the first"
    result = candidates[0]
    title = result.locator("h3 a")
    href = title.get_attribute("href")
    doc_id = re.match(r"^/document/([^?#]+)\?q=loverboys#pagina-(\d+)$", href)
    assert doc_id, href
    best_page = doc_id[2]

    pages = result.locator(".pages")
    expect(pages).to_contain_text("Gevonden op pagina")
    links = pages.get_by_role("link")
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert hrefs and all(re.fullmatch(rf"/bestand/{doc_id[1]}#page=\d+", h) for h in hrefs), hrefs
    assert f"/bestand/{doc_id[1]}#page={best_page}" in hrefs
    response = page.request.get(site + hrefs[0])
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    heading = title.inner_text()
    title.click()
    page.wait_for_url(f"**/document/{doc_id[1]}?q=loverboys#pagina-{best_page}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    section = page.locator(f"#pagina-{best_page}")
    expect(section).to_be_in_viewport()
    marks = section.locator("mark")
    expect(marks.first).to_be_visible()
    assert all("loverboy" in text.lower() for text in marks.all_inner_texts())
    expect(page.get_by_role("link", name=re.compile(r"^Origineel openen"))).to_have_attribute(
        "href", re.compile(rf"^/bestand/{doc_id[1]}#page=\d+$")
    )


# 4. Keyboard only --------------------------------------------------------------------------------------


def test_keyboard_only_from_home_to_a_document(page: Page) -> None:
    page.goto(HOME)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()

    page.keyboard.press("Tab")
    box = page.get_by_role("combobox", name="Waar zoekt u naar?")  # suggest.js gives it a list
    expect(box).to_be_focused()
    focus_is_visible(page)
    page.keyboard.type("loverboys")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken?q=loverboys")

    first_result = page.locator(".result h3 a").first
    title = first_result.inner_text()
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        visited.append(focus_is_visible(page))
        if first_result.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail(f"the first result was not reached in {MAX_TABS} tabs: {visited[:10]} …")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/document/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


# 5. Accessibility --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "path", "status"),
    [
        ("home", HOME, 200),
        ("search with results", "/zoeken?q=gemeente", 200),
        ("search with filters", "/zoeken?q=gemeente&soort=factsheet&thema=jeugd-en-veiligheid", 200),
        ("search without results", "/zoeken?q=qwxzyv", 200),
        ("all documents", "/zoeken", 200),
        ("document", "/document/monitor-mensenhandel-2024?q=mensenhandel", 200),
        ("dossier", DOSSIER, 200),
        ("themes", THEMES, 200),
        ("colofon", "/over/colofon", 200),
        ("contact", "/over/contact", 200),
        ("privacy", "/over/privacy", 200),
        ("accessibility statement", INFO, 200),
        ("not found", "/nergens", 404),
    ],
)
def test_every_kind_of_page_passes_axe(axe_page: Page, kind: str, path: str, status: int) -> None:
    response = axe_page.goto(path)
    assert response.status == status, kind
    if kind == "search without results":
        expect(axe_page.locator(".no-results")).to_be_visible()
    axe_page.add_script_tag(path=str(AXE))
    violations = axe_page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    report = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['target']}" for node in violation["nodes"])
        for violation in violations
    ]
    if violations:
        pytest.fail(f"axe found {len(violations)} violation(s) on {kind} {path}:\n" + "\n".join(report), pytrace=False)


# 6. Narrow screens and 7. screenshots ------------------------------------------------------------------

SCREENSHOT_PAGES = {
    "home": HOME,
    "search": SEARCH,
    "document": DOCUMENT,
    "dossier": DOSSIER,
    "themes": THEMES,
    "info": INFO,
    "not-found": "/nergens",
}
# At 360 px also a long report with a long title and long Dutch compounds in its text (no screenshot).
NARROW_PAGES = {**SCREENSHOT_PAGES, "long document": "/document/monitor-mensenhandel-2024?q=mensenhandel"}


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/screenshots/ (git-ignored), for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


@pytest.mark.parametrize("name", list(NARROW_PAGES))
def test_no_horizontal_scroll_at_360_pixels(phone: Page, name: str) -> None:
    phone.goto(NARROW_PAGES[name])
    width = phone.evaluate("document.documentElement.scrollWidth")
    if name in SCREENSHOT_PAGES:
        screenshot(phone, f"{name}-360")
    assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px: {width} px wide"


@pytest.mark.parametrize("name", list(SCREENSHOT_PAGES))
def test_full_page_screenshots(page: Page, name: str) -> None:
    page.goto(SCREENSHOT_PAGES[name])
    assert screenshot(page, name).stat().st_size > 10_000


# 8. Finding one's way: the dossier's contents, the theme cards, the filters on a phone ------------------


def test_walking_the_dossier_table_of_contents(page: Page) -> None:
    page.goto(DOSSIER)
    toc = page.get_by_role("navigation", name="Op deze pagina")
    links = toc.get_by_role("link")
    expect(links.first).to_have_text("Begin hier")
    labels = links.all_inner_texts()
    assert "Introductie" in labels and "Begrippen" in labels, labels
    for number, label in enumerate(labels):
        page.goto(DOSSIER)  # back at the top each time: every entry must bring its part into view
        link = page.get_by_role("navigation", name="Op deze pagina").get_by_role("link").nth(number)
        anchor = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"**{anchor}")
        target = page.locator(anchor)
        expect(target).to_be_in_viewport()
        expect(target).to_have_text(label)
        assert target.evaluate("el => /^H[2-4]$/.test(el.tagName)"), f"{label} leads to a heading"


def test_the_home_page_leaves_no_lonely_theme_card(page: Page) -> None:
    page.goto(HOME)
    cards = [box for box in (card.bounding_box() for card in page.locator(".theme-card").all()) if box]
    rows: dict[float, list[dict]] = {}
    for box in cards:
        rows.setdefault(round(box["y"]), []).append(box)
    right_edges = {round(max(box["x"] + box["width"] for box in row)) for row in rows.values()}
    assert len(rows) > 1 and len(right_edges) == 1, f"every row of cards fills the width: {rows}"


def test_on_a_phone_the_results_come_before_the_filters(phone: Page, page: Page) -> None:
    phone.goto(SEARCH)
    first_result = phone.locator(".result").first
    expect(first_result).to_be_in_viewport()
    toggle = phone.locator(".filter-panel > summary")
    expect(toggle).to_have_text("Filters (1 gekozen)")
    kinds = facet(phone, "Soort document")
    expect(kinds).to_be_hidden()
    toggle.click()
    expect(kinds).to_be_visible()
    assert facet_counts(phone, "Soort document")

    page.goto(SEARCH)  # on a wide screen the filters are simply there
    expect(facet(page, "Soort document")).to_be_visible()
    expect(page.locator(".filter-panel > summary")).to_be_hidden()


# 9. Year range, numbered pages, results per page ---------------------------------------------------------


def test_a_year_range_numbered_pages_and_results_per_page(page: Page) -> None:
    page.goto("/zoeken?q=gemeente")
    years = facet(page, "Jaar")
    years.get_by_label("Van").fill("2022")
    years.get_by_label("Tot en met").fill("2024")
    years.get_by_role("button", name="Periode toepassen").click()
    page.wait_for_url(lambda url: "jaar=" in url)
    chosen = query_of(page)["jaar"]
    assert chosen and all(2022 <= int(year) <= 2024 for year in chosen), chosen
    assert query_of(page)["q"] == ["gemeente"]
    for year in chosen:
        expect(years.get_by_role("checkbox", name=re.compile(rf"^{year} \(\d+\)$"))).to_be_checked()

    page.goto("/zoeken")
    pages = page.get_by_role("navigation", name="Paginering")
    pages.get_by_role("link", name="Pagina 3", exact=True).click()
    page.wait_for_url(lambda url: query_of(page) == {"pagina": ["3"]})
    expect(pages.locator("[aria-current=page]")).to_have_text("3")
    page.get_by_role("link", name="25 resultaten per pagina").click()
    page.wait_for_url(lambda url: query_of(page) == {"aantal": ["25"]})
    expect(page.locator(".result")).to_have_count(25)


# 10. Suggestions while typing ----------------------------------------------------------------------------


def test_suggestions_while_typing_finish_words_and_open_a_document(page: Page) -> None:
    page.goto(HOME)
    box = page.get_by_role("combobox", name="Waar zoekt u naar?")  # a search box with a list
    box.press_sequentially("mensenh")
    options = page.locator("#zoekterm-suggesties option")
    expect(options.first).to_have_attribute("value", "mensenhandel")
    titles = page.locator("#zoekterm-suggesties option[label=document]")
    expect(titles.first).to_be_attached()
    title = titles.first.get_attribute("value")
    box.fill(title)  # as choosing it from the list does
    box.press("Enter")
    page.wait_for_url(re.compile(r"/document/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
