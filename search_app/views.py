"""Public pages: home, search results, a document, and the original file."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from werkzeug.security import safe_join

from indexer.documents import get_document, theme_counts
from indexer.search import search
from indexer.vocabulary import KINDS
from search_app.explain import theme_reasons

bp = Blueprint("pages", __name__)

# Search pages beyond this are never useful and only cost time.
MAX_RESULT_PAGE = 500


def _kennisbank() -> dict:
    return current_app.extensions["kennisbank"]


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    """A clamped integer query argument; anything unparsable falls back to the default."""
    try:
        return min(max(int(request.args.get(name, default)), low), high)
    except ValueError:
        return default


@bp.app_context_processor
def labels() -> dict:
    taxonomy = _kennisbank()["taxonomy"]
    return {"theme_label": taxonomy.label, "kind_label": lambda slug: KINDS.get(slug, slug)}


@bp.get("/")
def home():
    index = _kennisbank()["index"].get()
    counts = theme_counts(index)
    recent = search(index, "", _kennisbank()["query_context"], page_size=6).hits
    return render_template("home.html", themes=_kennisbank()["taxonomy"].themes, counts=counts, recent=recent)


@bp.get("/zoeken")
def search_page():
    query = request.args.get("q", "").strip()
    page = _int_arg("pagina", 1, 1, MAX_RESULT_PAGE)
    results = search(
        _kennisbank()["index"].get(),
        query,
        _kennisbank()["query_context"],
        page=page,
        page_size=current_app.config["PAGE_SIZE"],
    )
    last_page = max(1, -(-results.total // results.page_size))
    return render_template("search.html", results=results, query=query, last_page=last_page)


@bp.get("/document/<doc_id>")
def document(doc_id: str):
    stored = get_document(_kennisbank()["index"].get(), doc_id)
    if stored is None:
        abort(404)
    return render_template(
        "document.html",
        doc=stored,
        reasons=theme_reasons(stored.tagging.get("themes", [])),
        query=request.args.get("q", ""),
    )


@bp.get("/bestand/<doc_id>")
def original(doc_id: str):
    """The original file. Only PDFs are shown inline; HTML and text come as plain text, so a
    document's own markup or script never runs on our origin."""
    stored = get_document(_kennisbank()["index"].get(), doc_id)
    if stored is None:
        abort(404)
    documents_dir = _kennisbank()["layout"].documents_dir
    location = safe_join(str(documents_dir), stored.path)
    if location is None or not Path(location).is_file():
        abort(404)
    if stored.path.lower().endswith(".pdf"):
        return send_file(location, mimetype="application/pdf", download_name=Path(location).name)
    guessed = mimetypes.guess_type(location)[0] or ""
    download = guessed in ("text/html", "application/xhtml+xml")
    return send_file(
        location, mimetype="text/plain; charset=utf-8", as_attachment=download, download_name=Path(location).name
    )
