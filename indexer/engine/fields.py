"""The fields a query names, whatever engine holds them: a backend's schema declares them with these names."""

# The fields a query word is looked up in, together: ranking scores them as one BM25F term.
TEXT_FIELDS = ("title", "summary", "content")
# The field with a page's text (a document's text is in `content`).
PAGE_TEXT = "page_text"
# A document's adjacent word pairs: phrases are looked up here (see `analysis.analyzers.WordPairFilter`).
WORD_PAIRS = "word_pairs"
# The words of a document's source, for the `bron:` filter (the `source` field holds its organisations).
SOURCE_WORDS = "source_words"
