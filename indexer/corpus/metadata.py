"""Resolve a document's metadata: sidecar file first, then the file itself, then its name.

A sidecar is a YAML file next to the document, named after it plus `.meta.yaml`
(`rapport.pdf` -> `rapport.pdf.meta.yaml`), with the Dutch keys declared in `sidecar_fields`. Staff use it
to correct what the file says about itself; its values always win.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from indexer.corpus.dates import find_document_date, find_year, parse_date
from indexer.corpus.derived import (
    COLOPHON_PAGES,
    citation_title,
    colophon_title,
    derive_summary,
    first_line_title,
    labelled_subject,
    title_from_filename,
)
from indexer.corpus.files import write_atomically
from indexer.corpus.kinds import KINDS, LANGUAGES, UNKNOWN_KIND, guess_kind, guess_language, kind_of_properties
from indexer.corpus.placeholders import meaningful
from indexer.corpus.sidecar_fields import LIST_KEYS, SIDECAR_KEYS
from indexer.corpus.sources import tidy
from indexer.errors import ExtractionError, Problem
from indexer.models import Extraction, Metadata

SIDECAR_SUFFIX = ".meta.yaml"


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def read_sidecar(document: Path) -> dict[str, object]:
    """The validated sidecar of `document`, or {} when it has none."""
    path = sidecar_path(document)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError) as exc:
        # ValueError: a date YAML recognises but the calendar does not have ("2024-02-30").
        raise ExtractionError(document, Problem.BAD_SIDECAR, f"{path.name} is geen leesbare YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ExtractionError(document, Problem.BAD_SIDECAR, f"{path.name} moet sleutels met waarden bevatten")
    return validate_sidecar(document, data)


def validate_sidecar(document: Path, data: dict) -> dict[str, object]:
    """Sidecar values checked and normalised; raises ExtractionError naming what is wrong."""
    unknown = sorted(str(key) for key in data if key not in SIDECAR_KEYS)
    if unknown:
        raise ExtractionError(
            document,
            Problem.BAD_SIDECAR,
            f"onbekende sleutel {', '.join(unknown)} in {sidecar_path(document).name}; "
            f"toegestaan zijn {', '.join(SIDECAR_KEYS)}",
        )
    return {key: _validated(document, key, value) for key, value in data.items() if value not in (None, "", ())}


def sidecar_text(document: Path, values: dict[str, object]) -> str:
    """Validated values as the YAML text of the document's sidecar."""
    clean = validate_sidecar(document, values)
    data = {key: list(value) if isinstance(value, tuple) else value for key, value in clean.items()}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_sidecar(document: Path, values: dict[str, object]) -> Path:
    """Write validated values as the document's sidecar, atomically; returns the sidecar's path."""
    target = sidecar_path(document)
    write_atomically(target, sidecar_text(document, values))
    return target


def _validated(document: Path, key: str, value: object) -> object:
    if key in LIST_KEYS:
        return _as_tuple(value)
    if key == "datum":
        if isinstance(value, int) and find_year(str(value)):
            return value
        parsed = parse_date(value if isinstance(value, (dt.date, str)) else str(value))
        if parsed is None:
            raise ExtractionError(
                document, Problem.BAD_SIDECAR, f"datum '{value}' is geen datum; schrijf bijvoorbeeld 2024-05-13"
            )
        return parsed
    if key == "soort" and str(value) not in KINDS:
        raise ExtractionError(document, Problem.BAD_SIDECAR, f"onbekende soort '{value}'; kies uit {', '.join(KINDS)}")
    return str(value).strip()


def _as_tuple(value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


# Where a value came from, as the review step shows it ("Gevonden in: …").
SIDECAR = "het metagegevensbestand (.meta.yaml)"
PROPERTIES = "de eigenschappen van het bestand"
TEXT = "de tekst van het document"
COLOPHON = "de referentie in het colofon (hoe het document geciteerd wordt)"
FILE_NAME = "de bestandsnaam"
TIMESTAMP = "de aanmaakdatum van het bestand (er staat geen datum in de tekst)"
GUESSED = "afgeleid uit titel, bestandsnaam of tekst"
NOWHERE = "niet gevonden"
# The property under which an extractor passes a file's own timestamp (a PDF's creation date): the
# day someone saved or exported the file, so only used when the text gives no date.
TIMESTAMP_KEY = "aanmaakdatum"


def _pick(*candidates: tuple[str, object]) -> tuple[object, str]:
    """The first candidate that has a value, and where it came from."""
    for origin, value in candidates:
        if value not in (None, "", (), []):
            return value, origin
    return None, NOWHERE


def resolve(path: Path, extraction: Extraction, sidecar: dict[str, object]) -> Metadata:
    """Merge sidecar, file properties and what the text and file name tell, in that order."""
    return resolve_with_origins(path, extraction, sidecar)[0]


def resolve_with_origins(
    path: Path, extraction: Extraction, sidecar: dict[str, object]
) -> tuple[Metadata, dict[str, str]]:
    """The metadata, and per sidecar key where its value came from (for staff to check).

    Placeholder properties ("untitled", "(unspecified)") are ignored, and a date written in the
    document wins over the file's own timestamp.
    """
    props = meaningful(extraction.properties)
    first_page = extraction.pages[0].text if extraction.pages else ""
    origins: dict[str, str] = {}
    text_title = labelled_subject(first_page) or first_line_title(first_page)
    property_title = props.get("titel")
    if isinstance(property_title, str) and text_title.startswith(property_title) and text_title != property_title:
        property_title = None  # cut short ("Trafficking in"): the text's title says all of it
    title, origins["titel"] = _pick(
        (SIDECAR, sidecar.get("titel")),
        (COLOPHON, colophon_title("\n".join(page.text for page in extraction.pages[:COLOPHON_PAGES]))),
        (PROPERTIES, property_title),
        (TEXT, text_title),
        (FILE_NAME, title_from_filename(path)),
    )
    if origins["titel"] != SIDECAR:  # a title staff wrote stays as they wrote it
        title = citation_title(str(title), extraction.text)
    kind, origins["soort"] = _pick(
        (SIDECAR, sidecar.get("soort")),
        (PROPERTIES, kind_of_properties(props)),
        (GUESSED, guess_kind(title, path.stem)),
    )
    raw_date, origins["datum"] = _pick((SIDECAR, sidecar.get("datum")), (PROPERTIES, props.get("datum")))
    if isinstance(raw_date, int):  # only a year is known
        date, year = None, raw_date
    else:
        date = parse_date(raw_date)
        if date is None:
            date, origins["datum"] = _pick(
                (TEXT, find_document_date(first_page[:3000])), (TIMESTAMP, parse_date(props.get(TIMESTAMP_KEY)))
            )
        year = date.year if date else find_year(f"{path.stem} {title}")
        if date is None and year is not None:
            origins["datum"] = f"{FILE_NAME} of de titel (alleen het jaar)"
    language, origins["taal"] = _pick(
        (SIDECAR, sidecar.get("taal")), (PROPERTIES, props.get("taal")), (GUESSED, guess_language(extraction.text))
    )
    source, origins["bron"] = _pick((SIDECAR, sidecar.get("bron")), (PROPERTIES, props.get("bron")))
    summary, origins["samenvatting"] = _pick(
        (SIDECAR, sidecar.get("samenvatting")),
        (PROPERTIES, props.get("samenvatting")),
        (TEXT, derive_summary(extraction.text)),
    )
    # Themes in a sidecar or in front matter are curated by people and override the tagger.
    curated = sidecar if "themas" in sidecar else props
    themes, subthemes = _as_tuple(curated.get("themas")), _as_tuple(curated.get("subthemas"))
    metadata = Metadata(
        title=title,
        kind=str(kind) if kind in KINDS else UNKNOWN_KIND,
        date=date,
        year=year,
        source=tidy(source),
        language=str(language) if language in LANGUAGES else "onbekend",
        summary=str(summary or ""),
        themes=themes,
        subthemes=subthemes,
        themes_from_sidecar="themas" in curated,
    )
    return metadata, origins
