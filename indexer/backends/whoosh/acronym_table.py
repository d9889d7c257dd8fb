"""Which of the acronyms the documents define (`acronyms`) search uses, per index generation.

The definitions of the live documents of the searched generation are counted once per generation.
An acronym defined in more than one way keeps the meaning a strict majority of its defining
documents gives, or none. The taxonomy's acronyms come first (`QueryContext.with_corpus`).
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict

from whoosh.index import Index
from whoosh.reading import IndexReader
from wordfreq import zipf_frequency

from indexer.analysis.acronyms import FUNCTION_WORDS, SEPARATOR, Definition
from indexer.analysis.wordforms import fold, stem
from indexer.backends.whoosh.schema import ACRONYMS
from indexer.engine.query_context import QueryContext, acronym_key

# An acronym that reads as a word this frequent in Dutch (wordfreq's Zipf scale: "zon", "tip",
# "shop") is mostly that word when typed in lowercase, so it is not expanded.
WORD_ZIPF = 4.0


def _meaning(long_form: str) -> tuple[str, ...]:
    """Long forms that differ only in inflection or function words mean the same."""
    return tuple(stem(word) for word in re.findall(r"\w+", fold(long_form)) if word not in FUNCTION_WORDS)


def choose(document_counts: dict[Definition, int]) -> tuple[Definition, ...]:
    """Per acronym the meaning a strict majority of its defining documents gives, in its most
    common spelling; an acronym without such a majority, or that reads as a common word, is left out."""
    by_acronym: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[tuple[str, tuple[str, ...]], Counter] = defaultdict(Counter)
    for (short, long_form), count in document_counts.items():
        key, meaning = acronym_key(short), _meaning(long_form)
        by_acronym[key][meaning] += count
        spellings[(key, meaning)][(short, long_form)] += count
    chosen = []
    for key, meanings in sorted(by_acronym.items()):
        if zipf_frequency(key, "nl") >= WORD_ZIPF:
            continue
        meaning, count = max(meanings.items(), key=lambda item: (item[1], item[0]))
        if count * 2 > sum(meanings.values()):
            best = spellings[(key, meaning)]
            chosen.append(min(best, key=lambda pair: (-best[pair], pair)))
    return tuple(chosen)


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
