"""The search engine as the rest of the code sees it: our query tree, how typed text becomes one, the
facets and ranking weights declared as data, and highlighting. Backends compile and evaluate queries."""
