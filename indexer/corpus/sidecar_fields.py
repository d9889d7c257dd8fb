"""The sidecar fields, declared once as data: the keys a `.meta.yaml` sidecar may set.

Metadata validation (`metadata`), the front matter's English aliases (`extract.markdown`), the staff
metadata form (`search_app.staff`) and `kennisbank toevoegen`'s options (`cli`) all read
`SIDECAR_FIELDS`. Adding a sidecar field is one `SidecarField` here, where `metadata.resolve` takes
its value, and (to search or show it) its index field (`schema`, filled in `records`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CliOption:
    """How `kennisbank toevoegen` sets the field: `--flag METAVAR`, repeatable for a list."""

    flag: str
    metavar: str
    help: str


@dataclass(frozen=True)
class SidecarField:
    key: str  # Dutch, as staff write it in a sidecar (also the key of a file's own properties)
    is_list: bool = False  # several values: a YAML list, or a comma-separated string
    aliases: tuple[str, ...] = ()  # English front matter keys of common site generators
    in_form: bool = True  # staff set it in the metadata form (/beheer)
    option: CliOption | None = None


SIDECAR_FIELDS = (
    SidecarField("titel", aliases=("title",), option=CliOption("--titel", "T", "titel (anders uit het bestand)")),
    SidecarField(
        "soort", aliases=("type",), option=CliOption("--soort", "SOORT", "soort document, bijvoorbeeld factsheet")
    ),
    SidecarField("themas", is_list=True, option=CliOption("--thema", "SLUG", "thema; mag vaker")),
    SidecarField("subthemas", is_list=True),
    SidecarField("datum", aliases=("date",), option=CliOption("--datum", "D", "datum, bijvoorbeeld 2024-05-13")),
    SidecarField("bron", aliases=("author",), option=CliOption("--bron", "B", "organisatie die het document uitgaf")),
    SidecarField("taal", aliases=("lang", "language"), in_form=False),
    SidecarField("samenvatting", aliases=("description", "summary")),
)
SIDECAR_KEYS = tuple(field.key for field in SIDECAR_FIELDS)
LIST_KEYS = frozenset(field.key for field in SIDECAR_FIELDS if field.is_list)
FORM_FIELDS = tuple(field for field in SIDECAR_FIELDS if field.in_form)
# English front matter key -> our Dutch sidecar key.
FRONT_MATTER_ALIASES = {alias: field.key for field in SIDECAR_FIELDS for alias in field.aliases}
