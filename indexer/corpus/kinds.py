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
    "regelgeving": "Wet- en regelgeving",
    "inwerkdossier": "Inwerkdossier",
    "trainingsaanbod": "Trainingsaanbod",
    "nieuwsbericht": "Nieuwsbericht",
    "terugblik": "Terugblik",
    "jaarverslag": "Jaarverslag",
    "overig": "Overig",
}
UNKNOWN_KIND = "overig"
_WORD = re.compile(r"[a-zà-ÿ]+")

# Words in a title or file name that give the kind away, checked in this order. A hint is a word of
# its own or the end of a compound ("onderzoeksrapport", "jeugdwet"), also in the plural: "Rapporteur"
# names no report, "nieuwsmedia" no news item.
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
    ("nieuwsbericht", "nieuwsbericht"),
    ("nieuwsbrief", "nieuwsbericht"),
    ("beleidskader", "beleidsstuk"),
    ("beleidsplan", "beleidsstuk"),
    ("actieplan", "beleidsstuk"),
    ("uitvoeringsagenda", "beleidsstuk"),
    ("rapport", "rapport"),
    ("rapportage", "rapport"),
    ("report", "rapport"),
    ("evaluatie", "rapport"),
    ("onderzoek", "rapport"),
)
# A regulation's title starts with its instrument ("Wet op de jeugdzorg", "Uitvoeringsbesluit Wmo",
# "Regeling instelling commissie Evaluatie Politiewet"); further on, such a word is a subject ("Evaluatie
# Jeugdwet", "Advies inzake ontwerpbesluit"). Checked before `_KIND_HINTS`, on the first word only.
_LEADING_HINTS = tuple(
    (hint, "regelgeving")
    for hint in ("wet", "wetboek", "besluit", "regeling", "beleidsregel", "aanwijzing", "richtlijn", "reglement")
)
# A short vowel closed by one consonant doubles it in the plural (wet, wetten; plan, plannen): "weten" is no "wet".
_SHORT_CLOSED = re.compile(r"[^aeiouy][aeiouy][^aeiouy]$")
_INNER_CAPITAL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z])")  # "FactsheetRadicalisering" is two words
# A site generator's post ("layout: post", "type: nieuws", "category: nieuws") is a news item, whatever its
# title says ("OM wil fraude vaker laten onderzoeken" reports no research). Front matter keys read for it,
# after `soort` (where "type" goes), and the values that name a kind.
KIND_PROPERTIES = ("soort", "layout", "category", "categories", "rubrieken")
_PROPERTY_KINDS = {
    "post": "nieuwsbericht",
    "nieuws": "nieuwsbericht",
    "news": "nieuwsbericht",
    "blogpost": "nieuwsbericht",
}

LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "Engels", "de": "Duits", "fr": "Frans", "onbekend": "Onbekend"}

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
        words = _WORD.findall(_INNER_CAPITAL.sub(" ", text).lower().replace("_", " "))
        for hints, scope in ((_LEADING_HINTS, words[:1]), (_KIND_HINTS, words)):
            for hint, kind in hints:
                if any(word.endswith(form) for word in scope for form in _forms(hint)):
                    return kind
    return UNKNOWN_KIND


def _forms(hint: str) -> tuple[str, str, str]:
    """A hint in the singular and in its plurals."""
    return hint, f"{hint}s", f"{hint}{hint[-1]}en" if _SHORT_CLOSED.search(hint) else f"{hint}en"


def kind_of_properties(properties: dict[str, object]) -> str | None:
    """The kind a file's own properties give: a kind's slug under `soort`, or a site generator's post."""
    if properties.get("soort") in KINDS:
        return str(properties["soort"])
    for key in KIND_PROPERTIES:
        value = properties.get(key)
        values = value if isinstance(value, list) else str(value or "").split(",")
        for item in values:
            kind = _PROPERTY_KINDS.get(str(item).strip().lower())
            if kind:
                return kind
    return None


def guess_language(text: str) -> str:
    """Dutch, English, German or French by function-word counts; "onbekend" when unclear."""
    words = _WORD.findall(text[:20000].lower())
    counts = {lang: sum(word in vocabulary for word in words) for lang, vocabulary in _FUNCTION_WORDS.items()}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= MIN_FUNCTION_WORDS else "onbekend"
