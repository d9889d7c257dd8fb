"""Whether a page's text layer is usable, or the page must be read from its image instead.

Two kinds of unusable text: none at all (a scan: fewer than a few letters), and garbage, such as the
mojibake a PDF gives when its fonts lack a map from glyphs to letters. Garbage is told from text by
the share of its words that a dictionary knows: about nine in ten on real Dutch or English pages,
close to none in mojibake.
"""

from __future__ import annotations

import re
from functools import cache

from wordfreq import get_frequency_dict

# Fewer letters than this per page (after running headers are gone) means there is no usable text
# layer: a scan without OCR has none, while even a one-word page ("Potato") has a few.
MIN_LETTERS_PER_PAGE = 5
# A page is judged on at least this many words; a shorter page (a cover, a table of numbers) is kept.
MIN_WORDS_TO_JUDGE = 20
# Below this share of dictionary words a text layer is garbage. Real pages of the bundled corpus score
# 0.67 (a cover) to 0.94; mojibake scores under 0.1.
MIN_KNOWN_SHARE = 0.4
# Words in Latin script only: a page in Arabic or Greek is not judged by a Dutch and English dictionary.
_LATIN_WORD = re.compile(r"[a-zà-öø-ÿ]{2,}")
# German and French too: a report in either must not be mistaken for garbage and read again by OCR.
_LANGUAGES = ("nl", "en", "de", "fr")


def letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


@cache
def _dictionary() -> frozenset[str]:
    """Common words of those languages: the small lists load in about half a second, once per process."""
    return frozenset(word for language in _LANGUAGES for word in get_frequency_dict(language, "small"))


def is_garbled(text: str) -> bool:
    words = _LATIN_WORD.findall(text.lower())
    if len(words) < MIN_WORDS_TO_JUDGE:
        return False
    known = _dictionary()
    return sum(word in known for word in words) < MIN_KNOWN_SHARE * len(words)


def is_usable(text: str) -> bool:
    """A text layer worth indexing as it is."""
    return letter_count(text) >= MIN_LETTERS_PER_PAGE and not is_garbled(text)
