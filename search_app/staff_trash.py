"""The recycle bin under /beheer/prullenbak: which version is which (when, by whom, how large, and
whether it was removed or replaced), restoring one, and emptying it for good after a confirmation."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from indexer.corpus import curation
from search_app.accounts import ADMIN
from search_app.security import login_required
from search_app.state import kennisbank

bp = Blueprint("trash", __name__, url_prefix="/prullenbak")

# Why a file is in the bin, as staff read it.
REASONS = {curation.REMOVED: "Verwijderd document", curation.REPLACED: "Vorige versie (vervangen)"}
KILOBYTE = 1024


@bp.app_template_filter("omvang")
def file_size(size: int) -> str:
    """A file size as people read it: "830 bytes", "12 kB", "1,4 MB"."""
    if size < KILOBYTE:
        return f"{size} bytes"
    if size < KILOBYTE * KILOBYTE:
        return f"{round(size / KILOBYTE)} kB"
    return f"{size / KILOBYTE / KILOBYTE:.1f} MB".replace(".", ",")


@bp.get("")
@login_required()
def overview():
    return render_template("beheer/prullenbak.html", items=kennisbank().curator.trash(), reasons=REASONS)


@bp.post("/<name>/terugzetten")
@login_required()
def restore(name: str):
    try:
        relative = kennisbank().curator.restore(name, g.user.name)
    except curation.CurationError as exc:
        flash(str(exc), "fout")
        return redirect(url_for(".overview"))
    flash(f"‘{relative}’ is teruggezet.")
    return redirect(url_for(".overview"))


@bp.route("/legen", methods=["GET", "POST"])
@login_required(ADMIN)
def empty():
    """A beheerder empties the bin: first a page that says what will be lost, then the POST."""
    if request.method == "GET":
        items = kennisbank().curator.trash()
        return render_template("beheer/prullenbak_legen.html", items=items, size=sum(item.size for item in items))
    count = kennisbank().curator.empty_trash(g.user.name)
    flash(f"De prullenbak is geleegd: {count} {'document is' if count == 1 else 'documenten zijn'} definitief weg.")
    return redirect(url_for(".overview"))
