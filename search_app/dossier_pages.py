"""Introductory dossiers per theme: curated introduction and reading list, the rest from the index."""

from __future__ import annotations

import html
from dataclasses import dataclass

import markdown
import nh3
from flask import Blueprint, abort, current_app, render_template, send_file
from markdown.extensions.toc import slugify
from markupsafe import Markup

from indexer.dossiers.texts import load_dossiers, reading_minutes
from indexer.engine.results import SORT_DATE, StoredDocument
from search_app.presenters import theme_counts
from search_app.state import kennisbank

bp = Blueprint("dossiers", __name__)

RECENT_IN_DOSSIER = 6
PER_SUBTHEME = 5
# Link and image targets a dossier may have besides relative ones: no javascript:, data:, vbscript:.
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The page's sections are h2 ("Introductie"); the introduction's own headings start one below.
INTRO_HEADING_LEVEL = 3
# nh3's allowed attributes plus the ids the table of contents links to.
HEADING_IDS = {**nh3.ALLOWED_ATTRIBUTES, **{f"h{level}": {"id"} for level in range(INTRO_HEADING_LEVEL, 7)}}


@dataclass(frozen=True)
class ReadingEntry:
    document: StoredDocument
    why: str
    minutes: int


@dataclass(frozen=True)
class Heading:
    """A heading of the introduction, for the table of contents."""

    anchor: str
    label: str


@dataclass(frozen=True)
class Introduction:
    html: Markup
    headings: tuple[Heading, ...]  # its top-level headings


def _anchor(value: str, separator: str) -> str:
    """Heading ids of the introduction start with "intro-": a heading "Begrippen" must not take the id
    of the page's own section."""
    return "intro-" + slugify(value, separator)


def _markdown(text: str, baselevel: int) -> tuple[str, list[dict]]:
    md = markdown.Markdown(
        extensions=["sane_lists", "toc"], extension_configs={"toc": {"baselevel": baselevel, "slugify": _anchor}}
    )
    return md.convert(text), md.toc_tokens


def _introduction(text: str) -> Introduction:
    """Staff write Markdown; raw HTML in it is shown as text, never run, and a link or image may
    only point at our own pages or at SAFE_URL_SCHEMES (`javascript:` and the like are dropped).
    Its own headings sit below the page's "Introductie": the highest one becomes INTRO_HEADING_LEVEL,
    whether staff started at # or at ##."""
    escaped = html.escape(text, quote=False)
    top = min((token["level"] for token in _markdown(escaped, 1)[1]), default=1)
    rendered, tokens = _markdown(escaped, INTRO_HEADING_LEVEL - top + 1)
    cleaned = nh3.clean(rendered, url_schemes=SAFE_URL_SCHEMES, attributes=HEADING_IDS)
    headings = tuple(Heading(token["id"], html.unescape(token["name"])) for token in tokens)
    return Introduction(Markup(cleaned), headings)  # noqa: S704


def _dossier(slug: str):
    theme = kennisbank().taxonomy.theme(slug)
    if theme is None:
        abort(404)
    return theme, load_dossiers(kennisbank().layout.dossiers_dir).get(slug)


@bp.get("/thema")
def themes():
    """All themes, each with its description, sub-themes and number of documents."""
    listing = kennisbank().engine.search(page_size=1)
    return render_template("themes.html", themes=kennisbank().taxonomy.themes, counts=theme_counts(listing))


@bp.get("/thema/<slug>")
def dossier(slug: str):
    theme, curated = _dossier(slug)
    engine = kennisbank().engine
    reading = []
    for item in curated.reading_list if curated else ():
        stored = engine.document(item.doc_id)
        if stored is not None:  # broken references are reported to staff by `kennisbank index`
            reading.append(ReadingEntry(stored, item.why, reading_minutes(stored.word_count)))
    subthemes = [
        (sub, engine.search("", {"subthemes": {sub.slug}}, SORT_DATE, page_size=PER_SUBTHEME))
        for sub in theme.subthemes
    ]
    recent = engine.search("", {"themes": {slug}}, SORT_DATE, page_size=RECENT_IN_DOSSIER)
    glossary = sorted(
        [(f"{a.short} – {a.expansion}", a.explanation) for a in theme.acronyms]
        + [(entry.term, entry.explanation) for entry in theme.glossary],
        key=lambda entry: entry[0].lower(),
    )
    return render_template(
        [f"dossier/{slug}.html", "dossier.html"],
        theme=theme,
        title=curated.title if curated else f"Introductiedossier {theme.name}",
        introduction=_introduction(curated.introduction) if curated else None,
        reading=reading,
        subthemes=subthemes,
        recent=recent,
        glossary=glossary,
    )


@bp.get("/thema/<slug>/dossier.pdf")
def dossier_pdf(slug: str):
    theme, curated = _dossier(slug)
    if curated is None:
        abort(404)
    path = kennisbank().engine.dossier_pdf(curated, theme, kennisbank().layout.documents_dir)
    current_app.logger.info("Dossier-PDF %s geleverd", path.name)
    return send_file(path, mimetype="application/pdf", download_name=f"introductiedossier-{slug}.pdf")
