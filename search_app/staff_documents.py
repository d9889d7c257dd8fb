"""Adding and editing documents under /beheer: upload several files, review how each was read and
tagged, correct and publish; edit a document's metadata, replace its file, move it to the recycle bin."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.corpus import curation, staging
from indexer.corpus.curation_service import NotIndexedYet
from indexer.corpus.kinds import KINDS
from indexer.corpus.metadata import validate_sidecar
from indexer.corpus.sidecar_fields import FORM_FIELDS
from indexer.errors import ExtractionError
from indexer.extract import ACCEPT, supported_suffixes
from search_app.explain import theme_reasons
from search_app.security import login_required
from search_app.state import kennisbank

bp = Blueprint("documents", __name__)


@bp.context_processor
def upload_formats() -> dict:
    """What the file inputs accept: exactly what the indexer reads (the format table)."""
    return {"accept": ACCEPT, "suffixes": supported_suffixes()}


def _stage(file) -> staging.Staged:
    """Read at most one byte more than allowed (enough to refuse an oversized file), then let go of
    the request's temporary file at once."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    try:
        data = file.read(limit + 1)
    finally:
        file.close()
    return kennisbank().curator.stage(data, file.filename, g.user.name, limit)


@bp.app_template_global()
def sent_values(form: MultiDict) -> dict[str, object]:
    """The metadata form as sent (`FORM_FIELDS`), a list for a list field: shown again after an error."""
    return {field.key: form.getlist(field.key) if field.is_list else form.get(field.key, "") for field in FORM_FIELDS}


def _form_values() -> dict[str, object]:
    sent = sent_values(request.form)
    return {key: tuple(value) if isinstance(value, list) else value.strip() for key, value in sent.items()}


def _check_values(values: dict[str, object]) -> str | None:
    """A Dutch sentence about what is wrong with the form, or None."""
    taxonomy = kennisbank().taxonomy
    if not values.get("titel"):
        return "Vul een titel in."
    unknown = [slug for slug in values["themas"] if slug not in taxonomy.theme_slugs]
    unknown += [slug for slug in values["subthemas"] if slug not in taxonomy.subtheme_parents]
    if unknown:
        return "Kies alleen thema’s uit de lijst."
    try:
        validate_sidecar(Path("document"), values)
    except ExtractionError as exc:
        return str(exc.detail).capitalize() + "."
    return None


@bp.route("/toevoegen", methods=["GET", "POST"])
@login_required()
def upload():
    problems = []
    if request.method == "POST":
        tokens = []
        for file in request.files.getlist("bestanden"):
            if not file or not file.filename:
                continue
            try:
                tokens.append(_stage(file).token)
            except staging.UploadRefused as refused:
                problems.append((Path(file.filename.replace("\\", "/")).name, str(refused)))
        if not tokens and not problems:
            problems.append(("", "Kies eerst een of meer bestanden."))
        if tokens and not problems:
            return redirect(url_for(".review", token=tokens[0]))
    pending = kennisbank().curator.pending(g.user.name)
    return render_template("beheer/toevoegen.html", problems=problems, pending=pending)


@bp.route("/controleren/<token>", methods=["GET", "POST"])
@login_required()
def review(token: str):
    staged = kennisbank().curator.staged(token)
    if staged is None:
        abort(404)
    taxonomy = kennisbank().taxonomy
    shown = kennisbank().engine.preview(staged)  # with the index's OCR cache: publishing reads no scan again
    error = None
    if request.method == "POST":
        action = request.form.get("actie")
        if action == "annuleren":
            kennisbank().curator.cancel(staged)
            flash(f"‘{staged.original_name}’ is niet toegevoegd.")
            return _next_review()
        values = _form_values()
        error = _check_values(values) if not shown.failure else "Dit bestand kan niet worden gelezen."
        if error is None:
            try:
                if action == "vervangen":
                    kennisbank().curator.update_copy(staged, values, g.user.name)
                    flash(f"‘{values['titel']}’ stond al in de kennisbank; het bestaande document is bijgewerkt.")
                else:
                    kennisbank().curator.add(staged, values, g.user.name)
                    flash(f"‘{values['titel']}’ is toegevoegd en doorzoekbaar.")
                return _next_review()
            except NotIndexedYet as kept:  # the upload left the review queue: say so on the next page
                flash(str(kept), "fout")
                return _next_review()
            except curation.CurationError as refused:
                error = str(refused)
    return render_template(
        "beheer/controleren.html",
        preview=shown,
        reasons=theme_reasons([asdict(match) for match in shown.themes]),
        kinds=KINDS,
        taxonomy=taxonomy,
        error=error,
        form=request.form if request.method == "POST" else None,
    )


def _next_review():
    pending = kennisbank().curator.pending(g.user.name)
    if pending:
        return redirect(url_for(".review", token=pending[0]))
    return redirect(url_for("staff.overview"))


@bp.route("/document/<doc_id>", methods=["GET", "POST"])
@login_required()
def edit(doc_id: str):
    stored = kennisbank().engine.document(doc_id)
    if stored is None:
        abort(404)
    error = None
    if request.method == "POST":
        values = _form_values()
        error = _check_values(values)
        if error is None:
            try:
                kennisbank().curator.edit(stored.path, values, g.user.name, before=stored.form_values())
                flash("De wijzigingen zijn opgeslagen.")
            except NotIndexedYet as kept:  # saved all the same: the form need not be sent again
                flash(str(kept), "fout")
            except curation.CurationError as refused:
                error = str(refused)
            if error is None:
                return redirect(url_for(".edit", doc_id=doc_id))
    return render_template(
        "beheer/document.html",
        doc=stored,
        kinds=KINDS,
        taxonomy=kennisbank().taxonomy,
        error=error,
        form=request.form if request.method == "POST" else None,
    )


@bp.post("/document/<doc_id>/vervangen")
@login_required()
def replace(doc_id: str):
    stored = kennisbank().engine.document(doc_id)
    if stored is None:
        abort(404)
    file = request.files.get("bestand")
    try:
        if not file or not file.filename:
            raise staging.UploadRefused("Kies eerst het nieuwe bestand.")
        staged = _stage(file)
    except staging.UploadRefused as refused:
        flash(str(refused), "fout")
        return redirect(url_for(".edit", doc_id=doc_id))
    try:
        kennisbank().curator.replace(stored.path, staged, g.user.name)
        flash("Het bestand is vervangen; de vorige versie staat in de prullenbak.")
    except curation.CurationError as refused:  # NotIndexedYet among them: replaced, not yet searchable
        flash(str(refused), "fout")
    return redirect(url_for(".edit", doc_id=doc_id))


@bp.post("/document/<doc_id>/verwijderen")
@login_required()
def remove(doc_id: str):
    stored = kennisbank().engine.document(doc_id)
    if stored is None:
        abort(404)
    try:
        kennisbank().curator.remove(stored.path, g.user.name)
        flash(f"‘{stored.title}’ staat nu in de prullenbak en kan worden teruggezet.")
    except curation.CurationError as refused:  # NotIndexedYet among them: removed, still found for now
        flash(str(refused), "fout")
    return redirect(url_for("staff.overview"))
