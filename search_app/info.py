"""The pages a Dutch public service must have, linked from the footer of every page: colofon,
contact, privacy and the accessibility statement. Declared once in INFO_PAGES; each text is a
template of its own (`templates/info/<slug>.html`), in plain Dutch."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template

bp = Blueprint("info", __name__, url_prefix="/over")


@dataclass(frozen=True)
class InfoPage:
    slug: str  # the address (/over/<slug>) and the template's name
    title: str


INFO_PAGES = (
    InfoPage("colofon", "Colofon"),
    InfoPage("contact", "Contact"),
    InfoPage("privacy", "Privacy"),
    InfoPage("toegankelijkheid", "Toegankelijkheid"),
)
_BY_SLUG = {info.slug: info for info in INFO_PAGES}


@bp.app_context_processor
def footer_pages() -> dict:
    return {"info_pages": INFO_PAGES}


@bp.get("/<slug>")
def page(slug: str):
    info = _BY_SLUG.get(slug)
    if info is None:
        abort(404)
    return render_template(f"info/{slug}.html", info=info)
