"""Accounts under /beheer: a beheerder manages everyone's (/gebruikers; removing one asks first);
every member of staff changes their own password (/wachtwoord), after typing the current one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from indexer.corpus import audit
from search_app.accounts import ADMIN, ROLES, AccountError
from search_app.login import attempt_login
from search_app.security import accounts, login_required, start_session

bp = Blueprint("accounts", __name__)


@bp.route("/gebruikers", methods=["GET", "POST"])
@login_required(ADMIN)
def users():
    if request.method == "POST":
        action = request.form.get("actie")
        name = request.form.get("naam", "").strip().lower()
        try:
            if action == "toevoegen":
                accounts().add(name, request.form.get("wachtwoord", ""), request.form.get("rol", ""))
                flash(f"Gebruiker ‘{name}’ is toegevoegd.")
            elif action == "rol" and name != g.user.name:
                accounts().set_role(name, request.form.get("rol", ""))
                flash(f"De rol van ‘{name}’ is gewijzigd.")
            elif action == "wachtwoord":
                accounts().set_password(name, request.form.get("wachtwoord", ""))
                if name == g.user.name:
                    start_session(g.user)  # all sessions ended, this one starts anew
                flash(f"Het wachtwoord van ‘{name}’ is gewijzigd; wie met het oude was ingelogd, is uitgelogd.")
        except AccountError as exc:
            flash(str(exc), "fout")
        return redirect(url_for(".users"))
    return render_template("beheer/gebruikers.html", users=accounts().all(), roles=ROLES)


@bp.route("/gebruikers/<name>/verwijderen", methods=["GET", "POST"])
@login_required(ADMIN)
def remove_user(name: str):
    """Removing an account cannot be undone: the page asks first, and only the POST removes it."""
    user = accounts().get(name)
    if user is None or name == g.user.name:
        abort(404)
    if request.method == "POST":
        accounts().remove(name)
        audit.record(accounts().path, g.user.name, "gebruiker verwijderd", "", f"account ‘{name}’ ({user.role})")
        flash(f"Gebruiker ‘{name}’ is verwijderd.")
        return redirect(url_for(".users"))
    return render_template("beheer/gebruiker_verwijderen.html", user=user)


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required()
def own_password():
    """The current password is checked as a login is (throttled, a failure logged), so a session
    left open on someone's desk does not let a passer-by take the account over."""
    error = None
    if request.method == "POST":
        form = request.form
        new = form.get("nieuw", "")
        attempt = attempt_login(g.user.name, form.get("huidig", ""), request.remote_addr or "onbekend")
        if attempt.user is None:
            error = attempt.message if attempt.wait_s else "Uw huidige wachtwoord klopt niet. Typ het opnieuw."
        elif new != form.get("herhaling", ""):
            error = "De twee nieuwe wachtwoorden zijn niet gelijk. Typ het nieuwe wachtwoord twee keer hetzelfde."
        elif new == form.get("huidig", ""):
            error = "Het nieuwe wachtwoord is gelijk aan het huidige. Kies een ander wachtwoord."
        else:
            try:
                accounts().set_password(g.user.name, new)
            except AccountError as exc:
                error = str(exc)
            else:
                start_session(g.user)  # every session ended; this one goes on
                audit.record(accounts().path, g.user.name, "wachtwoord gewijzigd", "")
                flash("Uw wachtwoord is gewijzigd. Op andere apparaten moet u opnieuw inloggen.")
                return redirect(url_for("staff.overview"))
    return render_template("beheer/wachtwoord.html", error=error), 400 if error else 200
