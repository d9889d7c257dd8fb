"""What professionals type, and what they get back: compounds, acronyms, typos, syntax, pages.

Every test of what a search finds runs against both engines through the seam (`SearchBackend`): the
embedded index and the Typesense cluster (`conftest.ENGINES`); the suggestion word table is the
embedded engine's own, and its test runs on it alone."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.backends.config import EngineConfig
from indexer.backends.typesense import searching
from indexer.backends.whoosh.store import IndexStore
from indexer.backends.whoosh.word_table import SPELLING_FIELD, WordTable
from indexer.engine.backend_choice import open_search
from indexer.engine.index_backend import SearchBackend
from indexer.engine.query import parse_query
from indexer.engine.query_context import QueryContext
from indexer.engine.results import SearchRequest, SearchResults
from indexer.engine.syntax import prepare
from tests.builders import write_pdf
from tests.conftest import CONTEXT, settled


@pytest.fixture(scope="module")
def index(bundled_engine: tuple[Path, EngineConfig | None]) -> SearchBackend:
    """The bundled corpus in each engine."""
    return open_search(*bundled_engine)


@pytest.fixture
def indexed(reindex, index_root: Path, engine: EngineConfig | None):
    """Index the test's corpus into each engine in turn; returns the index as searches read it."""

    def run() -> SearchBackend:
        reindex(engine=engine)
        settled(engine)
        return open_search(index_root, engine)

    return run


def search(index: SearchBackend, text: str, context: QueryContext = CONTEXT, **request: object) -> SearchResults:
    return index.search(SearchRequest(text, request.pop("selections", {}), **request), context)


def ids(index: SearchBackend, text: str, limit: int = 10) -> list[str]:
    return [hit.id for hit in search(index, text, page_size=limit).hits]


@pytest.mark.parametrize(
    ("text", "prepared", "why"),
    [
        ("PGA-R", "PGA_R", "a hyphenated acronym stays one word"),
        ("radicali* -jihadisme", "radicali* NOT jihadisme", "a leading minus excludes"),
        ("zorg- en veiligheid", "zorg  en veiligheid", "a Dutch ellipsis is not an exclusion"),
        ("e-mail", "e mail", "a hyphen inside a word separates"),
        ("thema:zorg-en-veiligheid", "thema:zorg-en-veiligheid", "filter values keep their hyphens"),
        ("-thema:mensenhandel", "NOT thema:mensenhandel", "a filter can be excluded"),
    ],
)
def test_query_preparation(text: str, prepared: str, why: str) -> None:
    assert prepare(text) == prepared, why


@pytest.mark.parametrize(
    "text", ['"', "(((", "))", "-", "OR", "AND AND", "thema:", "jaar:[2020", "*", "a^^^", "\\", "ü*?"]
)
def test_malformed_input_never_raises(index, text: str) -> None:
    search(index, text)
    parse_query(text, CONTEXT)


def test_a_compound_part_finds_the_compound_and_exact_matches_rank_first(docs: Path, indexed) -> None:
    write_pdf(
        docs / "alleen-samenstelling.pdf",
        [["De mensenhandelmonitor laat een stijging zien van het aantal meldingen."] * 3],
    )
    write_pdf(docs / "los-woord.pdf", [["Mensenhandel is een ernstig misdrijf dat slachtoffers diep raakt."] * 3])
    found = ids(indexed(), "mensenhandel")
    assert found == ["los-woord", "alleen-samenstelling"]


def test_a_last_part_that_stemming_changes_finds_the_compound(docs: Path, indexed) -> None:
    # "basisschool" stems to "basisschol", which is no compound of "schol": the parts are the word's.
    write_pdf(docs / "scholen.pdf", [["De basisschool en de buurtschool werken samen met de wijkagent."] * 3])
    write_pdf(docs / "anders.pdf", [["De wijkagent loopt zijn ronde door de buurt."] * 3])
    assert ids(indexed(), "school") == ["scholen"]


def test_a_compound_query_finds_its_parts_near_each_other(docs: Path, indexed) -> None:
    write_pdf(docs / "gescheiden.pdf", [["Criminaliteit in de zorg kost gemeenten jaarlijks miljoenen euro's."] * 3])
    write_pdf(
        docs / "ver-uit-elkaar.pdf",
        [
            [
                "De zorg voor ouderen is goed geregeld in deze gemeente, zo bleek uit het "
                "onderzoek van vorig jaar naar voorzieningen en wachtlijsten. Criminaliteit "
                "daalde in dezelfde periode licht."
            ]
            * 3
        ],
    )
    found = ids(indexed(), "zorgcriminaliteit")
    assert found[0] == "gescheiden", "parts close together match; parts far apart only as a last resort"
    assert found[1:] in ([], ["ver-uit-elkaar"])


def test_an_acronym_finds_documents_that_spell_it_out_and_says_so(docs: Path, indexed) -> None:
    write_pdf(
        docs / "voluit.pdf", [["De persoonsgerichte aanpak radicalisering vraagt om een zorgvuldig casusoverleg."] * 3]
    )
    write_pdf(docs / "afkorting.pdf", [["In het PGA-R overleg bespreken de partners elke casus."] * 3])
    index = indexed()
    results = search(index, "PGA-R")
    assert {hit.id for hit in results.hits} == {"voluit", "afkorting"}
    assert results.expansions == ("PGA-R → Persoonsgerichte Aanpak Radicalisering",)
    assert {hit.id for hit in search(index, "persoonsgerichte aanpak radicalisering").hits} == {
        "voluit",
        "afkorting",
    }


def test_a_typo_gets_a_suggestion_and_its_results(index) -> None:
    results = search(index, "mensehandel")
    assert results.suggestion == "mensenhandel" and results.corrected
    assert results.total > 5 and results.hits


def test_two_swapped_letters_in_a_short_word_are_one_edit(index) -> None:
    """A short word may be one edit off; a swap of two adjacent letters counts as one edit, not two."""
    results = search(index, "wapnes")
    assert results.suggestion == "wapens" and results.corrected and results.hits


def test_a_known_word_gets_no_suggestion(index) -> None:
    results = search(index, "straattriage")
    assert results.suggestion is None and not results.corrected and results.total >= 1


def test_phrases_exclusions_and_or(index) -> None:
    assert ids(index, '"dwingende controle"')[0] == "factsheet-femicide-intiem-terrorisme-dwingende-controle"
    with_gvi = set(ids(index, "wapens", 50))
    without_gvi = set(ids(index, "wapens -gvi", 50))
    assert without_gvi and without_gvi < with_gvi
    assert set(ids(index, "loverboys OR ransomware", 50)) >= set(ids(index, "loverboys", 50)) | set(
        ids(index, "ransomware", 50)
    )


def test_prefixes(index) -> None:
    assert "handboek-pga-r-persoonsgerichte-aanpak-radicalisering" in ids(index, "radicali*")


def test_field_filters_in_the_query(index) -> None:
    hits = search(index, "thema:jeugd soort:factsheet", page_size=50).hits
    assert hits and all("jeugd-en-veiligheid" in hit.themes and hit.kind == "factsheet" for hit in hits)
    assert all(hit.year == 2024 for hit in search(index, "jaar:2024 gemeente", page_size=50).hits)


def test_hits_name_their_pages_and_snippets_are_escaped_html(index) -> None:
    hit = search(index, "straattriage").hits[0]
    assert hit.id == "handreiking-personen-met-onbegrepen-gedrag-straattriage-wvggz"
    assert hit.pages and hit.best_page in hit.pages
    snippet = BeautifulSoup(hit.snippet, "html.parser")
    assert [tag.name for tag in snippet.find_all(True)] and all(tag.name == "mark" for tag in snippet.find_all(True))


def test_document_text_is_escaped_in_snippets(docs: Path, indexed) -> None:
    write_pdf(docs / "opmaak.pdf", [["Zet nooit <b>vet</b> of <script>x()</script> in de gemeentelijke website."] * 3])
    snippet = search(indexed(), "gemeentelijke website").hits[0].snippet
    assert "&lt;b&gt;vet&lt;/b&gt;" in snippet and "&lt;script&gt;" in snippet
    assert {tag.name for tag in BeautifulSoup(snippet, "html.parser").find_all(True)} == {"mark"}


def test_stemmed_forms_and_compound_parts_are_highlighted(docs: Path, indexed) -> None:
    write_pdf(
        docs / "vormen.pdf", [["Slachtoffers melden zich bij de mensenhandelmonitor en bij het slachtoffer-loket."] * 3]
    )
    snippet = search(indexed(), "slachtoffer mensenhandel").hits[0].snippet
    marked = {mark.get_text() for mark in BeautifulSoup(snippet, "html.parser").find_all("mark")}
    assert {"Slachtoffers", "mensenhandelmonitor"} <= marked


def test_words_whose_stem_changes_their_letters_are_highlighted(docs: Path, indexed) -> None:
    # Dutch stemming makes "straat" "strat" and "eenheden" "eenheid": the stem is no beginning of the word.
    lines = ["Een verslag over de wijk, de bewoners en het plein bij de haven."] * 20
    text = "De gemeenteraad sprak over de straat bij het schoolplein en over de eenheden van de politie."
    write_pdf(docs / "raad.pdf", [[*lines, text]])
    index = indexed()
    for query, word in [
        ("straat", "straat"),
        ("raad", "gemeenteraad"),
        ("school", "schoolplein"),
        ("eenheid", "eenheden"),
    ]:
        snippet = BeautifulSoup(search(index, query).hits[0].snippet, "html.parser")
        assert word in {mark.get_text() for mark in snippet.find_all("mark")}, query


def test_a_snippet_comes_from_far_down_a_long_page(docs: Path, indexed) -> None:
    lines = ["Ideeën over de café in de wijk en de ﬁetsers op het plein."] * 60  # accents, a ligature
    write_pdf(docs / "lang.pdf", [[*lines, "Daarna kwam de buurtbemiddelaar langs bij de bewoners.", *lines[:5]]])
    snippet = search(indexed(), "buurtbemiddelaar").hits[0].snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>buurtbemiddelaar</mark> langs bij de bewoners" in snippet


def test_every_multi_page_hit_names_its_pages_whatever_the_ranking(docs: Path, indexed) -> None:
    write_pdf(docs / "eerste.pdf", [["Inleiding over de wijk."], ["Hier staan zwerfjongeren een keer."]])
    indexed()
    # Added later, so after the first in the index, but ranked before it.
    write_pdf(
        docs / "tweede.pdf", [["Inleiding."], ["Nog een pagina."], ["Zwerfjongeren, zwerfjongeren en zwerfjongeren."]]
    )
    hits = search(indexed(), "zwerfjongeren").hits
    assert [(hit.id, hit.pages, hit.best_page) for hit in hits] == [("tweede", (3,), 3), ("eerste", (2,), 2)]


def test_a_one_page_hit_names_its_page_only_when_a_query_word_stands_on_it(docs: Path, indexed) -> None:
    write_pdf(docs / "buurtpreventie.pdf", [["De buurtpreventie in Maassluis loopt avondrondes met de wijkagent."] * 3])
    write_pdf(
        docs / "alleen-titel.pdf",
        [["Een verslag van de bewonersavond over samenwerking in de wijk."] * 3],
        title="Buurtpreventie in Maassluis",
    )
    hits = {hit.id: hit for hit in search(indexed(), "buurtpreventie").hits}
    in_text, in_title = hits["buurtpreventie"], hits["alleen-titel"]
    assert (in_text.pages, in_text.best_page) == ((1,), 1)
    assert "<mark>buurtpreventie</mark>" in in_text.snippet
    assert (in_title.pages, in_title.best_page) == ((), None)
    assert "<mark>" not in in_title.snippet


def test_the_suggestion_word_table_holds_exactly_the_indexed_words(docs: Path, reindex, index_root: Path) -> None:
    reindex()
    write_pdf(docs / "nieuw.pdf", [["Het buurtbemiddelingsteam overlegt met de wijkregisseur."] * 3])
    reindex()
    with IndexStore(index_root).open().reader() as reader:
        assert WordTable.read(reader, {}).words == [word.decode() for word in reader.lexicon(SPELLING_FIELD)]
        assert "buurtbemiddelingsteam" in WordTable.read(reader, {}).words


def test_more_like_this(index) -> None:
    similar_hits = index.similar("factsheet-seksuele-uitbuiting-loverboys-pooierboys", 5)
    assert similar_hits and "factsheet-seksuele-uitbuiting-loverboys-pooierboys" not in {hit.id for hit in similar_hits}
    assert any("mensenhandel" in hit.themes for hit in similar_hits)


def test_more_like_this_on_the_cluster_is_the_same_before_and_after_a_search(
    bundled_index: Path, bundled_cluster: EngineConfig
) -> None:
    """The number of documents it weighs terms by is the one a search counted, or asked when none ran."""
    doc_id = "factsheet-seksuele-uitbuiting-loverboys-pooierboys"
    backend = open_search(bundled_index, bundled_cluster)
    before = [(hit.id, hit.score) for hit in backend.similar(doc_id, 5)]
    backend.search(SearchRequest("mensenhandel", {}), CONTEXT)
    assert before and [(hit.id, hit.score) for hit in backend.similar(doc_id, 5)] == before


def test_eight_threads_share_one_index_without_errors(index) -> None:
    """Whoosh's own stemming cache fails now and then under threads; ours must not."""
    queries = [
        "mensenhandel",
        "radicalisering jongeren",
        "zorgcriminaliteit",
        "PGA-R",
        "straattriage",
        "wapens -gvi",
        "meldroutekaart",
        "slachtoffers uitbuiting",
    ]
    errors: list[BaseException] = []

    def run(offset: int) -> None:
        try:
            for round_ in range(15):
                search(index, queries[(offset + round_) % len(queries)], page=1 + round_ % 2)
        except BaseException as exc:  # noqa: BLE001 - every failure under threads is what this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_the_item_that_writes_the_words_as_compounds_is_found_beside_the_one_writing_them_apart(
    docs: Path, indexed
) -> None:
    """A report that mentions every word must not hide the short item about the subject that writes
    them as compounds ("jeugdgeweld", "voetbalwedstrijden"): both lead, nothing without the words follows."""
    write_pdf(
        docs / "jeugdgeweld.pdf", [["Jeugdgeweld bij voetbalwedstrijden: ouders op de vuist langs het veld."] * 3]
    )
    write_pdf(docs / "rapport.pdf", [["Jeugd, geweld en een wedstrijd: een rapport over alles."] * 3])
    write_pdf(docs / "weer.pdf", [["Het weer blijft zonnig en droog in het hele land."] * 3])
    results = search(indexed(), "jeugd geweld wedstrijd")
    assert {hit.id for hit in results.hits[:2]} == {"rapport", "jeugdgeweld"}
    assert results.total == 2, "the weather report has none of the words"


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest("jeugdcriminaliteit aanpak", {}),
        SearchRequest("gemeente", {"kind": {"factsheet", "monitor"}, "themes": {"mensenhandel"}}, page=2, page_size=5),
        SearchRequest('"zorg en veiligheid" -jeugd', {}, sort="datum"),
        SearchRequest("", {"year": {"2025"}}),
        SearchRequest("PGA-R radicali*", {}),
        SearchRequest("hoeveel slachtoffers van mensenhandel worden er per jaar gemeld bij de politie", {}),
    ],
    ids=["words", "facets-and-paging", "phrase-exclusion-by-date", "listing", "acronym-and-pattern", "long-question"],
)
def test_the_cluster_answers_as_the_embedded_engine(
    bundled_index: Path, bundled_cluster: EngineConfig, request_: SearchRequest
) -> None:
    on_disk = open_search(bundled_index).search(request_, CONTEXT)
    on_cluster = open_search(bundled_index, bundled_cluster).search(request_, CONTEXT)
    assert [hit.id for hit in on_cluster.hits] == [hit.id for hit in on_disk.hits]
    assert [hit.pages for hit in on_cluster.hits] == [hit.pages for hit in on_disk.hits]
    assert all(hit.best_page in hit.pages for hit in on_cluster.hits if hit.pages), "the best of them: may differ"
    assert (on_cluster.total, on_cluster.facets, on_cluster.expansions, on_cluster.notes) == (
        on_disk.total, on_disk.facets, on_disk.expansions, on_disk.notes
    )  # fmt: skip


def test_past_its_candidates_the_cluster_counts_the_total_and_facets_itself(
    bundled_index: Path, bundled_cluster: EngineConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_ = SearchRequest("gemeente", {"kind": {"factsheet", "monitor"}})
    on_disk = open_search(bundled_index).search(request_, CONTEXT)
    monkeypatch.setattr(searching, "MAX_CANDIDATES", 5)  # fewer than the query matches
    on_cluster = open_search(bundled_index, bundled_cluster).search(request_, CONTEXT)
    assert (on_cluster.total, on_cluster.facets) == (on_disk.total, on_disk.facets)
    assert on_disk.total > 5


def test_past_its_candidates_the_cluster_ranks_the_best_text_matches(
    bundled_index: Path, bundled_cluster: EngineConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_ = SearchRequest("hoeveel slachtoffers van mensenhandel worden er per jaar gemeld bij de politie", {})
    on_disk = open_search(bundled_index).search(request_, CONTEXT)
    monkeypatch.setattr(searching, "MAX_CANDIDATES", 10)  # fewer than the question's loosest reading matches
    on_cluster = open_search(bundled_index, bundled_cluster).search(request_, CONTEXT)
    assert on_disk.total > 10
    assert [hit.id for hit in on_cluster.hits[:3]] == [hit.id for hit in on_disk.hits[:3]]


@pytest.mark.parametrize("text", ["gemeente", "loverboys", "PGA-R"], ids=["most-documents", "few", "acronym"])
def test_each_facet_value_counts_the_documents_that_selecting_it_finds(index, text: str) -> None:
    """The counts beside the facets are what a click on them gives, for broad and rare queries alike."""
    results = search(index, text)
    assert results.total
    for facet in results.facets:
        for value in facet.values:
            narrowed = search(index, text, selections={facet.field: {value.value}})
            assert narrowed.total == value.count, (facet.field, value.value)
        assert sum(value.count for value in facet.values) >= results.total, facet.field
