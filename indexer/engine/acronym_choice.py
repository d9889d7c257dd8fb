"""Which of the acronyms the documents define search uses, in both engines: each engine counts the
live documents that give each definition, and this chooses among them.

An acronym defined in more than one way keeps the meaning a strict majority of its defining
documents gives, or none. The taxonomy's acronyms come first (`QueryContext.with_corpus`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from indexer.analysis.acronyms import FUNCTION_WORDS, Definition
from indexer.analysis.wordforms import fold, stem
from indexer.engine.query_context import acronym_key


def _meaning(long_form: str) -> tuple[str, ...]:
    """Long forms that differ only in inflection or function words mean the same."""
    return tuple(stem(word) for word in re.findall(r"\w+", fold(long_form)) if word not in FUNCTION_WORDS)


def choose(document_counts: dict[Definition, int]) -> tuple[Definition, ...]:
    """Per acronym the meaning a strict majority of its defining documents gives, in its most
    common spelling; an acronym without such a majority is left out. One that reads as a common word
    ("OM", "ZON") is kept: typed in capitals it is the acronym (`QueryContext.word_like`)."""
    by_acronym: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[tuple[str, tuple[str, ...]], Counter] = defaultdict(Counter)
    for (short, long_form), count in document_counts.items():
        key, meaning = acronym_key(short), _meaning(long_form)
        by_acronym[key][meaning] += count
        spellings[(key, meaning)][(short, long_form)] += count
    chosen = []
    for key, meanings in sorted(by_acronym.items()):
        meaning, count = max(meanings.items(), key=lambda item: (item[1], item[0]))
        if count * 2 > sum(meanings.values()):
            best = spellings[(key, meaning)]
            chosen.append(min(best, key=lambda pair: (-best[pair], pair)))
    return tuple(chosen)
