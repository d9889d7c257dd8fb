"""Values that office software and PDF tools put in a file's properties when nobody filled them in.

"Microsoft Word - doc1.docx", "untitled", "(unspecified)" or the account name "Administrator" say
nothing about a document; taken as its title, summary or source they would hide what the text
itself says. A section heading ("Artikel 1") or a letter's return address names a part of the page,
not the document. Each property key has its own table, so a rule is stated once.
"""

from __future__ import annotations

import re

# Filled in by a program, not by a person: empty words, dashes, question marks, "(unspecified)".
_EMPTY_WORDS = re.compile(
    r"^\W*(untitled|naamloos|zonder titel|geen titel|titel|title|onderwerp|subject|onbekend|unknown|"
    r"unspecified|not specified|none|null|n\.?v\.?t|n/?a|default|standaard|leeg|empty|test|concept)?[\W_]*\d*\W*$",
    re.I,
)
# A file or template name rather than a title: "Microsoft Word - rapport.docx", "doc1", "Document3".
_FILE_LIKE = re.compile(
    r"^(microsoft (word|powerpoint|excel) - .*|(doc|document|presentatie|presentation|dia|slide)\s*\d*|"
    r".*\.(docx?|dotx?|pdf|indd|odt|ott|rtf|pptx?|xlsx?|txt|html?|wpd)|[\w-]*_[\w-]*|[a-z]:\\.*|\\\\.*)$",
    re.I,
)
# The name of a part, not of the document: "Artikel 1", "Hoofdstuk II Begripsbepalingen", "Inleiding".
_SECTION = re.compile(
    r"^((artikel|hoofdstuk|paragraaf|afdeling|bijlage|article|chapter|section|annex)\s+[\divxlc]+[a-z]?\b.*|"
    r"inleiding|voorwoord|inhoud|inhoudsopgave|samenvatting|colofon|introduction|contents|summary|preface)$",
    re.I,
)
# What a letter or a page carries above its title: "Pagina 1 van 2", "> Retouradres Postbus 20301".
_PAGE_FURNITURE = re.compile(r"^(>?\s*retouradres\b.*|(pagina|page|blad)\s*\d+(\s*(van|of|/)\s*\d+)?)$", re.I)
# Accounts and products that end up as a PDF's author.
_ACCOUNT = re.compile(
    r"^(administrator|admin|beheerder|user|gebruiker|owner|eigenaar|auteur|author|anonymous|anoniem|"
    r"microsoft (office|word) (user|gebruiker)|windows (user|gebruiker)|office|microsoft|adobe.*)$",
    re.I,
)
PLACEHOLDERS: dict[str, tuple[re.Pattern[str], ...]] = {
    "titel": (_EMPTY_WORDS, _FILE_LIKE, _SECTION, _PAGE_FURNITURE),
    "samenvatting": (_EMPTY_WORDS, _FILE_LIKE),
    "bron": (_EMPTY_WORDS, _ACCOUNT),
}


def is_placeholder(key: str, value: object) -> bool:
    """Whether `value` under property `key` is filler rather than information about the document."""
    if not isinstance(value, str):
        return False
    text = " ".join(value.split())
    return any(pattern.match(text) for pattern in PLACEHOLDERS.get(key, ()))


def meaningful(properties: dict[str, object]) -> dict[str, object]:
    """A file's properties without the placeholder values."""
    return {key: value for key, value in properties.items() if not is_placeholder(key, value)}
