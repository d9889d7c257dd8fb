"""Prefixes and wildcards: one capped expansion for every query path, leading wildcards refused.

Issue 16, items 6 and 13: `radicali*` marked nothing, showed the summary cut mid-word and no page;
`*a* *e* *i* *o* *n*` made Whoosh's page-hit step expand every term of the index, which took
seconds per request for everyone. Timing is not asserted here (see `bench/wildcard_flood.py`):
what is checked is what a user sees and that every path works from the same capped terms.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from itertools import product
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.analysis.wordforms import fold, stem
from indexer.backends.whoosh.expansion import Expansion
from indexer.backends.whoosh.search import LIMITED_NOTE, search
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import BUNDLED_CORPUS, THEMES_DIR
from indexer.engine.expansion import MAX_EXPANDED_TERMS
from indexer.engine.highlighting import terms_of
from indexer.engine.query import parse_query
from indexer.engine.query_context import QueryContext
from indexer.engine.query_model import field_terms
from indexer.themes.taxonomy import load_taxonomy
from tests.builders import write_pdf
from tests.test_api import validate
from tests.test_cli import kennisbank

CONTEXT = QueryContext.from_taxonomy(load_taxonomy(BUNDLED_CORPUS / THEMES_DIR))
# More words with one prefix than the cap lets a query expand to.
MANY_WORDS = ["zz" + "".join(letters) for letters in product("bcdfgklmnp", repeat=3)][: MAX_EXPANDED_TERMS * 2]
# In more documents than any other word with that prefix, so it is among the terms searched.
COMMON_WORD = "zzoveral"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def _marked(snippet: str) -> list[str]:
    return [mark.get_text() for mark in BeautifulSoup(snippet, "html.parser").find_all("mark")]


@pytest.fixture
def radicalisation_index(docs: Path, reindex, index_root: Path):
    write_pdf(
        docs / "rapport-jongeren.pdf",
        [
            ["Inleiding over de wijkaanpak en de samenwerking tussen gemeenten en politie."],
            ["Signalen van radicalisering bij jongeren vragen om een snelle reactie van de school."],
            ["Tot slot de afspraken over de wijkaanpak."],
        ],
    )
    (docs / "notitie-wijk.txt").write_text(
        "Notitie over de wijk\n\nDe buurt is rustig. Het team let op tekenen van radicaliseren in de wijk.",
        encoding="utf-8",
    )
    reindex()
    return IndexStore(index_root).open()


def test_a_prefix_query_marks_its_matches_and_shows_the_page_they_are_on(radicalisation_index) -> None:
    results = search(radicalisation_index, "radicali*", CONTEXT)
    hits = {hit.id: hit for hit in results.hits}
    assert set(hits) == {"rapport-jongeren", "notitie-wijk"}
    for hit in hits.values():
        marked = _marked(hit.snippet)
        assert marked and all(fold(word).startswith("radicali") for word in marked), hit.snippet
    report = hits["rapport-jongeren"]
    assert (report.pages, report.best_page) == ((2,), 2), "the page with the word, not the first page"
    assert "Signalen van" in report.snippet and "Inleiding" not in report.snippet, "the snippet is from page 2"
    assert hits["notitie-wijk"].best_page == 1 and "tekenen van" in hits["notitie-wijk"].snippet


@pytest.mark.parametrize("text", ["ra?ical*", "radicalisering*", "radicalis?ring"])
def test_patterns_fit_words_as_written(radicalisation_index, text: str) -> None:
    """Not the stems the index holds: "radicalisering*" must find "radicalisering" (stem "radicaliser")."""
    results = search(radicalisation_index, text, CONTEXT)
    assert "rapport-jongeren" in {hit.id for hit in results.hits}
    assert all(_marked(hit.snippet) for hit in results.hits)
    assert results.suggestion is None, "a word with a wildcard is not corrected"


@pytest.fixture
def crowded_prefix_index(docs: Path, reindex, index_root: Path):
    """Many words starting with "zz", spread over documents; one of them in every document."""
    for number in range(8):
        words = " ".join(MANY_WORDS[number::8])
        (docs / f"lijst-{number}.txt").write_text(
            f"Lijst {number}\n\nWoorden: {COMMON_WORD} {words} {COMMON_WORD}.", encoding="utf-8"
        )
    reindex()
    return IndexStore(index_root).open()


def test_a_pattern_with_more_terms_than_the_cap_searches_the_most_frequent_and_says_so(crowded_prefix_index) -> None:
    results = search(crowded_prefix_index, "zz*", CONTEXT)
    assert results.total == 8
    assert results.notes == (LIMITED_NOTE,)
    with crowded_prefix_index.searcher() as searcher:
        expansion = Expansion(searcher.reader(), time.monotonic() + 3600)
        parsed = parse_query("zz*", CONTEXT)
        page_terms = terms_of(expansion.rewrite(parsed.page_query))
        document_terms = {text for _, text in field_terms(expansion.rewrite(parsed.query))}
    assert len(page_terms) == MAX_EXPANDED_TERMS and len(document_terms) == MAX_EXPANDED_TERMS
    assert stem(COMMON_WORD) in page_terms, "the most frequent term is kept"
    for hit in results.hits:
        marked = _marked(hit.snippet)
        assert marked and {stem(fold(word)) for word in marked} <= page_terms, "snippets mark searched terms only"


def test_the_expansion_stops_when_the_request_is_out_of_time(crowded_prefix_index) -> None:
    with crowded_prefix_index.searcher() as searcher:
        spent = Expansion(searcher.reader(), deadline=time.monotonic() - 1)
        assert spent.expanded("zz*") == () and spent.limited


@pytest.mark.parametrize("text", ["*a* *e*", "*a* *e* *i* *o* *n*", "?adicalisering", "r*"])
def test_leading_wildcards_are_refused_with_a_dutch_note_on_the_page_and_in_the_api(site: str, text: str) -> None:
    query = urllib.parse.urlencode({"q": text})
    page = BeautifulSoup(_get(f"{site}/zoeken?{query}"), "html.parser")
    notes = [note.get_text(" ", strip=True) for note in page.select(".query-note")]
    assert notes and notes[0].startswith("Niet gezocht op") and "minstens 2 letters" in notes[0], notes
    answer = json.loads(_get(f"{site}/api/zoeken?{query}"))
    validate(answer, "SearchResponse")
    assert answer["notes"] == [notes[0]]


def test_the_document_page_marks_words_that_fit_a_prefix(site: str) -> None:
    page = BeautifulSoup(
        _get(f"{site}/document/handboek-pga-r-persoonsgerichte-aanpak-radicalisering?q=radicali*"), "html.parser"
    )
    marked = [mark.get_text() for mark in page.find_all("mark")]
    assert marked and all(fold(word).startswith("radicali") for word in marked)


def test_the_command_line_shows_the_note_too(bundled_index: Path) -> None:
    result = kennisbank("search", "--index", str(bundled_index), "*a* radicalisering")
    assert result.returncode == 0, result.stderr
    assert '(Niet gezocht op "*a*": een zoekwoord met * of ? moet met minstens 2 letters beginnen' in result.stdout
