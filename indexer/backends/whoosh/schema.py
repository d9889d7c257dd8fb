"""The Whoosh schema: declared data, one place for every field name.

The index holds two kinds of records: one per document (`doctype` "doc", for ranking and facets)
and one per page (`doctype` "page", so a hit can say on which pages it matched and show a snippet
from the best page). Both carry `parent` = the document id, so a document and its pages are
removed with one delete.

The two kinds keep their text in different fields. A document's `content` is indexed with term
frequencies only: ranking reads nothing else, and posting lists without positions are several
times faster to read. A page's `page_text` keeps positions (for phrases) and is stored (for
snippets). Phrases of frequent words are answered from a document's `word_pairs`, adjacent words
as one term, which needs no positions; a pair with a rare word is not stored there (it made most of
the index) but found by the positions of the rare word's pages (`pair_positions`), which also say
on which pages a phrase stands. The indexer adds a document's pages right after the document
itself; `snapshot` relies on that order to find a page's document without reading stored fields.
"""

from __future__ import annotations

from whoosh.analysis import RegexTokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis.analyzers import (
    ANALYSIS_VERSION,
    OrganisationTokenizer,
    dutch_analyzer,
    frequent_word_pairs_analyzer,
    source_words_analyzer,
    spelling_analyzer,
)
from indexer.backends.whoosh.preanalysis import PreAnalyzedText
from indexer.engine import ranking_weights

# Bump when a field or what it holds changes (titles derived differently too), or when a class the
# index pickles into its table of contents moves (analyzers, the codec, pre-analysed text: 10 for the
# package layout); together with ANALYSIS_VERSION and the index-time weights it decides whether an
# index is stale (`schema_version`), read before the table of contents is.
SCHEMA_REVISION = 14  # 14: word positions as arrays (`position_format`)

DOC = "doc"
PAGE = "page"
# The acronyms a document defines, one term per "acronym<TAB>long form" (see `acronyms`).
ACRONYMS = "acronyms"


def schema_version() -> str:
    """What an index must have been written with to be served: the fields, the analysis and the
    index-time weights, which the postings hold (see `ranking_weights`)."""
    weights = "-".join(f"{value:g}" for value in ranking_weights.index_time_values().values())
    return f"{SCHEMA_REVISION}.{ANALYSIS_VERSION}.w{weights}"


def build_schema() -> Schema:
    """Fields are indexed only when something searches, filters or looks up by them; the rest are
    stored only, since every indexed value costs postings to write and merge."""
    analyzer = dutch_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        parent=ID(stored=True),
        doctype=ID(stored=True),
        path=ID(stored=True),
        title=PreAnalyzedText(analyzer=analyzer, stored=True, field_boost=ranking_weights.TITLE_BOOST),
        summary=PreAnalyzedText(analyzer=analyzer, stored=True, field_boost=ranking_weights.SUMMARY_BOOST),
        content=PreAnalyzedText(analyzer=analyzer, phrase=False),
        word_pairs=PreAnalyzedText(analyzer=frequent_word_pairs_analyzer(), phrase=False),
        page_text=PreAnalyzedText(analyzer=analyzer, stored=True, phrase=True),
        spelling=PreAnalyzedText(analyzer=spelling_analyzer(), phrase=False),
        page=NUMERIC(stored=True, sortable=True),  # the column gives page numbers without stored text
        kind=ID(stored=True),
        themes=KEYWORD(stored=True, commas=True, scorable=False),
        subthemes=KEYWORD(stored=True, commas=True, scorable=False),
        themes_curated=STORED(),
        year=ID(stored=True),
        date=DATETIME(stored=True, sortable=True),
        added=STORED(),
        source=ID(stored=True, analyzer=OrganisationTokenizer()),  # stores the source as written
        source_words=TEXT(analyzer=source_words_analyzer(), phrase=False),
        acronyms=TEXT(analyzer=RegexTokenizer(r"[^\n]+"), phrase=False),
        language=STORED(),
        page_count=STORED(),
        ocr_pages=STORED(),  # the numbers of the pages read by text recognition
        word_count=STORED(),
        size=STORED(),
        sha256=ID(stored=True),
        tagging=STORED(),
    )
