"""Resolve a document's metadata: sidecar file first, then the file itself, then its name.

A sidecar is a YAML file next to the document, named after it plus `.meta.yaml`
(`rapport.pdf` -> `rapport.pdf.meta.yaml`), with the Dutch keys in `SIDECAR_KEYS`. Staff use it
to correct what the file says about itself; its values always win.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from indexer.dates import find_date, find_year, parse_date
from indexer.errors import ExtractionError, Problem
from indexer.files import write_atomically
from indexer.models import Extraction, Metadata
from indexer.sources import tidy
from indexer.vocabulary import KINDS, LANGUAGES, UNKNOWN_KIND, guess_kind, guess_language

SIDECAR_SUFFIX = ".meta.yaml"
SIDECAR_KEYS = ("titel", "soort", "themas", "subthemas", "datum", "bron", "taal", "samenvatting")
LIST_KEYS = frozenset({"themas", "subthemas"})

# A derived title is a short first line; a derived summary is cut at a sentence end near this length.
MAX_TITLE_CHARS = 150
SUMMARY_TARGET_CHARS = 300
MIN_SUMMARY_WORDS = 12


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


def write_sidecar(document: Path, values: dict[str, object]) -> Path:
    """Write validated values as the document's sidecar, atomically; returns the sidecar's path."""
    clean = validate_sidecar(document, values)
    data = {key: list(value) if isinstance(value, tuple) else value for key, value in clean.items()}
    target = sidecar_path(document)
    write_atomically(target, yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
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


def _first_line_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if sum(ch.isalpha() for ch in line) >= 3:
            return line if len(line) <= MAX_TITLE_CHARS else ""
    return ""


def title_from_filename(path: Path) -> str:
    words = re.sub(r"[-_.]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def derive_summary(text: str) -> str:
    """The first real paragraph, cut at a sentence end: what a reader sees first."""
    for paragraph in re.split(r"\n\s*\n|\n(?=[A-Z])", text):
        flat = " ".join(paragraph.split())
        if len(flat.split()) >= MIN_SUMMARY_WORDS:
            if len(flat) <= SUMMARY_TARGET_CHARS:
                return flat
            cut = flat.rfind(". ", 0, SUMMARY_TARGET_CHARS)
            return (
                flat[: cut + 1]
                if cut > SUMMARY_TARGET_CHARS // 3
                else flat[:SUMMARY_TARGET_CHARS].rsplit(" ", 1)[0] + " …"
            )
    return ""


def _as_tuple(value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _first(*values: object) -> object:
    return next((value for value in values if value not in (None, "", (), [])), None)


def resolve(path: Path, extraction: Extraction, sidecar: dict[str, object]) -> Metadata:
    """Merge sidecar, file properties and what the text and file name tell, in that order."""
    props = extraction.properties
    first_page = extraction.pages[0].text if extraction.pages else ""
    title = str(
        _first(sidecar.get("titel"), props.get("titel"), _first_line_title(first_page)) or title_from_filename(path)
    )
    kind = str(
        _first(sidecar.get("soort"), props.get("soort") if props.get("soort") in KINDS else None)
        or guess_kind(title, path.stem)
    )
    raw_date = _first(sidecar.get("datum"), props.get("datum"))
    if isinstance(raw_date, int):  # only a year is known
        date, year = None, raw_date
    else:
        date = parse_date(raw_date) or find_date(first_page[:3000])
        year = date.year if date else find_year(f"{path.stem} {title}")
    language = str(_first(sidecar.get("taal"), props.get("taal")) or guess_language(extraction.text))
    # Themes in a sidecar or in front matter are curated by people and override the tagger.
    curated = sidecar if "themas" in sidecar else props
    themes, subthemes = _as_tuple(curated.get("themas")), _as_tuple(curated.get("subthemas"))
    return Metadata(
        title=title,
        kind=kind if kind in KINDS else UNKNOWN_KIND,
        date=date,
        year=year,
        source=tidy(_first(sidecar.get("bron"), props.get("bron"))),
        language=language if language in LANGUAGES else "onbekend",
        summary=str(_first(sidecar.get("samenvatting"), props.get("samenvatting")) or derive_summary(extraction.text)),
        themes=themes,
        subthemes=subthemes,
        themes_from_sidecar="themas" in curated,
    )
