"""Staff pages under /beheer: the menu, logging in and out, and the overview of all documents with
what the indexer reported. The parts have modules of their own, registered under this blueprint so
its login, menu and no-store rules hold for them: adding and editing documents (`staff_documents`),
the recycle bin (`staff_trash`), the audit log (`staff_log`), the accounts (`staff_accounts`) and
the indexing report's lists in full (`staff_report`).
Every change goes through the curation service (`indexer.corpus.curation_service`), as on the command line:
it is indexed and written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, g, redirect, render_template, request, url_for

from indexer.engine.results import NO_VALUE, SORT_DATE
from search_app import staff_accounts, staff_documents, staff_log, staff_report, staff_trash
from search_app.login import attempt_login
from search_app.params import parse_args, url, with_page
from search_app.presenters import facet_views
from search_app.security import end_session, login_required, safe_next, start_session
from search_app.state import kennisbank

bp = Blueprint("staff", __name__, url_prefix="/beheer")
# Parts of the staff area in modules of their own: the login, role checks and no_store apply to them too.
for part in (staff_documents, staff_trash, staff_log, staff_accounts, staff_report):
    bp.register_blueprint(part.bp)

DOCUMENTS_PER_PAGE = 50


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: str
    admin_only: bool = False
    also: tuple[str, ...] = ()  # pages that belong to this item (editing a document: the overview)

    @property
    def current(self) -> bool:
        return request.endpoint in (self.endpoint, *self.also)


# The staff menu, in order.
MENU = (
    MenuItem("staff.overview", "Overzicht", also=("staff.documents.edit", "staff.report.full_list")),
    MenuItem("staff.documents.upload", "Documenten toevoegen", also=("staff.documents.review",)),
    MenuItem("staff.trash.overview", "Prullenbak", also=("staff.trash.empty",)),
    MenuItem("staff.log.overview", "Logboek", admin_only=True),
    MenuItem("staff.accounts.users", "Gebruikers", admin_only=True, also=("staff.accounts.remove_user",)),
)


@bp.context_processor
def staff_menu() -> dict:
    """The menu this user may see."""
    user = g.get("user")  # not loaded yet when a refused CSRF token ends the request early
    return {"menu": [item for item in MENU if not item.admin_only or (user and user.is_admin)]}


@bp.after_request
def no_store(response):
    """Staff pages hold names and unpublished documents: no browser or proxy cache keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    target = safe_next(request.args.get("volgende"))
    if request.method == "GET":
        return render_template("beheer/login.html")
    address = request.remote_addr or "onbekend"
    attempt = attempt_login(request.form.get("naam", ""), request.form.get("wachtwoord", ""), address)
    if attempt.user is not None:
        start_session(attempt.user)
        return redirect(target)
    headers = {"Retry-After": attempt.retry_after} if attempt.wait_s else {}
    return render_template("beheer/login.html", error=attempt.message), 429 if attempt.refused else 401, headers


@bp.post("/uitloggen")
def logout():
    end_session()
    return redirect(url_for("pages.home"))


@bp.get("")
@login_required()
def overview():
    """All documents (filterable like the search page), the last indexing report, documents
    without a theme, and dossier reading lists that point at missing documents."""
    wanted = parse_args(request.args.to_dict(flat=False))
    results = kennisbank().engine.search(wanted.query, wanted.selections, SORT_DATE, wanted.page, DOCUMENTS_PER_PAGE)
    if results.page > results.last_page:  # an old or edited link: show where the list ends
        return redirect(url(url_for("staff.overview"), with_page(wanted, results.last_page)))
    themes = next((facet for facet in results.facets if facet.field == "themes"), None)
    unthemed = next((value.count for value in themes.values if value.value == NO_VALUE), 0) if themes else 0
    return render_template(
        "beheer/overzicht.html",
        wanted=wanted,
        results=results,
        unthemed=unthemed,
        no_value=NO_VALUE,
        report=kennisbank().engine.last_report(),
        shown=staff_report.SHOWN_IN_OVERVIEW,
        facets=facet_views(results, wanted, kennisbank().taxonomy),
        page_url=lambda number: url(url_for("staff.overview"), with_page(wanted, number)),
    )
