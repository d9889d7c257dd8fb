"""The JSON API: the same search and document data as the pages, described in `openapi.py`."""

from __future__ import annotations

from dataclasses import fields

from flask import Blueprint, abort, jsonify, request

from indexer.engine.kennisbank import MIN_PREFIX_CHARS
from indexer.engine.results import Hit
from search_app.explain import theme_reasons
from search_app.openapi import OPENAPI
from search_app.params import FIELD_ARGS, url, with_page
from search_app.presenters import SEARCH_PATH, facet_views
from search_app.state import kennisbank
from search_app.views import run_search

bp = Blueprint("api", __name__, url_prefix="/api")

# While typing: this many finished words and document titles, for a query of at most this many characters.
SUGGESTED_WORDS = 5
SUGGESTED_TITLES = 5
MAX_SUGGEST_CHARS = 100
HIT_FIELDS = tuple(field.name for field in fields(Hit))


@bp.get("/zoeken")
def search_json():
    wanted, results = run_search(request.args.to_dict(flat=False))
    taxonomy = kennisbank().taxonomy
    # A hit holds plain values only: a shallow dict serialises the same as `asdict`, which deep-copies
    # each of them.
    hits = [
        {
            **{name: getattr(hit, name) for name in HIT_FIELDS},
            "url": f"/document/{hit.id}",
            "original_url": f"/bestand/{hit.id}",
        }
        for hit in results.hits
    ]
    return jsonify(
        query=results.query,
        query_truncated=wanted.query_cut,
        total=results.total,
        page=results.page,
        page_size=results.page_size,
        last_page=results.last_page,
        sort=results.sort,
        next_url=url("/api" + SEARCH_PATH, with_page(wanted, results.page + 1))
        if results.page < results.last_page
        else None,
        hits=hits,
        facets={
            view.arg: [
                {"value": o.value, "label": o.label, "count": o.count, "selected": o.selected} for o in view.options
            ]
            for view in facet_views(results, wanted, taxonomy, links=False)
        },
        selected={FIELD_ARGS[field]: list(values) for field, values in wanted.selections.items()},
        suggestion=results.suggestion,
        corrected=results.corrected,
        relaxed=results.relaxed,
        expansions=list(results.expansions),
        notes=list(results.notes),
    )


@bp.get("/suggesties")
def suggestions_json():
    """What a search box offers while someone types (suggest.js): the query with its last word
    finished by words of the index, and the titles of the documents that match best so far."""
    text = " ".join(request.args.get("q", "").split())[:MAX_SUGGEST_CHARS]
    head, _, last = text.rpartition(" ")
    engine = kennisbank().engine
    words = [f"{head} {word}".strip() for word in engine.completions(last, SUGGESTED_WORDS)]
    query = f"{text}*" if len(last) >= MIN_PREFIX_CHARS and last.isalpha() else text
    hits = engine.search(query, page_size=SUGGESTED_TITLES).hits if text else ()
    return jsonify(words=words, titles=[{"title": hit.title, "url": f"/document/{hit.id}"} for hit in hits])


@bp.get("/document/<doc_id>")
def document_json(doc_id: str):
    stored = kennisbank().engine.document(doc_id)
    if stored is None:
        abort(404)
    taxonomy = kennisbank().taxonomy
    return jsonify(
        id=stored.id,
        path=stored.path,
        title=stored.title,
        kind=stored.kind,
        themes=[{"slug": slug, "label": taxonomy.label(slug)} for slug in stored.themes],
        subthemes=[{"slug": slug, "label": taxonomy.label(slug)} for slug in stored.subthemes],
        themes_curated=stored.themes_curated,
        suggested_themes=[
            {"slug": reason.slug, "score": reason.score, "reasons": list(reason.terms)}
            for reason in theme_reasons(stored.tagging.get("themes", []))
        ],
        year=stored.year,
        date=stored.date or None,
        source=stored.source,
        language=stored.language,
        summary=stored.summary,
        page_count=stored.page_count,
        word_count=stored.word_count,
        url=f"/document/{stored.id}",
        original_url=f"/bestand/{stored.id}",
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)
