"""More like this, in both engines: a document's most telling words (frequent in it, rare in the
collection) become one OR query, ranked as a search is."""

# Key terms taken from the document: enough to find its neighbours, few enough that one rare
# word does not drown in the common ones.
SIMILAR_KEY_TERMS = 12
