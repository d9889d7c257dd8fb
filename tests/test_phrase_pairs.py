"""Phrases with a rare word, whose word pairs the index does not store (`analyzers.is_stored_pair`).

Such a pair is found from the page positions of its rare word (`pair_positions`) and must be found,
ranked and shown on its pages as a stored pair is. Each document below has a twin with a frequent
pair ("veilige wijk") where it has the rare one ("triage wijk"), in the same place, so the two
phrases must give the same documents the same scores. Neither word is a compound: a compound's parts
would make its twin longer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.analysis.analyzers import is_stored_pair
from indexer.analysis.wordforms import stem
from indexer.backends.whoosh.matching import Evaluator
from indexer.backends.whoosh.pair_positions import pair_frequency
from indexer.backends.whoosh.postings import positions_in
from indexer.backends.whoosh.search import WEIGHTING, search
from indexer.backends.whoosh.snapshot import searching
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import CorpusLayout
from indexer.engine import query_model as q
from indexer.engine.fields import PAGE_TEXT, WORD_PAIRS
from indexer.engine.query_context import QueryContext
from indexer.themes.taxonomy import load_taxonomy
from tests.builders import write_pdf

FREQUENT, RARE = "veilige wijk", "triage wijk"
TWICE = "Het verslag noemt de {0} en daarna nogmaals de {0} bij het overleg."
ONCE = "Het verslag noemt de {0} en daarna nogmaals het plein bij het overleg."


@pytest.fixture
def twin_index(docs: Path, reindex) -> Path:
    for name, phrase in (("vaak", FREQUENT), ("zeldzaam", RARE)):
        (docs / f"{name}-een.txt").write_text(f"Notitie over wonen\n\n{ONCE.format(phrase)}", encoding="utf-8")
        (docs / f"{name}-twee.txt").write_text(f"Notitie over wonen\n\n{TWICE.format(phrase)}", encoding="utf-8")
    # Both words, but not next to each other: no phrase.
    (docs / "apart.txt").write_text(
        "Notitie over wonen\n\nDe triage vond plaats; de veilige buurt en de wijk volgden.", encoding="utf-8"
    )
    pages = [["Inleiding over het wonen in de stad."], [f"Gesprekken in de {FREQUENT} en de {RARE}."], ["Slot."]]
    write_pdf(docs / "rapport.pdf", pages)
    reindex()
    return IndexStore(docs.parent.parent / "index").root


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in phrase.split())


def test_only_the_pair_of_frequent_words_is_stored(twin_index: Path) -> None:
    assert is_stored_pair(*_stems(FREQUENT))
    assert not is_stored_pair(*_stems(RARE))
    with IndexStore(twin_index).open().searcher() as searcher:
        stored = {text.decode() for text in searcher.reader().lexicon(WORD_PAIRS)}
    assert " ".join(_stems(FREQUENT)) in stored
    assert " ".join(_stems(RARE)) not in stored, "a pair with a rare word is not stored"


def test_a_rare_pair_scores_as_a_stored_pair_does(twin_index: Path) -> None:
    with searching(IndexStore(twin_index).open(), WEIGHTING) as (searcher, snapshot):
        evaluator = Evaluator(searcher, snapshot)
        frequent = evaluator.evaluate(q.Phrase("content", _stems(FREQUENT)))
        rare = evaluator.evaluate(q.Phrase("content", _stems(RARE)))
        ids = {docnum: searcher.stored_fields(docnum)["id"] for docnum in np.flatnonzero(snapshot.documents)}
    scores = {ids[docnum]: float(rare.scores[docnum]) for docnum in np.flatnonzero(rare.mask)}
    twins = {
        ids[docnum].replace("vaak", "zeldzaam"): float(frequent.scores[docnum])
        for docnum in np.flatnonzero(frequent.mask)
    }
    assert set(scores) == {"zeldzaam-een", "zeldzaam-twee", "rapport"}, "found where adjacent, and only there"
    assert scores == pytest.approx(twins, rel=1e-6)
    assert scores["zeldzaam-twee"] > scores["zeldzaam-een"], "twice ranks above once"


def test_a_rare_phrase_is_found_ranked_and_shown_on_its_page(twin_index: Path) -> None:
    corpus = twin_index.parent / "corpus"
    context = QueryContext.from_taxonomy(load_taxonomy(CorpusLayout(corpus).themes_dir))
    index = IndexStore(twin_index).open()
    rare = search(index, f'"{RARE}"', context, page_size=10)
    frequent = search(index, f'"{FREQUENT}"', context, page_size=10)
    assert [hit.id for hit in rare.hits] == [hit.id.replace("vaak", "zeldzaam") for hit in frequent.hits]
    assert [hit.score for hit in rare.hits] == pytest.approx([hit.score for hit in frequent.hits], rel=1e-3)
    report = next(hit for hit in rare.hits if hit.id == "rapport")
    assert (report.pages, report.best_page) == ((2,), 2)
    assert "triage" in report.snippet


@pytest.fixture
def long_report(docs: Path, reindex) -> Path:
    """One report whose pair stands on more pages than a posting block holds (Whoosh's W3 codec
    keeps 128 postings a block), a different number of times on each page, in both orders (stop
    words leave no gap in the positions)."""
    pages = [
        [
            f"Pagina {number}: "
            + " ".join([f"de {RARE}"] * (number % 3) + ["de wijk en de triage"] + ["langs wijk triage"] * (number % 2))
        ]
        for number in range(1, 301)
    ]
    write_pdf(docs / "lang.pdf", pages)
    reindex()
    return IndexStore(docs.parent.parent / "index").root


def _whooshs_positions(searcher, word: str) -> list[tuple[int, int]]:
    """(page record, position) of every position of the word, as Whoosh's own matcher reads them."""
    matcher = searcher.postings(PAGE_TEXT, word)
    found = []
    while matcher.is_active():
        found += [(matcher.id(), position) for position in matcher.value_as("positions")]
        matcher.next()
    return found


def test_positions_read_from_the_blocks_are_whooshs_own(long_report: Path) -> None:
    with IndexStore(long_report).open().searcher() as searcher:
        for word in _stems(RARE):
            expected = _whooshs_positions(searcher, word)
            pages = np.unique([page for page, _ in expected])
            assert len(pages) == 300
            every_record = np.arange(searcher.reader().doc_count_all())  # the document's record has no page text
            for wanted in (pages, every_record):
                records, positions = positions_in(searcher.reader(), PAGE_TEXT, word, wanted)
                assert list(zip(records.tolist(), positions.tolist(), strict=True)) == expected


def test_positions_of_a_word_kept_in_its_term_record_are_whooshs_own(twin_index: Path) -> None:
    """A word on a few pages keeps its postings in its term record, not in posting blocks; asked for
    every page, the pages without the word give no positions."""
    (word,) = _stems("plein")
    with IndexStore(twin_index).open().searcher() as searcher:
        reader = searcher.reader()
        assert all(segment.term_info(PAGE_TEXT, word).is_inlined() for segment, _ in reader.leaf_readers())
        expected = _whooshs_positions(searcher, word)
        records, positions = positions_in(reader, PAGE_TEXT, word, np.arange(reader.doc_count_all()))
        assert len({page for page, _ in expected}) == 2
        assert list(zip(records.tolist(), positions.tolist(), strict=True)) == expected
        records, positions = positions_in(reader, PAGE_TEXT, "nergensvoorkomend", np.arange(reader.doc_count_all()))
        assert not len(records) and not len(positions), "a word the index lacks has no positions"


def test_a_rare_pair_is_counted_on_every_page_in_both_orders(long_report: Path) -> None:
    first, second = _stems(RARE)
    with searching(IndexStore(long_report).open(), WEIGHTING) as (searcher, snapshot):
        firsts, seconds = (set(_whooshs_positions(searcher, word)) for word in (first, second))
        for before, after, places in ((first, second, seconds), (second, first, firsts)):
            documents, counts = pair_frequency(searcher, snapshot, before, after)
            assert [searcher.stored_fields(int(docnum))["id"] for docnum in documents] == ["lang"]
            expected = sum((page, position + 1) in places for page, position in _whooshs_positions(searcher, before))
            assert counts.tolist() == [expected]
    assert expected > 0, "the other order stands on the pages too"
