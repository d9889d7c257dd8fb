"""Dates as the pages and PDFs write them: "17 maart 2025", whatever form they are stored in."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.corpus.dates import dutch_date


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2025, 3, 17), "17 maart 2025"),
        ("2025-03-17", "17 maart 2025"),
        ("2024-12-01T09:05:00", "1 december 2024, 09:05"),
        (dt.datetime(2026, 1, 2, 14, 30), "2 januari 2026, 14:30"),
        (2024, "2024"),
        ("2024", "2024"),
        (None, ""),
        ("onbekend", "onbekend"),
    ],
)
def test_dates_read_the_dutch_way(value: object, shown: str) -> None:
    assert dutch_date(value) == shown, f"{value!r} should read {shown!r}"
