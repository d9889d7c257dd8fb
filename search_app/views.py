"""Public pages: home, search with facets, a document, and the original file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_file, url_for
from werkzeug.security import safe_join

from indexer.corpus.dates import dutch_date
from indexer.corpus.kinds import KINDS
from indexer.engine.results import SORT_DATE, SORT_RELEVANCE, SearchResults
from indexer.errors import ExtractionError
from indexer.extract import MARKDOWN, Format, Serving, format_of_file
from indexer.extract.markdown import read_front_matter
from indexer.extract.plaintext import decode_text
from indexer.themes.taxonomy import theme_list
from search_app.explain import theme_reasons
from search_app.feeds import feed_url
from search_app.params import (
    MAX_QUERY_CHARS,
    PAGE_SIZES,
    YEAR_FIELD,
    Args,
    SearchRequest,
    parse_args,
    url,
    with_page,
    with_page_size,
    with_sort,
    with_years,
    without_years,
    year_span,
)
from search_app.presenters import (
    SEARCH_PATH,
    chips,
    clear_url,
    facet_views,
    first_sentence,
    page_numbers,
    theme_counts,
)
from search_app.reading import paragraphs
from search_app.state import kennisbank

bp = Blueprint("pages", __name__)

RECENT_ON_HOME = 6
SIMILAR_ON_DOCUMENT = 5


def search_for(wanted: SearchRequest) -> SearchResults:
    return kennisbank().engine.search(
        wanted.query, wanted.selections, wanted.sort, wanted.page, wanted.page_size or current_app.config["PAGE_SIZE"]
    )


def run_search(args: Args) -> tuple[SearchRequest, SearchResults]:
    """The search a request asks for (the JSON API); a page past the last one gives the last one."""
    wanted = parse_args(args)
    results = search_for(wanted)
    if results.page > results.last_page:
        wanted = replace(wanted, page=results.last_page)
        results = search_for(wanted)
    return wanted, results


# Every page writes dates the Dutch way: {{ value|datum }} gives "17 maart 2025".
bp.add_app_template_filter(dutch_date, "datum")
bp.add_app_template_filter(first_sentence)


@bp.app_context_processor
def labels() -> dict:
    taxonomy = kennisbank().taxonomy
    return {
        "theme_label": taxonomy.label,
        "theme_names": lambda slugs: theme_list(slugs, taxonomy.label),
        "kind_label": lambda slug: KINDS.get(slug, slug),
    }


@bp.get("/")
def home():
    listing = kennisbank().engine.search(page_size=RECENT_ON_HOME)
    return render_template(
        "home.html", themes=kennisbank().taxonomy.themes, counts=theme_counts(listing), recent=listing.hits
    )


@bp.get(SEARCH_PATH)
def search_page():
    args = request.args.to_dict(flat=False)
    wanted = parse_args(args)
    results = search_for(wanted)
    span = year_span(args)
    if span is not None:  # a range typed beside the year facet: the years it holds, as a plain URL
        known = next((facet.values for facet in results.facets if facet.field == YEAR_FIELD), ())
        return redirect(url(SEARCH_PATH, with_years(wanted, span, (value.value for value in known))))
    if results.page > results.last_page:  # an old or edited link: show where the results end
        return redirect(url(SEARCH_PATH, with_page(wanted, results.last_page)))
    years = sorted(int(year) for year in wanted.selections.get(YEAR_FIELD, ()) if year.isdigit())
    taxonomy = kennisbank().taxonomy
    return render_template(
        "search.html",
        wanted=wanted,
        query=wanted.query,
        results=results,
        facets=facet_views(results, wanted, taxonomy),
        chips=chips(wanted, taxonomy),
        clear_url=clear_url(wanted),
        page_url=lambda number: url(SEARCH_PATH, with_page(wanted, number)),
        sort_urls={
            SORT_RELEVANCE: url(SEARCH_PATH, with_sort(wanted, SORT_RELEVANCE)),
            SORT_DATE: url(SEARCH_PATH, with_sort(wanted, SORT_DATE)),
        },
        suggestion_url=url(SEARCH_PATH, replace(wanted, query=results.suggestion or "", page=1, query_cut=False)),
        page_numbers=page_numbers(results.page, results.last_page),
        page_size_urls={size: url(SEARCH_PATH, with_page_size(wanted, size)) for size in PAGE_SIZES},
        page_sizes=PAGE_SIZES,
        feed_url=feed_url(wanted),
        year_field=YEAR_FIELD,
        year_range=(years[0], years[-1]) if years else (None, None),
        year_range_args=without_years(wanted).to_args(),
        themes_for_links=taxonomy.themes,
        max_query_chars=MAX_QUERY_CHARS,
    )


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for this address where a page names no icon (a feed, a PDF): ours is an SVG."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/document/<doc_id>")
def document(doc_id: str):
    engine = kennisbank().engine
    stored = engine.document(doc_id)
    if stored is None:
        abort(404)
    query = request.args.get("q", "")[:500]
    mark = engine.highlighter(query)
    pages = [(number, [mark(part) for part in paragraphs(text)]) for number, text in stored.pages]
    matching_pages = [number for number, parts in pages if any("<mark" in part for part in parts)] if query else []
    return render_template(
        "document.html",
        doc=stored,
        query=query,
        pages=pages,
        matching_pages=matching_pages,
        reasons=theme_reasons(stored.tagging.get("themes", [])),
        similar=engine.similar(doc_id, SIMILAR_ON_DOCUMENT),
    )


def _readable_text(location: Path, format_: Format) -> str:
    """A text or Markdown file as a reader wants it: decoded as the indexer decodes it, and
    without the Markdown front matter (our metadata, not the document's text)."""
    text = decode_text(location.read_bytes())
    if format_ is not MARKDOWN:
        return text
    try:
        return read_front_matter(text, location)[1].lstrip("\n")
    except ExtractionError:  # front matter edited into invalid YAML since indexing: show it all
        return text


@bp.get("/bestand/<doc_id>")
def original(doc_id: str):
    """The original file, served as its format's record says (`Serving`), by its content: a Word file
    named .pdf is a Word download named .docx. HTML is downloaded as plain text, so its markup or
    script never runs on our origin. Werkzeug writes the file name into Content-Disposition quoted
    (and RFC 5987-encoded when it is not ASCII), so no name can break out of the header."""
    stored = kennisbank().engine.document(doc_id)
    if stored is None:
        abort(404)
    location = safe_join(str(kennisbank().layout.documents_dir), stored.path)
    if location is None or not Path(location).is_file():
        abort(404)
    path = Path(location)
    format_ = format_of_file(path)
    if format_ is None:  # replaced on disk by something unreadable since it was indexed
        abort(404)
    name = path.name if path.suffix.lower() in format_.suffixes else f"{path.stem}{format_.suffixes[0]}"
    if format_.serving is Serving.TEXT:
        return Response(_readable_text(path, format_), mimetype="text/plain")  # Flask adds "; charset=utf-8"
    if format_.serving is Serving.DOWNLOAD_AS_TEXT:
        return send_file(location, mimetype="text/plain", as_attachment=True, download_name=name)
    return send_file(
        location, mimetype=format_.mime, as_attachment=format_.serving is Serving.DOWNLOAD, download_name=name
    )
