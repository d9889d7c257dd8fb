"""Dates as Dutch documents write them: ISO, "2 oktober 2025", "02-10-2025", "okt. 2025"."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d?)-(\d\d?)\b")
_NUMERIC = re.compile(r"\b(\d\d?)[-/.](\d\d?)[-/.]((?:19|20)\d\d)\b")
_WRITTEN = re.compile(rf"\b(\d\d?)\s+({_MONTH_NAMES})\.?\s+((?:19|20)\d\d)\b", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# A label that says the date after it is the document's own: "Datum: 14 oktober 2026".
_DATE_LABEL = re.compile(
    r"\b(datum|publicatiedatum|datum van publicatie|gepubliceerd(?: op)?|vastgesteld(?: op)?|verschenen(?: op)?)"
    r"\s*[:.]?\s*(?:op\s+)?(?=\d|(?:maan|dins|woens|donder|vrij|zater|zon)dag\b)",
    re.I,
)
# How far after its label a labelled date may end (a weekday may stand between: "maandag 2 juni").
_LABEL_REACH_CHARS = 40

# Years outside this range in a file name or text are not publication years.
EARLIEST_YEAR = 1990


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """A date from a value that should be one (a metadata field), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:  # "Tue, 29 Nov 2016 15:10:00 GMT": how blog engines and feeds (Jekyll, RSS) write a post's date
        return email.utils.parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return find_date(value)


def dutch_date(value: dt.date | str | int | None) -> str:
    """How every page and PDF writes a date: "17 maart 2025", with the time when there is one
    ("17 maart 2025, 14:05"). ISO text (as stored in the index, the audit log and the recycle bin)
    is read first; a bare year stays a year and anything else is shown as it is."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    written = f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
    return f"{written}, {value:%H:%M}" if isinstance(value, dt.datetime) else written


def find_date(text: str) -> dt.date | None:
    """The first complete date written in `text`, in any of the supported notations."""
    found: list[tuple[int, dt.date]] = []
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WRITTEN, "dMy")):
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            if order == "ymd":
                date = _safe_date(int(a), int(b), int(c))
            elif order == "dmy":
                date = _safe_date(int(c), int(b), int(a))
            else:
                date = _safe_date(int(c), MONTHS[b.lower()], int(a))
            if date:
                found.append((match.start(), date))
                break
    return min(found)[1] if found else None


def find_document_date(text: str) -> dt.date | None:
    """The date a document gives itself: a labelled one ("Datum: 14 oktober 2026") first, else the
    first date written in `text` (the first page, where title pages and letters put it)."""
    for label in _DATE_LABEL.finditer(text):
        window = text[label.end() : label.end() + _LABEL_REACH_CHARS]
        date = find_date(window)
        if date is not None:
            return date
    return find_date(text)


def find_year(text: str, latest: int | None = None) -> int | None:
    """A plausible publication year in a file name or title ("monitor-2024" -> 2024)."""
    latest = latest or dt.date.today().year + 1
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if EARLIEST_YEAR <= year <= latest:
            return year
    return None
