"""Dutch compounds split by general Dutch frequencies and the corpus's own words, in the index and in
queries: "jeugd bescherming" and "jeugdbescherming" find each other in any corpus, no word list needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from indexer.analysis import lexicon
from indexer.analysis.analyzers import base_words
from indexer.analysis.lexicon import compound_parts, document_vocabulary, split_compound
from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS, DOCUMENTS_DIR, THEMES_DIR
from indexer.engine.kennisbank import WARM_UP_QUERY
from indexer.engine.query_context import QueryContext
from indexer.extract import extract
from indexer.themes.taxonomy import load_taxonomy
from tests.builders import write_texts

CONTEXT = QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))


@pytest.mark.parametrize(
    ("word", "parts", "why"),
    [
        ("jeugdbescherming", ("jeugd", "bescherming"), "two frequent words"),
        ("kinderporno", ("kinder", "porno"), "a part that is a plural stem"),
        ("beleidskader", ("beleid", "kader"), "linking s"),
        ("vrouwenhandel", ("vrouw", "handel"), "linking en"),
        ("meldpunt", ("meld", "punt"), "a verb stem as first part (melden)"),
        ("mensenhandelmonitor", ("mensenhandel", "monitor"), "the fewest frequent words"),
        ("jeugdbeschermingstafel", ("jeugd", "bescherming", "tafel"), "recursively, when a part is no word of its own"),
        ("schoolveiligheid", ("school", "veiligheid"), "a word no corpus list held"),
    ],
)
def test_should_split(word: str, parts: tuple[str, ...], why: str) -> None:
    assert split_compound(word) == parts, why


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("verbinding", "ver- is a prefix, not a word of the compound"),
        ("onderzoek", "a stop word is never a part"),
        ("aanzienlijk", "-lijk is a suffix"),
        ("criminaliteit", "no frequent parts"),
        ("radicalisering", "no frequent parts"),
        ("kort", "too short to be a compound"),
        ("covid19maatregel", "not letters only"),
    ],
)
def test_should_not_split(word: str, why: str) -> None:
    assert split_compound(word) == (), why


def test_the_index_holds_every_run_of_parts_so_a_first_part_finds_long_compounds() -> None:
    assert set(compound_parts("mensenhandelmonitor")) >= {"mensenhandel", "mensen", "handel", "monitor"}
    assert "mensenhandelmonitor" not in compound_parts("mensenhandelmonitor")


def test_a_word_the_document_uses_on_its_own_splits_its_compounds() -> None:
    assert compound_parts("femicidecijfers") == (), "'femicide' is rare in general Dutch"
    with document_vocabulary([["femicide", "stijgt"], ["cijfers", "femicide"]]):
        assert compound_parts("femicidecijfers") == ("femicide", "cijfers")
    with document_vocabulary([["femicide", "stijgt"]]):
        assert compound_parts("femicidecijfers") == (), "used on one line only: could be a typo or debris"


KNOWS_IT = [["femicide", "daders"], ["femicide"], ["daders"]]
KNOWS_IT_NOT = [["femicide", "cijfers", "dalen"], ["cijfers", "dalen"]]  # "femicide" on one line only
SPLIT = ("femicide", "cijfers")


@pytest.mark.parametrize(
    "documents",
    [
        [(KNOWS_IT_NOT, ()), (KNOWS_IT, SPLIT), (KNOWS_IT_NOT, ())],
        [(KNOWS_IT, SPLIT), (KNOWS_IT_NOT, ()), (KNOWS_IT, SPLIT)],
    ],
    ids=["not-known-first", "known-first"],
)
def test_a_split_kept_for_later_documents_serves_only_documents_that_know_the_same_parts(documents) -> None:
    """One process's documents in turn, each splitting "femicidecijfers" as if it were the first."""
    lexicon._known_splits.cache_clear()  # no split kept from other tests
    for turn, (lines, parts) in enumerate(documents):
        with document_vocabulary(lines):
            assert compound_parts("femicidecijfers") == parts, f"document {turn + 1}"


def _bundled_documents() -> list[list[list[str]]]:
    """The bundled corpus's Markdown and HTML documents, as lines of base words."""
    words = base_words()
    paths = sorted(path for path in (BUNDLED_CORPUS / DOCUMENTS_DIR).iterdir() if path.suffix in {".md", ".html"})
    return [[[token.text for token in words(line)] for line in extract(path).text.split("\n")] for path in paths]


def _parts_of_every_word(documents: list[list[list[str]]], keep_splits: bool) -> list[dict[str, tuple[str, ...]]]:
    found = []
    for lines in documents:
        if not keep_splits:
            lexicon._known_splits.cache_clear()  # every document splits its words anew, as it once did
        with document_vocabulary(lines):
            found.append({word: compound_parts(word) for line in lines for word in line})
    return found


def test_splits_kept_across_documents_are_the_splits_each_document_makes_on_its_own() -> None:
    documents = _bundled_documents()
    kept = _parts_of_every_word(documents, keep_splits=True)
    assert kept == _parts_of_every_word(documents, keep_splits=False)
    assert sum(1 for parts in kept for split in parts.values() if split) > 500, "the documents have compounds"


def test_a_query_compound_of_a_word_rare_in_dutch_splits_when_the_index_has_it() -> None:
    assert split_compound("femicidecijfers", {"femicide"}.__contains__) == ("femicide", "cijfers")
    assert split_compound("femicidecijfers", set().__contains__) == ()


WRITINGS = {
    "samen": "De jeugdbescherming grijpt in wanneer een kind ernstig wordt bedreigd in zijn ontwikkeling.",
    "apart": "Bij jeugd bescherming gaat het om maatregelen wanneer een kind wordt bedreigd.",
    "porno": "De politie spoort verspreiders van porno met kinderen op, en beelden van misbruik van kinderen.",
    "femicide": "Femicide komt vaker voor dan gedacht. Over femicide zijn weinig cijfers bekend.",
    "anders": "De gemeente onderhoudt de parken en plantsoenen in alle wijken van de stad.",
}


@pytest.fixture
def index(docs: Path, reindex, index_root: Path):
    write_texts(docs, WRITINGS, repeat=2)
    assert reindex().ok
    return IndexStore(index_root).open()


def found(index, text: str) -> set[str]:
    return {hit.id for hit in search(index, text, CONTEXT, page_size=20).hits}


@pytest.mark.parametrize(
    ("query", "expected", "why"),
    [
        ("jeugd bescherming", {"samen", "apart"}, "two words find the compound they make"),
        ("jeugdbescherming", {"samen", "apart"}, "the compound finds its words written apart"),
        ("kinderporno", {"porno"}, "a compound finds 'porno met kinderen'"),
        ("femicidecijfers", {"femicide"}, "a part rare in Dutch counts when the corpus has it"),
    ],
)
def test_compounds_and_their_words_written_apart_find_each_other(index, query: str, expected: set, why: str) -> None:
    assert found(index, query) == expected, why


def test_the_document_that_writes_the_compound_as_typed_ranks_first(index) -> None:
    assert [hit.id for hit in search(index, "jeugdbescherming", CONTEXT).hits] == ["samen", "apart"]


def test_a_warmed_up_server_process_splits_new_compounds_without_reading_the_word_lists_again(
    corpus: Path, docs: Path, reindex, index_root: Path
) -> None:
    """Splitting a compound the index does not hold needs Dutch word frequencies: the warm-up builds
    them, so a visitor's search neither waits for the word list to be read (a second) nor leaves it
    in the process's memory. The warm-up's own words are in the index here, so its search splits
    nothing anew; and the server is a process of its own, as this one indexed already."""
    write_texts(
        docs,
        {
            "wijkaanpak": WARM_UP_QUERY.replace('"', ""),
            "casusoverleg": "De Raad voor de Kinderbescherming lichtte in het overleg de werkwijze toe.",
        },
    )
    reindex()
    server_process = f"""
from search_app.main import warmed_app
from wordfreq import get_frequency_dict
client = warmed_app({{"CORPUS": {str(corpus)!r}, "INDEX": {str(index_root)!r}, "TESTING": True}}).test_client()
page = client.get("/zoeken?q=kinderbeschermingswerkwijzeoverleg").get_data(as_text=True)
print("/document/casusoverleg" in page, get_frequency_dict.cache_info().currsize)
"""
    done = subprocess.run([sys.executable, "-c", server_process], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    found, lists_held = done.stdout.splitlines()[-1].split()
    assert found == "True", "found by the parts of the compound"
    assert lists_held == "0", "the search read no word list"
