"""The plural and inflected forms of a one-word term that the Dutch stemmer does not bring back to it.

Whoosh's classic Snowball stemmer leaves "demonstraties", "deepfakes" and "blokkades" as they are
and stems "wapens" to "wapen" but "wapen" to "wap"; measured over 116,824 real news posts
(issue 18), the plural of about fifty taxonomy terms went unmatched. Dutch spelling rules give
those forms; a strong term is matched in each of them as well (see `terms._add_inflections`).
"""

from __future__ import annotations

import re

_VOWELS = "aeiouy"
# A plural with -s: after a vowel (demonstratie, deepfake) and after unstressed -el, -em, -en, -er, -je.
_S_PLURAL = re.compile(rf"(?:[{_VOWELS}]|el|em|en|er|je)$")
# A long vowel written double in a closed syllable is written single in an open one (crimineel, criminelen).
_LONG_VOWEL = re.compile(r"([aeou])\1([^aeiouyw])$")
# A short vowel in a closed syllable doubles its consonant (mes, messen; lek, lekken).
_SHORT_VOWEL = re.compile(rf"(?:^|[^{_VOWELS}])[{_VOWELS}]([bdfgklmnprst])$")
# After a long vowel or diphthong, f and s are voiced (explosief, explosieven; hakenkruis, hakenkruizen).
_VOICED = re.compile(r"(?:aa|ee|oo|uu|ie|ei|ij|ui|ou|au|eu|oe)([fs])$")
_PARTICIPLE_OR_ADJECTIVE = re.compile(r"(?:isch|ig|[dt])$")


def inflected_forms(word: str) -> frozenset[str]:
    """The plural of a folded noun, and the inflected form of an adjective or participle
    (terroristisch, terroristische; mishandeld, mishandelde)."""
    forms = {f"{word}en"} if word.endswith("ie") else set()  # complottheorieën, folded
    if found := _LONG_VOWEL.search(word):
        forms.add(f"{word[: found.start() + 1]}{found.group(2)}en")
    elif _S_PLURAL.search(word):
        forms.add(f"{word}s")
    elif found := _VOICED.search(word):
        forms.add(f"{word[:-1]}{'v' if found.group(1) == 'f' else 'z'}en")
    elif found := _SHORT_VOWEL.search(word):
        forms.add(f"{word}{found.group(1)}en")
    else:
        forms.add(f"{word}en")
    if _PARTICIPLE_OR_ADJECTIVE.search(word):
        forms.add(f"{word}e")
    return frozenset(forms)
