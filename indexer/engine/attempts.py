"""How every engine reads a query's text in turn (all words, then all but one, then any word) and
what it tells the user about that reading, declared once for both engines.

Documents with most (then any) of the words always follow those with all of them: on real
documents a strict AND favours long reports that mention every word somewhere over the short item
that writes one word differently. With fewer strict hits than `MIN_RESULTS_BEFORE_LOOSENING` the page
says so (`SearchResults.relaxed`).
"""

from __future__ import annotations

import re

from indexer.analysis.acronyms import acronym_letters
from indexer.analysis.wordforms import WORD_PATTERN
from indexer.engine.query import MOST_WORDS_FROM, ParsedQuery
from indexer.engine.syntax import MIN_PATTERN_PREFIX

MIN_RESULTS_BEFORE_LOOSENING = 3
# The looser attempts, each from the number of typed words on which it can differ from the strict one
# ("any" already for one word: a compound's parts may then match on their own).
LOOSER_MODES = (("most", MOST_WORDS_FROM), ("any", 1))
REFUSED_NOTE = (
    "Niet gezocht op {words}: een zoekwoord met * of ? moet met minstens {letters} letters beginnen, zoals radicali*."
)
LIMITED_NOTE = (
    "Een zoekwoord met * of ? past op te veel woorden; alleen de meest voorkomende zijn gezocht. "
    "Zet meer letters voor de * voor een volledig resultaat."
)

COMMON_NOTE = (
    "Niet gezocht op {words}: te gewoon om op te zoeken. Bedoelt u een afkorting, typ die in hoofdletters "
    "(OM) of schrijf haar voluit (Openbaar Ministerie)."
)
UNKNOWN_ACRONYM_NOTE = (
    "Niet gezocht op {words}: geen document schrijft deze afkorting voluit, en als woord is ze te gewoon om op te "
    "zoeken. Schrijf haar voluit."
)


def looser_modes(text: str) -> list[str]:
    """The looser readings worth trying for `text` (operators and filters count as words too: at
    worst one attempt more)."""
    typed = len(re.findall(WORD_PATTERN, text))
    return [mode for mode, needed in LOOSER_MODES if typed >= needed]


def notes(parsed: ParsedQuery, limited: bool) -> tuple[str, ...]:
    """What the page says about the reading shown: patterns left out, patterns cut short, and a text
    of common words only, which lists everything."""
    found = []
    if parsed.refused:
        words = ", ".join(f'"{word}"' for word in parsed.refused)
        found.append(REFUSED_NOTE.format(words=words, letters=MIN_PATTERN_PREFIX))
    if limited:
        found.append(LIMITED_NOTE)
    for note, words in (
        (UNKNOWN_ACRONYM_NOTE, [word for word in parsed.common if acronym_letters(word)]),
        (COMMON_NOTE, [word for word in parsed.common if not acronym_letters(word)]),
    ):
        if words:
            found.append(note.format(words=", ".join(f'"{word}"' for word in words)))
    return tuple(found)
