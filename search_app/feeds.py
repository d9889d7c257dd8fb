"""Atom feeds, so professionals hear of new documents without coming back to the site: one per theme
and one for every search ("Volg deze zoekopdracht"). Each lists the newest matching documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from flask import Blueprint, Response, abort, render_template, request, url_for

from indexer.engine.results import SORT_DATE, Hit
from search_app.params import SearchRequest, parse_args, url
from search_app.presenters import SEARCH_PATH
from search_app.state import kennisbank

bp = Blueprint("feeds", __name__)

FEED_ENTRIES = 20
ATOM = "application/atom+xml"


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    updated: str  # RFC 3339
    summary: str
    themes: tuple[str, ...]


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _entries(hits: tuple[Hit, ...]) -> list[Entry]:
    """A document's date is when it appeared; one with only a year counts from 1 January."""
    dates = kennisbank().engine.dates(hit.id for hit in hits)
    return [
        Entry(
            hit.title,
            url_for("pages.document", doc_id=hit.id, _external=True),
            _stamp(dates.get(hit.id) or dt.date(hit.year or dt.MINYEAR, 1, 1)),
            hit.summary,
            hit.themes,
        )
        for hit in hits
    ]


def feed_url(wanted: SearchRequest) -> str:
    """The feed of a search: its query and filters, not its page, order or page size."""
    return url(url_for("feeds.search_feed"), replace(wanted, sort=SORT_DATE, page=1, page_size=None))


def _feed(title: str, wanted: SearchRequest, self_url: str, page_url: str) -> Response:
    """`self_url` is also the feed's id: the same search always has the same one, however it was typed."""
    results = kennisbank().engine.search(wanted.query, wanted.selections, SORT_DATE, 1, FEED_ENTRIES)
    entries = _entries(results.hits)
    body = render_template(
        "feed.xml",
        title=title,
        self_url=self_url,
        page_url=page_url,
        updated=max((entry.updated for entry in entries), default=_stamp(dt.date.today())),
        entries=entries,
    )
    return Response(body, mimetype=ATOM)


@bp.get(SEARCH_PATH + "/atom")
def search_feed():
    wanted = parse_args(request.args.to_dict(flat=False))
    title = f"Kennisbank: {wanted.query}" if wanted.query else "Kennisbank: nieuwe documenten"
    site = request.host_url.rstrip("/")
    return _feed(title, wanted, site + feed_url(wanted), site + url(SEARCH_PATH, replace(wanted, sort=SORT_DATE)))


@bp.get("/thema/<slug>/atom")
def theme_feed(slug: str):
    theme = kennisbank().taxonomy.theme(slug)
    if theme is None:
        abort(404)
    wanted = SearchRequest(selections={"themes": (slug,)})
    return _feed(
        f"Kennisbank: {theme.name}",
        wanted,
        url_for("feeds.theme_feed", slug=slug, _external=True),
        url_for("dossiers.dossier", slug=slug, _external=True),
    )
