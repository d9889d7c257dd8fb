"""Translate between `Document` and the cluster's records (`collections`), in one place.

Typesense has no Dutch analysis, so every searchable field holds the tokens our analyzers make of it,
the same analyzers the embedded engine indexes the same text with (`analysis.analyzers`: stems and
compound parts for the full text, stemmed word pairs for phrases, stemmed source words). The stored
fields hold what it takes to read a `Document` back (re-tagging writes it anew without its file).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

from whoosh.analysis import Analyzer
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.analysis.acronyms import as_terms, find_definitions
from indexer.analysis.analyzers import (
    base_words,
    dutch_analyzer,
    source_words_analyzer,
    spelling_analyzer,
    word_pairs_analyzer,
)
from indexer.analysis.lexicon import document_vocabulary
from indexer.backends.stored_documents import indexed_file as indexed_file_of
from indexer.backends.stored_documents import matches_as_json, stored_facts
from indexer.backends.stored_documents import stored_document as stored_document_of
from indexer.backends.typesense.collections import (
    ID_ORDER,
    SPELLING,
    TERM_WEIGHTS,
    length_field,
    page_id,
    token_field,
)
from indexer.corpus.sources import organisations
from indexer.engine import ranking_weights
from indexer.engine.fields import PAGE_TEXT, SOURCE_WORDS, WORD_PAIRS
from indexer.engine.index_backend import IndexedFile
from indexer.engine.results import NO_VALUE
from indexer.models import Document, Fingerprint, Metadata

_EPOCH = dt.date(1970, 1, 1)
# Index-time field boosts, in the weights as the embedded index has them in its postings.
_FIELD_BOOSTS = {"title": ranking_weights.TITLE_BOOST, "summary": ranking_weights.SUMMARY_BOOST}
# What the manifest reads of each document record: enough for `IndexedFile`, nothing of the text.
MANIFEST_FIELDS = ("id", "path", "title", "sha256", "sidecar_sha256", "added_s", "themes", "subthemes")


class _Analyzers:
    """The analyzers, built once per process (building them loads word lists)."""

    _built: tuple[Analyzer, Analyzer, Analyzer, Analyzer, Analyzer] | None = None

    @classmethod
    def get(cls) -> tuple[Analyzer, Analyzer, Analyzer, Analyzer, Analyzer]:
        if cls._built is None:
            analyzers = (dutch_analyzer(), word_pairs_analyzer(), source_words_analyzer(), spelling_analyzer())
            cls._built = (base_words(), *analyzers)
        return cls._built


def _tokens(analyzer: Analyzer, text: str) -> list[str]:
    return [token.text for token in analyzer(text, mode="index")]


def _weighted(analyzer: Analyzer, text: str, boost: float = 1.0) -> tuple[list[str], dict[str, float], int]:
    """The tokens, each term's weight (its tokens' boosts added, times the field's `boost`) and the
    field's length as the embedded index rounds it: what BM25F scores a record's field with."""
    texts, weights = [], defaultdict(float)
    for token in analyzer(text, mode="index", boosts=True):
        texts.append(token.text)
        weights[token.text] += token.boost
    weighted = {term: round(weight * boost, 4) for term, weight in weights.items()}
    return texts, weighted, byte_to_length(length_to_byte(len(texts))) if texts else 0


def _ranked(fields: dict[str, tuple[Analyzer, str]]) -> tuple[dict[str, list[str]], dict[str, object]]:
    """Per ranked field (name -> analyzer and text): its tokens; and the record's length fields and the
    fields' term weights. Every pair of adjacent words is a `word_pairs` term here (the
    embedded index finds most of them by position)."""
    tokens, weights, lengths = {}, {}, {}
    for name, (analyzer, text) in fields.items():
        boost = _FIELD_BOOSTS.get(name, 1.0)
        tokens[name], weights[name], lengths[length_field(name)] = _weighted(analyzer, text, boost)
    return tokens, {**lengths, TERM_WEIGHTS: weights}


def _facets(document: Document) -> dict[str, list[str]]:
    """The facet fields a document and its pages carry alike; `NO_VALUE` for none."""
    meta = document.metadata
    values = {
        "themes": list(meta.themes),
        "subthemes": list(meta.subthemes),
        "kind": [meta.kind] if meta.kind else [],
        "year": [str(meta.year)] if meta.year is not None else [],
        "source": list(organisations(meta.source)),
    }
    return {name: found or [NO_VALUE] for name, found in values.items()}


def _dates(document: Document, added: dt.datetime) -> dict[str, int]:
    date = document.metadata.date
    return {"date_days": (date - _EPOCH).days if date else 0, "added_s": int(added.timestamp())}


def records(document: Document, added: dt.datetime) -> tuple[dict, list[dict]]:
    """The document's record and its pages' records (pages with text only, as in the embedded engine)."""
    base, full_text, pairs, source_words, spelling = _Analyzers.get()
    meta = document.metadata
    text = "\n\n".join(page.text for page in document.pages)
    lines = [_tokens(base, line) for line in f"{meta.title}\n{meta.summary}\n{text}".split("\n")]
    shared = {**_facets(document), **_dates(document, added)}
    with document_vocabulary(lines):  # the document's own words split its compounds, as in `preanalysis`
        texts = {"title": meta.title, "summary": meta.summary, "content": text}
        analysed = {name: (full_text, value) for name, value in texts.items()}
        tokens, ranking = _ranked(analysed | {WORD_PAIRS: (pairs, text)})
        record = {
            "id": document.doc_id,
            ID_ORDER: document.doc_id,
            "path": document.path,
            **{token_field(name): " ".join(tokens[name]) for name in texts},
            token_field(WORD_PAIRS): tokens[WORD_PAIRS],
            token_field(SOURCE_WORDS): " ".join(_tokens(source_words, meta.source)),
            token_field(SPELLING): sorted(set(_tokens(spelling, f"{meta.title}\n{text}"))),
            **shared,
            **ranking,
            "title": meta.title,
            "summary": meta.summary,
            "source_as_written": meta.source,
            **stored_facts(document, text),
            "sidecar_sha256": document.fingerprint.sidecar_sha256,
            "acronyms": [line for line in as_terms(find_definitions(text)).split("\n") if line],
            "tagging": json.dumps(
                {
                    "themes": matches_as_json(document.suggested_themes),
                    "subthemes": matches_as_json(document.suggested_subthemes),
                },
                ensure_ascii=False,
            ),
        }
        pages = [
            {
                "id": page_id(document.doc_id, page.number),
                "parent": document.doc_id,
                "page": page.number,
                token_field(PAGE_TEXT): " ".join(_tokens(full_text, page.text)),
                token_field(WORD_PAIRS): _tokens(pairs, page.text),
                **shared,
                "text": page.text,
            }
            for page in document.pages
            if page.text.strip()
        ]
    return record, pages


def indexed_file(record: dict) -> IndexedFile:
    """What the manifest needs of a document record (`MANIFEST_FIELDS`)."""
    tags = _values(record, "themes") + _values(record, "subthemes")
    return indexed_file_of(record, record.get("sidecar_sha256", ""), _added(record), tags)


def _added(record: dict) -> dt.datetime | None:
    # Local time without a zone, as the run stamps it (`pipeline._jobs`).
    return dt.datetime.fromtimestamp(record["added_s"]) if record.get("added_s") else None


def _values(record: dict, name: str) -> tuple[str, ...]:
    return tuple(value for value in record.get(name, ()) if value != NO_VALUE)


def stored_document(record: dict, pages: list[dict]) -> tuple[Document, dt.datetime]:
    """A document as `records` wrote it, read back from the stored fields of its record and pages."""
    tagging = json.loads(record.get("tagging") or "{}")
    texts = {page["page"]: page.get("text", "") for page in pages}
    year = _values(record, "year")
    metadata = Metadata(
        title=record.get("title", ""),
        kind=next(iter(_values(record, "kind")), ""),
        date=_EPOCH + dt.timedelta(days=record["date_days"]) if record.get("date_days") else None,
        year=int(year[0]) if year else None,
        source=record.get("source_as_written", ""),
        language=record.get("language", ""),
        summary=record.get("summary", ""),
        themes=_values(record, "themes"),
        subthemes=_values(record, "subthemes"),
        themes_from_sidecar=bool(record.get("themes_curated")),
    )
    # The file's time is not stored: no record needs it.
    fingerprint = Fingerprint(record.get("size", 0), 0, record.get("sha256", ""), record.get("sidecar_sha256", ""))
    page_count, ocr_pages = record.get("page_count", 0), record.get("ocr_pages") or ()
    ids = (record["id"], record["path"])
    document = stored_document_of(ids, fingerprint, metadata, page_count, texts, ocr_pages, tagging)
    return document, _added(record) or dt.datetime.now().replace(microsecond=0)
