"""The fixed vocabularies of the Kennisbank: document kinds and languages, with their Dutch labels.

Themes are not here: they are data in corpus/themes/, editable by staff.
"""

from __future__ import annotations

import re

# Kind slug -> label shown to people. The order is the order of the facet.
KINDS: dict[str, str] = {
    "factsheet": "Factsheet",
    "handreiking": "Handreiking",
    "handboek": "Handboek",
    "rapport": "Rapport",
    "monitor": "Monitor",
    "beleidsstuk": "Beleidsstuk",
    "inwerkdossier": "Inwerkdossier",
    "trainingsaanbod": "Trainingsaanbod",
    "nieuwsbericht": "Nieuwsbericht",
    "terugblik": "Terugblik",
    "jaarverslag": "Jaarverslag",
    "overig": "Overig",
}
UNKNOWN_KIND = "overig"

# Words in a title or file name that give the kind away, checked in this order.
_KIND_HINTS: tuple[tuple[str, str], ...] = (
    ("factsheet", "factsheet"),
    ("handreiking", "handreiking"),
    ("handleiding", "handreiking"),
    ("handboek", "handboek"),
    ("monitor", "monitor"),
    ("jaarverslag", "jaarverslag"),
    ("jaarplan", "beleidsstuk"),
    ("inwerkdossier", "inwerkdossier"),
    ("trainingsaanbod", "trainingsaanbod"),
    ("training", "trainingsaanbod"),
    ("terugblik", "terugblik"),
    ("nieuws", "nieuwsbericht"),
    ("beleidskader", "beleidsstuk"),
    ("beleidsplan", "beleidsstuk"),
    ("actieplan", "beleidsstuk"),
    ("uitvoeringsagenda", "beleidsstuk"),
    ("rapport", "rapport"),
    ("evaluatie", "rapport"),
    ("onderzoek", "rapport"),
)

LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "Engels", "de": "Duits", "fr": "Frans", "onbekend": "Onbekend"}

_WORD = re.compile(r"[a-zà-ÿ]+")
# The most frequent function words; their share tells Dutch from English reliably on real text.
_FUNCTION_WORDS = {
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "in",
            "is",
            "dat",
            "op",
            "te",
            "voor",
            "met",
            "zijn",
            "niet",
            "ook",
            "die",
            "wordt",
            "worden",
            "bij",
            "aan",
            "er",
            "als",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "that",
            "for",
            "on",
            "with",
            "are",
            "be",
            "this",
            "it",
            "as",
            "by",
            "not",
            "from",
            "or",
            "at",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "mit",
            "den",
            "dem",
            "für",
            "auf",
            "ein",
            "eine",
            "sich",
            "von",
            "zu",
            "im",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "est",
            "une",
            "pour",
            "dans",
            "que",
            "qui",
            "sur",
            "pas",
            "par",
            "au",
            "du",
            "ce",
        ]
    ),
}
# Below this many function words a guess is not worth making.
MIN_FUNCTION_WORDS = 5


def guess_kind(*texts: str) -> str:
    """The kind that a title or file name names, or `UNKNOWN_KIND`."""
    for text in texts:
        lowered = text.lower()
        for hint, kind in _KIND_HINTS:
            if hint in lowered:
                return kind
    return UNKNOWN_KIND


def guess_language(text: str) -> str:
    """Dutch, English, German or French by function-word counts; "onbekend" when unclear."""
    words = _WORD.findall(text[:20000].lower())
    counts = {lang: sum(word in vocabulary for word in words) for lang, vocabulary in _FUNCTION_WORDS.items()}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= MIN_FUNCTION_WORDS else "onbekend"
