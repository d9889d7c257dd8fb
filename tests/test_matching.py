"""Our array-based matching against Whoosh's own, on a real index that went through updates.

`indexer.backends.whoosh.postings` reads Whoosh's on-disk posting format itself and
`indexer.backends.whoosh.snapshot` relies on the order in which the indexer writes records; both are
checked here on an index with several segments and deleted documents, so a Whoosh upgrade or a
pipeline change that breaks either fails here rather than as wrong search results.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from whoosh.query import And, Not, Or, Phrase, Term

import indexer.backends.whoosh.postings as postings_module
import indexer.engine.expander as expander_module
import indexer.engine.query as query_module
from indexer.analysis.wordforms import stem
from indexer.backends.whoosh.matching import Evaluator
from indexer.backends.whoosh.postings import postings
from indexer.backends.whoosh.queries import to_whoosh
from indexer.backends.whoosh.schema import DOC, PAGE
from indexer.backends.whoosh.search import WEIGHTING, search
from indexer.backends.whoosh.snapshot import RANKED_FIELDS, searching
from indexer.backends.whoosh.store import IndexStore
from indexer.corpus.layout import CorpusLayout
from indexer.engine import query_model as q
from indexer.engine import ranking_weights
from indexer.engine.fields import PAGE_TEXT, TEXT_FIELDS
from indexer.engine.query_context import QueryContext
from indexer.engine.query_model import simplified
from indexer.themes.taxonomy import load_taxonomy
from tests.builders import write_pdf

WORDS = ["wijkaanpak", "buurtbemiddeling", "ondermijning", "straattriage", "jeugd", "zorg", "signalen"]


@pytest.fixture
def updated_index(corpus: Path, docs: Path, reindex) -> Path:
    """Three runs: many documents, then changes and removals, then additions (several segments)."""
    for number in range(40):
        chosen = [WORDS[(number + shift) % len(WORDS)] for shift in range(3)]
        (docs / f"notitie-{number:02d}.txt").write_text(
            f"Notitie {number}\n\nOver {' en '.join(chosen)} in wijk {number % 5}.", encoding="utf-8"
        )
    write_pdf(docs / "rapport.pdf", [[f"Rapport over straattriage en zorg, deel {n}."] for n in range(3)])
    reindex()
    for number in range(0, 40, 4):
        (docs / f"notitie-{number:02d}.txt").write_text(f"Notitie {number} herzien over jeugd.", encoding="utf-8")
    for number in range(1, 40, 9):
        (docs / f"notitie-{number:02d}.txt").unlink()
    reindex()
    write_pdf(docs / "tweede.pdf", [["Tweede rapport over ondermijning."], ["En over buurtbemiddeling in de wijk."]])
    reindex()
    return IndexStore(corpus.parent / "index").root


def _whoosh_postings(reader, field: str, text: str) -> list[tuple[int, float]]:
    matcher = reader.postings(field, text)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight()))
        matcher.next()
    return found


@pytest.mark.parametrize("kept_from", [None, 1], ids=["as decoded", "kept and read again"])
def test_posting_lists_read_as_arrays_equal_whooshs_own(updated_index: Path, kept_from, monkeypatch) -> None:
    if kept_from:  # every list goes through the cache of decoded lists, read once to fill it
        monkeypatch.setattr(postings_module, "DECODED_CACHE_FROM_POSTINGS", kept_from)
    index = IndexStore(updated_index).open()
    with searching(index, WEIGHTING) as (searcher, _):
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 1 and reader.has_deletions(), "the fixture should exercise both"
        checked = 0
        for field in ("content", "title", PAGE_TEXT, "doctype", "themes", "parent"):
            for term in reader.lexicon(field):
                for _ in range(2 if kept_from else 1):
                    docnums, weights = postings(reader, field, term)
                live = [not reader.is_deleted(docnum) for docnum in docnums.tolist()]
                theirs = _whoosh_postings(reader, field, term)
                assert docnums[live].tolist() == [docnum for docnum, _ in theirs], (field, term)
                assert weights[live].tolist() == pytest.approx([weight for _, weight in theirs]), (field, term)
                checked += 1
        assert checked > 50


def test_kept_posting_lists_follow_changes_to_the_documents(corpus: Path, docs: Path, reindex, monkeypatch) -> None:
    """Decoded lists are kept across searches: edits, removals and additions still show at once."""
    monkeypatch.setattr(postings_module, "DECODED_CACHE_FROM_POSTINGS", 1)
    context = QueryContext.from_taxonomy(load_taxonomy(CorpusLayout(corpus).themes_dir))
    for number in range(8):
        (docs / f"verslag-{number}.txt").write_text(f"Verslag {number}\n\nOver straattriage in wijk {number}.")
    reindex()
    index = IndexStore(corpus.parent / "index").open()
    assert search(index, "straattriage", context).total == 8
    (docs / "verslag-0.txt").write_text("Verslag 0\n\nOver buurtbemiddeling.")
    (docs / "verslag-1.txt").unlink()
    (docs / "verslag-8.txt").write_text("Verslag 8\n\nOok over straattriage.")
    reindex()
    results = search(IndexStore(corpus.parent / "index").open(), "straattriage", context)
    assert results.total == 7
    assert {hit.path for hit in results.hits} == {f"verslag-{number}.txt" for number in range(2, 9)}


def test_every_page_belongs_to_the_document_before_it(updated_index: Path) -> None:
    index = IndexStore(updated_index).open()
    with searching(index, WEIGHTING) as (searcher, snapshot):
        pages = 0
        for docnum, fields in searcher.reader().iter_docs():
            owner = searcher.stored_fields(int(snapshot.owner[docnum]))
            assert owner["doctype"] == DOC and owner["id"] == fields["parent"]
            pages += fields["doctype"] == PAGE
        assert pages >= 40
        assert snapshot.document_count == len(list(searcher.documents(doctype=DOC)))


@pytest.mark.parametrize(
    "text, whoosh_query",
    [
        ("jeugd", Term("content", "jeugd")),
        # Documents with some of the words follow those with all of them (coordination, not tiers).
        ("jeugd zorg", Or([Term("content", "jeugd"), Term("content", "zorg")])),
        ("jeugd OR ondermijning", Or([Term("content", "jeugd"), Term("content", stem("ondermijning"))])),
        ("zorg -jeugd", And([Term("content", "zorg"), Not(Term("content", "jeugd"))])),
        ('"buurtbemiddeling in de wijk"', Phrase(PAGE_TEXT, [stem("buurtbemiddeling"), "wijk"])),
    ],
)
def test_search_finds_the_documents_whoosh_finds(updated_index: Path, text: str, whoosh_query) -> None:
    corpus = updated_index.parent / "corpus"
    context = QueryContext.from_taxonomy(load_taxonomy(CorpusLayout(corpus).themes_dir))
    index = IndexStore(updated_index).open()
    results = search(index, text, context, page_size=100)
    with index.searcher() as searcher:
        expected = {searcher.stored_fields(docnum)["parent"] for docnum in searcher.docs_for_query(whoosh_query)}
    assert expected, "the query should find something"
    assert {hit.id for hit in results.hits} == expected
    assert results.total == len(expected)


@pytest.mark.parametrize(
    "typed",
    [
        "jeugdbescherming",
        "jeugd bescherming zorg",
        "hoe werkt de meldcode huiselijk geweld",
        '"criminele uitbuiting" -loverboy',
        "thema:jeugd drugs OR wapens",
        "jaar:[2020 TO 2023] ransomware",
        "NOT politie",
        "mens* handel",
        "PGA-R persoonsgerichte aanpak radicalisering",
        "bron:politie -straattriage",
        '"de het een"',
    ],
)
@pytest.mark.parametrize("match", ["all", "most", "any"])
def test_our_query_simplification_gives_the_tree_whoosh_normalize_gives(corpus: Path, typed: str, match: str) -> None:
    """`query_model.simplified` does for our tree what Whoosh's normalize does for its own: the
    trees must be the same, boosts included, or the ranking would change with it."""
    context = QueryContext.from_taxonomy(load_taxonomy(CorpusLayout(corpus).themes_dir))
    captured: list[tuple[object, object]] = []

    def both(node):
        ours = simplified(node)
        captured.append((to_whoosh(ours), to_whoosh(node).normalize()))
        return ours

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(expander_module, "simplified", both)
        query_module.parse_query(typed, context, match=match, share_of=lambda _stem: 0.01)
    assert captured
    for ours, whooshs in captured:
        assert ours == whooshs and repr(ours) == repr(whooshs)


def test_snapshot_columns_hold_what_whoosh_stores(updated_index: Path) -> None:
    """Liveness, field lengths, page numbers, dates and id order, read as columns, against what
    Whoosh's reader gives record by record."""
    index = IndexStore(updated_index).open()
    with searching(index, WEIGHTING) as (searcher, snapshot):
        reader = searcher.reader()
        ranked_ids = []
        for docnum in range(reader.doc_count_all()):
            if reader.is_deleted(docnum):
                assert not snapshot.documents[docnum]
                continue
            fields = reader.stored_fields(docnum)
            is_document = fields["doctype"] == DOC
            assert snapshot.documents[docnum] == is_document
            for field in RANKED_FIELDS:
                assert snapshot.lengths[field][docnum] == (reader.doc_field_length(docnum, field) or 0), (docnum, field)
            if is_document:
                ranked_ids.append((int(snapshot.id_ranks[docnum]), fields["id"]))
                assert np.isnan(snapshot.dates[docnum]) == (fields.get("date") is None)
            else:
                assert snapshot.page_numbers[docnum] == fields["page"]
        assert [doc_id for _, doc_id in sorted(ranked_ids)] == sorted(doc_id for _, doc_id in ranked_ids)


def _reference_bm25f(reader, snapshot, text: str) -> dict[int, float]:
    """BM25F as written in the textbook, one document at a time from Whoosh's own matchers."""
    frequency: dict[int, float] = {}
    for field in TEXT_FIELDS:
        lengths = [
            reader.doc_field_length(d, field) or 0 for d in range(reader.doc_count_all()) if snapshot.documents[d]
        ]
        average = sum(lengths) / len(lengths)
        b = ranking_weights.LENGTH_NORMALISATION[field]
        for docnum, weight in _whoosh_postings(reader, field, text) if (field, text) in reader else ():
            if snapshot.documents[docnum]:
                length = reader.doc_field_length(docnum, field) or 0
                frequency[docnum] = frequency.get(docnum, 0.0) + weight / ((1 - b) + b * length / average)
    idf = math.log(snapshot.document_count / (len(frequency) + 1)) + 1
    k1 = ranking_weights.TERM_SATURATION
    return {docnum: idf * tf * (k1 + 1) / (tf + k1) for docnum, tf in frequency.items()}


@pytest.mark.parametrize("word", ["jeugd", "zorg", "straattriage", "ondermijning", "rapport"])
def test_our_bm25f_scores_equal_a_reference_implementation(updated_index: Path, word: str) -> None:
    index = IndexStore(updated_index).open()
    with searching(index, WEIGHTING) as (searcher, snapshot):
        match = Evaluator(searcher, snapshot).evaluate(q.Or([q.Term(field, stem(word)) for field in TEXT_FIELDS]))
        expected = _reference_bm25f(searcher.reader(), snapshot, stem(word))
        assert expected, "the word should be in the index"
        assert set(np.flatnonzero(match.mask).tolist()) == set(expected)
        for docnum, score in expected.items():
            assert match.scores[docnum] == pytest.approx(score, rel=1e-5), docnum


def test_title_phrases_are_found_where_whooshs_phrase_matcher_finds_them(updated_index: Path) -> None:
    """Every phrase of two or three of the titles' words, in either order, adjacent or not: the
    records found from word positions (as for a summary) are the live records Whoosh's phrase
    matcher finds."""
    field = "title"
    index = IndexStore(updated_index).open()
    with searching(index, WEIGHTING) as (searcher, snapshot):
        words = [word.decode("utf-8") for word in searcher.reader().lexicon(field)]
        source = Evaluator(searcher, snapshot).source
        found_pairs = 0
        for first in words:
            for second in words:
                for phrase in ((first, second), (first, second, first), (second, first, second)):
                    ours = source.field_phrase(q.Phrase(field, phrase))
                    expected = sorted(searcher.docs_for_query(Phrase(field, list(phrase))))
                    assert ours[snapshot.documents[ours]].tolist() == expected, phrase
                    found_pairs += bool(expected) and len(set(phrase)) == 2
    assert found_pairs, "phrases of two words that stand in a title are among those checked"
