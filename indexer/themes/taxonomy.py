"""Load the theme taxonomy from corpus/themes/*.yaml: the staff-editable source of theme facts.

Each file holds one theme with its sub-themes, the terms that signal them, acronyms with their
expansions and a glossary. See corpus/README.md for the format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from indexer.analysis.wordforms import phrase_stems
from indexer.errors import KennisbankError
from indexer.themes import countries

# Theme files are read at every indexing run (an upload's too) and app start: PyYAML's C loader
# for the same safe subset takes a tenth of the pure-Python loader's 0.4 s. Sidecars and front
# matter, which anyone can write, keep the pure-Python `safe_load`.
_THEME_FILE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TaxonomyError(KennisbankError):
    """A theme file that cannot be used; the message says which file and what to fix."""


@dataclass(frozen=True)
class Acronym:
    short: str
    expansion: str
    explanation: str = ""
    signal: bool = True  # False: used for search expansion and the glossary, never for tagging


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    explanation: str


@dataclass(frozen=True)
class Pairing:
    """Words that signal a theme only near one of `near` ("steekpartij" near "jongeren")."""

    name: str  # what the nearby words are about, shown in the reason: ‘steekpartij’ (bij jongeren)
    terms: tuple[str, ...]
    near: tuple[str, ...]  # word forms as written (jongen, jongens): the stemmer mixes up jongen and jonge
    # In a brief these terms count only when said twice: one stabbing near a young person is a
    # report of ordinary crime, where youth nuisance said once is already the subject.
    brief_needs_repetition: bool = False


@dataclass(frozen=True)
class Abroad:
    """A theme that is about the Netherlands: a text naming one of `places` and none of `home`
    (foreign terrorism or protest without a Dutch side) is not about it. The places are every
    foreign country (`countries.py`) and what its theme file adds (cities, regions, other spellings),
    each matched as a phrase; `home` holds single words."""

    places: tuple[str, ...]
    home: tuple[str, ...]


@dataclass(frozen=True)
class Subtheme:
    slug: str
    name: str
    description: str
    core_terms: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str
    core_terms: tuple[str, ...]
    terms: tuple[str, ...]
    exclusions: tuple[str, ...]
    pairings: tuple[Pairing, ...]
    abroad: Abroad | None
    # In a news brief, one mention of a strong term is enough, unless the theme's words are ones
    # that other news uses in passing: then strong terms must be said twice (`kort_bericht_herhaald`).
    brief_needs_repetition: bool
    acronyms: tuple[Acronym, ...]
    glossary: tuple[GlossaryEntry, ...]
    subthemes: tuple[Subtheme, ...]


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[Theme, ...]
    fingerprint: str  # changes whenever a theme file changes, so tags are recomputed

    def theme(self, slug: str) -> Theme | None:
        return next((theme for theme in self.themes if theme.slug == slug), None)

    @property
    def theme_slugs(self) -> frozenset[str]:
        return frozenset(theme.slug for theme in self.themes)

    @property
    def subtheme_parents(self) -> dict[str, str]:
        return {sub.slug: theme.slug for theme in self.themes for sub in theme.subthemes}

    def label(self, slug: str) -> str:
        """The Dutch name of a theme or sub-theme slug (the slug itself when unknown)."""
        for theme in self.themes:
            if theme.slug == slug:
                return theme.name
            for sub in theme.subthemes:
                if sub.slug == slug:
                    return sub.name
        return slug


def theme_list(slugs: Iterable[str], name: Callable[[str], str] = str) -> str:
    """Themes as one line for a person ("Mensenhandel, Zorg en Veiligheid"), or "geen thema"."""
    return ", ".join(name(slug) for slug in slugs) or "geen thema"


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, (str, int)) for item in value):
        raise TaxonomyError(f"{where} moet een lijst van woorden zijn.")
    return tuple(str(item).strip() for item in value if str(item).strip())


def _flag(value: object, default: bool, where: str) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise TaxonomyError(f"{where} moet true of false zijn.")
    return value


def _required(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(f"In {where} ontbreekt '{key}'. Vul het aan en probeer het opnieuw.")
    return value.strip()


def _theme_from(data: dict, path: Path) -> Theme:
    where = path.name
    acronyms = tuple(
        Acronym(
            short=_required(item, "afkorting", where),
            expansion=_required(item, "voluit", where),
            explanation=str(item.get("uitleg", "")).strip(),
            signal=_flag(item.get("signaal"), True, f"signaal van {item.get('afkorting')} in {where}"),
        )
        for item in data.get("afkortingen") or ()
    )
    glossary = tuple(
        GlossaryEntry(_required(item, "term", where), _required(item, "uitleg", where))
        for item in data.get("begrippen") or ()
    )
    subthemes = tuple(
        Subtheme(
            slug=_required(item, "slug", where),
            name=_required(item, "naam", where),
            description=str(item.get("beschrijving", "")).strip(),
            core_terms=_strings(item.get("kerntermen"), f"kerntermen van {item.get('slug')} in {where}"),
            terms=_strings(item.get("termen"), f"termen van {item.get('slug')} in {where}"),
        )
        for item in data.get("subthemas") or ()
    )
    pairings = tuple(
        Pairing(
            name=_required(item, "bij", where),
            terms=_strings(item.get("termen"), f"termen van samenhang '{item.get('bij')}' in {where}"),
            near=_strings(item.get("woorden"), f"woorden van samenhang '{item.get('bij')}' in {where}"),
            brief_needs_repetition=_flag(
                item.get("kort_bericht_herhaald"),
                False,
                f"kort_bericht_herhaald van samenhang '{item.get('bij')}' in {where}",
            ),
        )
        for item in data.get("samenhang") or ()
    )
    _check_repetition_agrees(pairings, where)
    abroad = data.get("buitenland")
    return Theme(
        slug=_required(data, "slug", where),
        name=_required(data, "naam", where),
        description=str(data.get("beschrijving", "")).strip(),
        core_terms=_strings(data.get("kerntermen"), f"kerntermen in {where}"),
        terms=_strings(data.get("termen"), f"termen in {where}"),
        exclusions=_strings(data.get("uitzonderingen"), f"uitzonderingen in {where}"),
        pairings=pairings,
        abroad=Abroad(
            countries.foreign_countries() + _strings(abroad.get("plaatsen"), f"plaatsen onder buitenland in {where}"),
            _strings(abroad.get("nederland"), f"nederland onder buitenland in {where}"),
        )
        if abroad
        else None,
        brief_needs_repetition=_flag(data.get("kort_bericht_herhaald"), False, f"kort_bericht_herhaald in {where}"),
        acronyms=acronyms,
        glossary=glossary,
        subthemes=subthemes,
    )


def _check_repetition_agrees(pairings: tuple[Pairing, ...], where: str) -> None:
    """A word in two pairings of one theme counts once, for the first whose words stand near it: were
    only one of them to want it said twice in a brief, the order in the file would decide, unseen. Terms
    are compared by their stems, as the tagger compares them, so "steekpartij" and "steekpartijen" are one."""
    first: dict[tuple[str, ...], Pairing] = {}
    for pairing in pairings:
        for term in pairing.terms:
            other = first.setdefault(phrase_stems(term), pairing)
            if other.brief_needs_repetition != pairing.brief_needs_repetition:
                raise TaxonomyError(
                    f"In {where} staat '{term}' in de samenhang '{other.name}' en in '{pairing.name}', maar "
                    "kort_bericht_herhaald verschilt tussen die twee. Geef ze dezelfde waarde of zet de term in "
                    "één van beide."
                )


def load_taxonomy(directory: Path) -> Taxonomy:
    """All theme files of a folder, in file-name order; an empty taxonomy when there are none."""
    digest = hashlib.sha256(countries.SOURCE.encode())
    themes = []
    for path in sorted(Path(directory).glob("*.yaml")):
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        try:
            data = yaml.load(raw, Loader=_THEME_FILE_LOADER)  # noqa: S506 - a safe loader, see above
        except yaml.YAMLError as exc:
            raise TaxonomyError(f"Het themabestand {path} is geen geldige YAML ({exc}). Herstel het.") from exc
        if not isinstance(data, dict):
            raise TaxonomyError(f"Het themabestand {path} moet sleutels met waarden bevatten. Herstel het.")
        try:
            themes.append(_theme_from(data, path))
        except (AttributeError, TypeError) as exc:
            raise TaxonomyError(f"Het themabestand {path} heeft niet de juiste opbouw ({exc}).") from exc
    slugs = [theme.slug for theme in themes]
    duplicates = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicates:
        raise TaxonomyError(f"Thema {', '.join(sorted(duplicates))} staat in meer dan één bestand in {directory}.")
    return Taxonomy(themes=tuple(themes), fingerprint=digest.hexdigest()[:16])
