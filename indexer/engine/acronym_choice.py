"""Which of the acronyms the documents define search uses, in both engines: each engine counts the
live documents that give each definition, and this chooses among them.

An acronym defined in more than one way keeps the meaning a strict majority of its defining
documents gives, or none. The taxonomy's acronyms come first (`QueryContext.with_corpus`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from wordfreq import zipf_frequency

from indexer.analysis.acronyms import FUNCTION_WORDS, Definition
from indexer.analysis.wordforms import STOP_WORDS, fold, stem
from indexer.engine.query_context import acronym_key

# An acronym that reads as a word this frequent in Dutch (wordfreq's Zipf scale: "zon", "tip",
# "shop") is mostly that word when typed in lowercase, so it is not expanded. A stop word ("om", "me")
# is kept: the index leaves it out of every text, so typed in capitals it can only be the acronym
# (`expander.Expander.word`).
WORD_ZIPF = 4.0


def _meaning(long_form: str) -> tuple[str, ...]:
    """Long forms that differ only in inflection or function words mean the same."""
    return tuple(stem(word) for word in re.findall(r"\w+", fold(long_form)) if word not in FUNCTION_WORDS)


def choose(document_counts: dict[Definition, int]) -> tuple[Definition, ...]:
    """Per acronym the meaning a strict majority of its defining documents gives, in its most
    common spelling; an acronym without such a majority, or that reads as a common word other than a
    stop word, is left out."""
    by_acronym: dict[str, Counter] = defaultdict(Counter)
    spellings: dict[tuple[str, tuple[str, ...]], Counter] = defaultdict(Counter)
    for (short, long_form), count in document_counts.items():
        key, meaning = acronym_key(short), _meaning(long_form)
        by_acronym[key][meaning] += count
        spellings[(key, meaning)][(short, long_form)] += count
    chosen = []
    for key, meanings in sorted(by_acronym.items()):
        if key not in STOP_WORDS and zipf_frequency(key, "nl") >= WORD_ZIPF:
            continue
        meaning, count = max(meanings.items(), key=lambda item: (item[1], item[0]))
        if count * 2 > sum(meanings.values()):
            best = spellings[(key, meaning)]
            chosen.append(min(best, key=lambda pair: (-best[pair], pair)))
    return tuple(chosen)
