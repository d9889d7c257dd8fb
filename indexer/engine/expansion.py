"""Prefixes and wildcards replaced by index terms: once per request, within one cap and one budget.

`radicali*` stands for the words that start with "radicali". Whoosh expands such a pattern
wherever it meets one, without a limit: `*a* *e* *i* *o* *n*` walked the whole term dictionary of
each field, and the page-hit step then matched tens of thousands of terms (3.8 s on the bundled
corpus, 30 s on 2,000 documents, while every other search waited). Here each pattern of a query is
replaced by plain terms before anything matches, so matching, page hits and snippets all see the
same few terms: at most MAX_EXPANDED_TERMS for the whole query (shared by its patterns, the most
frequent kept), at most MAX_SCANNED_TERMS words looked at per pattern, and none once the request's
time budget is spent. The parser refuses a pattern that does not start with
`query.MIN_PATTERN_PREFIX` letters, so a scan starts at its place in the sorted dictionary.

A pattern is matched against the words as written, and each word it fits stands for its stem, the
term the text fields hold: `radicalisering*` and `radicalis?ring` find "radicalisering", whose stem
"radicaliser" no pattern on stems would fit. Each engine says where its words come from (`_words`):
the embedded index's term dictionary, or the cluster's vocabulary facet.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Iterator

from indexer.analysis.wordforms import stem
from indexer.engine.query_model import NOTHING, Node, Or, Prefix, Term, Wildcard, leaves, pattern_of, with_children
from indexer.engine.syntax import MIN_PATTERN_PREFIX, literal_prefix

# Terms one query's patterns expand to in all; the one cap every query path obeys.
MAX_EXPANDED_TERMS = 50
# A request stops expanding patterns, and looking for the pages of its hits, after this long; what
# was found by then is used (a plain search takes a few milliseconds).
REQUEST_BUDGET_S = 0.25
# Words of the vocabulary looked at per pattern (and per index segment): "re*" would otherwise read thousands.
MAX_SCANNED_TERMS = 2_000


def _patterns(query: Node) -> set[str]:
    return {pattern_of(node) for node in leaves(query) if isinstance(node, (Prefix, Wildcard))}


class PatternExpansion:
    """A request's expansions: cached, so the loosened attempts and the page query reuse them;
    `limited` tells that the cap or the deadline left terms out. Engines supply `_words`."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.limited = False
        self._found: dict[tuple[str, int], tuple[str, ...]] = {}

    def rewrite(self, query: Node | None) -> Node | None:
        """`query` with every prefix and wildcard replaced by an OR of the terms it stands for."""
        if query is None:
            return None
        patterns = _patterns(query)
        return self._replace(query, max(1, MAX_EXPANDED_TERMS // len(patterns))) if patterns else query

    def _replace(self, node: Node, share: int) -> Node:
        if isinstance(node, (Prefix, Wildcard)):
            texts = self.expanded(pattern_of(node), share)
            return Or([Term(node.field, text) for text in texts], boost=node.boost) if texts else NOTHING
        return with_children(node, lambda child: self._replace(child, share))

    def expanded(self, pattern: str, share: int = MAX_EXPANDED_TERMS) -> tuple[str, ...]:
        """The stems of the `share` most frequent words that fit `pattern`, alphabetical among equals."""
        key = (pattern, share)
        if key not in self._found:
            self._found[key] = self._expand(pattern, share)
        return self._found[key]

    def _expand(self, pattern: str, share: int) -> tuple[str, ...]:
        literal = literal_prefix(pattern)
        if len(literal) < MIN_PATTERN_PREFIX:
            self.limited = True  # never a scan of the whole dictionary, whoever asks
            return ()
        rest = pattern[len(literal) :]
        fits = None if rest == "*" else re.compile(fnmatch.translate(pattern)).match
        frequencies: Counter[str] = Counter()
        for word, documents in self._words(literal):
            if fits is None or fits(word):
                frequencies[stem(word)] += documents
        if len(frequencies) > share:
            self.limited = True
        best = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))[:share]
        return tuple(text for text, _ in best)

    def _words(self, literal: str) -> Iterator[tuple[str, int]]:
        """The words as written that start with `literal`, with their document counts; at most
        `MAX_SCANNED_TERMS` of them, and none past the deadline (either marks the expansion limited)."""
        raise NotImplementedError
