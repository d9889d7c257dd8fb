"""The plural and inflected forms of a one-word term that the Dutch stemmer does not bring back to it.

Whoosh's classic Snowball stemmer leaves "demonstraties", "deepfakes" and "blokkades" as they are
and stems "wapens" to "wapen" but "wapen" to "wap"; measured over 116,824 real news posts
(issue 18), the plural of about fifty taxonomy terms went unmatched. Dutch spelling rules give
those forms; a strong term is matched in each of them as well (see `terms._add_inflections`).
A verb is matched conjugated too ("gehackt", "ronselde", "geterroriseerd"): spelling rules give the
candidate forms, and real Dutch (wordfreq) says which exist, so a plural noun that ends like an
infinitive ("rellen") gets no verb forms.
"""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from indexer.analysis.lexicon import LANGUAGE, WORDLIST

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
# A stem ends in one of these: its past tense takes -te and its participle -t (’t kofschip), else -de, -d.
_VOICELESS_END = ("t", "k", "f", "s", "ch", "p", "x")
# Unstressed prefixes: the participle has no ge- (mishandelen, mishandeld).
_UNSTRESSED_PREFIXES = ("be", "ge", "her", "ont", "ver", "er", "mis")
# Separable particles: the participle's ge- comes after them (uithuwelijken, uitgehuwelijkt).
_PARTICLES = ("uit", "op", "aan", "af", "in", "mee", "door", "over", "om", "toe", "terug", "weg", "dood", "neer")
# A stem's vowel that is long in the infinitive's open syllable (terroriseren, terroriseert) or a schwa
# (ronselen, ronselt): spelling cannot tell, so both are tried.
_OPEN_SYLLABLE = re.compile(rf"[^{_VOWELS}]([aeou])([^{_VOWELS}])$")


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


def conjugated_forms(infinitive: str) -> frozenset[str]:
    """The present, past and participle forms of a folded weak verb that real Dutch has ("hacken":
    hackt, hackte, hackten, gehackt, gehackte); none for a word that is no infinitive. The bare stem
    is left out: it is often a noun of its own ("pesten", "pest")."""
    if not infinitive.endswith("en") or len(infinitive) < 5:
        return frozenset()
    root = infinitive[:-2]
    if root[-1] == root[-2] and root[-1] not in _VOWELS:
        roots = {root[:-1]}  # skimmen, skim
    elif found := _OPEN_SYLLABLE.search(root):
        roots = {root, f"{root[: found.start(1)]}{found.group(1) * 2}{found.group(2)}"}
    else:
        roots = {root}
    forms: set[str] = set()
    bare: set[str] = set()
    for spoken in roots:
        voiced = spoken[-1] in "vz"  # leven, leef, leefde: the stem is written voiceless, the ending stays voiced
        verb_stem = f"{spoken[:-1]}{'f' if spoken[-1] == 'v' else 's'}" if voiced else spoken
        if voiced and not _VOICED.search(verb_stem):
            continue  # only a long vowel or diphthong comes before a voiced v or z
        dental = "t" if verb_stem.endswith(_VOICELESS_END) and not voiced else "d"
        participle = verb_stem if verb_stem.endswith(dental) else f"{verb_stem}{dental}"
        present = verb_stem if verb_stem.endswith("t") else f"{verb_stem}t"
        if verb_stem.startswith(_UNSTRESSED_PREFIXES):
            participles = {participle}
        else:
            separable = [particle for particle in _PARTICLES if verb_stem.startswith(particle)]
            participles = {f"{particle}ge{participle[len(particle) :]}" for particle in separable} | {f"ge{participle}"}
        bare.add(verb_stem)
        forms |= {present, f"{verb_stem}{dental}e", f"{verb_stem}{dental}en", *participles}
        forms |= {f"{form}e" for form in participles}
    forms -= {infinitive, *bare}
    return frozenset(form for form in forms if zipf_frequency(form, LANGUAGE, wordlist=WORDLIST) > 0)
