"""Who published a document: the organisations named in its source, normalised in one place.

Sidecars and file properties name the source as people write it: "RIEC Rotterdam en
VeiligheidsAlliantie regio Rotterdam", "VeiligheidsAlliantie regio Rotterdam, team Monitoring",
"politie eenheid Rotterdam". The source facet lists organisations, so a document two organisations
published counts for both, however the pair was written; the `bron:` filter matches a word of the
source as written (`bron:RIEC`, `bron:politie`). The index holds the organisations: a change
here changes the index, so bump `schema.SCHEMA_REVISION` with it.
"""

from __future__ import annotations

import re

# Words and marks that join two organisations in one source. " en " only between whole words:
# in "Zorg- en Veiligheidshuis" it joins the halves of one name.
_SEPARATOR = re.compile(r";|\s/\s|,?\s+in samenwerking met\s+|(?<!-)\s+en\s+")
# After a comma, a part that starts in lower case names a unit of the organisation before it
# ("…, team Monitoring"): the organisation is the part before the comma.
_UNIT = re.compile(r",\s+(?=[a-zà-ÿ])")
# An article a name does not start with in a list ("in samenwerking met de PMG-gemeenten").
_ARTICLE = re.compile(r"^(?:de|het)\s+(?=\S)")
# Organisations whose name holds a separator itself: taken whole before the source is split.
NAMES_WITH_SEPARATOR = ("Expertisecentrum Seksualiteit, Sekswerk en Mensenhandel (ESSM)",)
_EDGE_MARKS = " \t\"'.,;:"
# Sources that name nobody: the facet shows such documents as "Onbekend", once.
NOBODY = frozenset({"onbekend", "geen", "n.v.t", "nvt", "unknown", "anoniem"})


def tidy(value: object) -> str:
    """A source as written, whitespace folded and stray quotes and punctuation trimmed; "" for none."""
    if value is None:
        return ""
    return " ".join(str(value).split()).strip(_EDGE_MARKS)


def _canonical(name: str) -> str:
    """One organisation's name as the facet shows it: no article or unit, first letter upper case."""
    name = _UNIT.split(tidy(name), maxsplit=1)[0]
    name = tidy(_ARTICLE.sub("", name))
    return name[:1].upper() + name[1:]


def organisations(source: str) -> tuple[str, ...]:
    """The organisations named in a source, each once ("" names none)."""
    text = tidy(source)
    found = []
    for known in NAMES_WITH_SEPARATOR:
        pattern = re.compile(re.escape(known), re.IGNORECASE)
        if pattern.search(text):
            found.append(known)
            text = pattern.sub(";", text)
    found += [_canonical(part) for part in _SEPARATOR.split(text)]
    unique: dict[str, str] = {}
    for name in found:
        if any(char.isalpha() for char in name) and name.casefold() not in NOBODY:
            unique.setdefault(name.casefold(), name)
    return tuple(unique.values())
