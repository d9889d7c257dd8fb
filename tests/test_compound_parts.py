"""A compound's parts on their own are a last resort, and a part most documents have must not open
the gates: the index's own document frequencies decide."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.backends.whoosh.search import search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.engine.query_context import QueryContext
from indexer.themes.taxonomy import load_taxonomy
from tests.builders import write_texts

CONTEXT = QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))

# Most documents speak of an "adviseur" and of "preventie"; one is about burglary.
DOCUMENTS = {
    "inbraak": "Na een woninginbraak komt de wijkagent langs. Een inbraak meldt u altijd bij de politie.",
    "monitor": "De mensenhandelmonitor telt de meldingen van slachtoffers in de regio per jaar.",
    "zorg": "Criminaliteit in de zorg kost gemeenten jaarlijks miljoenen euro's aan onterechte declaraties.",
    **{
        f"advies-{topic}": f"De adviseur bespreekt de preventie van {topic} met bewoners en ondernemers."
        for topic in ("overlast", "brandgevaar", "eenzaamheid", "schulden", "verslaving", "pesten", "zwerfafval")
    },
}


def found(index, text: str) -> tuple[int, set[str]]:
    results = search(index, text, CONTEXT, page_size=100)
    return results.total, {hit.id for hit in results.hits}


@pytest.fixture
def index(docs: Path, reindex, index_root: Path):
    write_texts(docs, DOCUMENTS, repeat=3)
    assert reindex().ok
    return IndexStore(index_root).open()


def test_a_part_most_documents_have_does_not_find_them_on_its_own(index) -> None:
    assert found(index, "inbraakpreventieadviseur") == (1, {"inbraak"}), (
        "'adviseur' and 'preventie' are in most documents; 'inbraak' is what the word is about"
    )


ADVICE = {name for name in DOCUMENTS if name.startswith("advies-")}


@pytest.mark.parametrize(
    ("query", "expected", "why"),
    [
        ("mensenhandel", {"monitor"}, "a word finds the compounds that contain it"),
        ("zorgcriminaliteit", {"zorg"}, "a compound finds its parts written apart"),
        ("preventieadviseur", ADVICE, "all parts together still match, however common"),
        ("adviseur", ADVICE, "a common word still finds itself"),
    ],
)
def test_compounds_still_find_their_parts(index, query: str, expected: set[str], why: str) -> None:
    assert found(index, query)[1] == expected, why


def test_on_the_bundled_corpus_the_word_finds_what_is_about_it_not_most_documents(bundled_index: Path) -> None:
    index = IndexStore(bundled_index).open()
    documents, _ = found(index, "")
    total, hits = found(index, "inbraakpreventieadviseur")
    assert total <= documents // 4, f"{total} of {documents} documents"
    assert found(index, "inbraak")[1] <= hits, "the documents about burglary are found"
    assert "monitor-mensenhandel-2024" in found(index, "mensenhandel")[1]
