"""The acronyms the documents of the embedded index define (`acronyms`), per index generation:
the definitions of the live documents of the searched generation are counted once per generation,
and `engine.acronym_choice` chooses among them."""

from __future__ import annotations

import threading

from whoosh.index import Index
from whoosh.reading import IndexReader

from indexer.analysis.acronyms import SEPARATOR, Definition
from indexer.backends.whoosh.schema import ACRONYMS
from indexer.engine.acronym_choice import choose
from indexer.engine.query_context import QueryContext


def count_definitions(reader: IndexReader) -> dict[Definition, int]:
    """How many live documents give each definition (deleted records are not counted)."""
    if not reader.doc_count_all() or ACRONYMS not in reader.schema:
        return {}
    counts = {}
    for term in reader.field_terms(ACRONYMS):
        short, _, long_form = term.partition(SEPARATOR)
        live = sum(1 for _ in reader.postings(ACRONYMS, term).all_ids())
        if live and long_form:
            counts[(short, long_form)] = live
    return counts


_CACHE: dict[object, tuple[object, tuple[Definition, ...]]] = {}
_LOCK = threading.Lock()


def index_context(context: QueryContext, index: Index) -> QueryContext:
    """`context` with the acronyms of the index's current generation, for a page that parses a
    query outside `search` (a document's highlighted words)."""
    with index.reader() as reader:
        generation = (str(getattr(index, "storage", id(index))), reader.generation())
        return context.with_corpus(corpus_acronyms(reader, generation))


def corpus_acronyms(reader: IndexReader, generation: tuple[str, int]) -> tuple[Definition, ...]:
    """The definitions kept for one index generation, counted once per generation."""
    name, _ = generation
    with _LOCK:
        known = _CACHE.get(name)
    if known is not None and known[0] == generation:
        return known[1]
    chosen = choose(count_definitions(reader))
    with _LOCK:
        _CACHE[name] = (generation, chosen)
    return chosen
