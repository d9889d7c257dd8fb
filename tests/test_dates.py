"""Dates as the pages and PDFs write them: "17 maart 2025", whatever form they are stored in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indexer.corpus.dates import dutch_date
from indexer.corpus.metadata import resolve
from indexer.extract.markdown import extract_markdown


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


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("Tue, 29 Nov 2016 15:10:00 GMT", dt.date(2016, 11, 29)),  # Jekyll and RSS (RFC 2822)
        ("2016-11-29", dt.date(2016, 11, 29)),
        ("29 november 2016", dt.date(2016, 11, 29)),
    ],
)
def test_a_post_dated_in_its_front_matter_gets_that_date(tmp_path: Path, written: str, date: dt.date) -> None:
    path = tmp_path / "2016-11-01-politie-op-instagram.md"
    path.write_text(
        f"---\nlayout: post\ntitle: Politie op Instagram\ndate: {written}\n---\n\nDe politie is gestart met twee "
        "Instagram-accounts.\n",
        encoding="utf-8",
    )
    metadata = resolve(path, extract_markdown(path), {})
    assert (metadata.date, metadata.year) == (date, 2016)
