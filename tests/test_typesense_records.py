"""A document as the cluster's records: our own Dutch tokens in the searchable fields (the same the
embedded engine indexes), and every stored value needed to read the document back for re-tagging."""

from __future__ import annotations

import datetime as dt

from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.analysis.analyzers import dutch_analyzer
from indexer.backends.typesense.collections import (
    DOCUMENTS,
    PAGES,
    TERM_WEIGHTS,
    length_field,
    page_id,
    token_field,
)
from indexer.backends.typesense.records import indexed_file, records, stored_document
from indexer.backends.whoosh.schema import build_schema
from indexer.engine.results import NO_VALUE
from indexer.models import Document, Fingerprint, Metadata, Page, TermHit, ThemeMatch

ADDED = dt.datetime(2026, 3, 4, 10, 30)
DOCUMENT = Document(
    "monitor-mensenhandel",
    "rapporten/monitor.pdf",
    Fingerprint(2048, 0, "ab" * 32, "cd" * 32),
    Metadata(
        title="Mensenhandelmonitor 2025",
        kind="rapport",
        date=dt.date(2025, 6, 30),
        year=2025,
        source="Politie en Gemeente Rotterdam",
        language="nl",
        summary="Cijfers over arbeidsuitbuiting.",
        themes=("mensenhandel",),
        subthemes=(),
        themes_from_sidecar=True,
    ),
    (
        Page(1, "De mensenhandelmonitor telt slachtoffers van Zorg en Veiligheid.", ocr=True),
        Page(2, ""),
        Page(3, "Bijlage."),
    ),
    (ThemeMatch("mensenhandel", 3.5, (TermHit("mensenhandel", "titel", 1),)),),
)


def test_the_searchable_fields_hold_our_dutch_tokens_with_compound_parts() -> None:
    record, pages = records(DOCUMENT, ADDED)
    title = record[token_field("title")].split()
    assert title[0] == "mensenhandelmonitor" and {"mensenhandel", "handel", "monitor"} <= set(title)
    expected = [token.text for token in dutch_analyzer()(DOCUMENT.metadata.summary, mode="index")]
    assert record[token_field("summary")].split() == expected, "the embedded engine's analyzer, token for token"
    assert "zorg veilig" in record[token_field("word_pairs")], "stop words gone, stems joined for phrases"
    assert record["subthemes"] == [NO_VALUE] and record["source"] == ["Politie", "Gemeente Rotterdam"]
    assert [page["id"] for page in pages] == [page_id(DOCUMENT.doc_id, 1), page_id(DOCUMENT.doc_id, 3)]
    assert set(record) <= {field.name for field in DOCUMENTS.fields} | {"id", TERM_WEIGHTS}
    assert all(set(page) <= {field.name for field in PAGES.fields} | {"id"} for page in pages)


def test_a_document_reads_back_from_its_records_as_it_was_written() -> None:
    record, pages = records(DOCUMENT, ADDED)
    document, added = stored_document(record, pages)
    assert (document, added) == (DOCUMENT, ADDED)
    entry = indexed_file(record)
    assert (entry.doc_id, entry.sha256, entry.sidecar_sha256, entry.added) == (
        DOCUMENT.doc_id, "ab" * 32, "cd" * 32, ADDED)  # fmt: skip


def test_the_second_stage_scores_with_the_weights_and_lengths_of_the_embedded_index() -> None:
    """The records carry, per ranked field, what the embedded index's postings hold: each term's weight
    (field boost and compound-part boost included) and the field's length as Whoosh rounds it."""
    record, _ = records(DOCUMENT, ADDED)
    weights = record[TERM_WEIGHTS]
    schema = build_schema()
    for field, text in (("title", DOCUMENT.metadata.title), ("summary", DOCUMENT.metadata.summary)):
        items = list(schema[field].index(text))
        assert weights[field] == {term.decode(): round(weight, 4) for term, _, weight, _ in items}, field
        length = sum(frequency for _, frequency, _, _ in items)
        assert record[length_field(field)] == byte_to_length(length_to_byte(length)), field
    assert weights["title"]["mensenhandelmonitor"] == 3.0 and weights["title"]["monitor"] < 3.0
