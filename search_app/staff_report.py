"""The lists of the last indexing report, each on pages of its own under /beheer/rapport.

The overview shows the first few items of each list. A run over a large corpus can fail on thousands
of files, or an upgrade can change the theme of thousands of documents: one page holding them all
would be slow to load and too long to check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from indexer.engine.kennisbank import CHANGES
from indexer.engine.results import last_page_of
from search_app.params import page_number
from search_app.security import login_required
from search_app.state import kennisbank

bp = Blueprint("report", __name__, url_prefix="/rapport")

ITEMS_PER_PAGE = 100
SHOWN_IN_OVERVIEW = 20

Report = Mapping[str, Any]


@dataclass(frozen=True)
class ReportList:
    """One list of the report: its address, its heading and where the report keeps it."""

    slug: str
    heading: str
    key: str
    unit: tuple[str, str]  # what one item is, and many, in Dutch: ("bestand", "bestanden")
    # Kept with the last re-tagging or re-reading (`pipeline.CHANGES`), which may be an earlier run's.
    among_changes: bool = False

    def items(self, report: Report | None) -> list[Mapping[str, Any]]:
        return list(self._holder(report).get(self.key) or [])

    def finished(self, report: Report | None) -> str | None:
        """When the run that made this list finished."""
        return self._holder(report).get("finished")

    def _holder(self, report: Report | None) -> Report:
        if not report:
            return {}
        return (report.get(CHANGES) or {}) if self.among_changes else report


DOCUMENTS = ("document", "documenten")
FILES = ("bestand", "bestanden")
READING_LISTS = ("leeslijst", "leeslijsten")
REPORT_LISTS = {
    listed.slug: listed
    for listed in (
        ReportList("mislukt", "Bestanden die niet gelezen konden worden", "failed", FILES),
        ReportList("leeslijsten", "Leeslijsten van dossiers met ontbrekende documenten", "warnings", READING_LISTS),
        ReportList("titels", "Documenten met een andere titel", "title_changes", DOCUMENTS, among_changes=True),
        ReportList("themas", "Documenten met een ander thema", "theme_changes", DOCUMENTS, among_changes=True),
        ReportList("behouden", "Behouden zoals eerder gelezen", "kept", FILES, among_changes=True),
        ReportList("dubbel", "Dubbele bestanden", "duplicates", FILES),
    )
}


@bp.app_template_global()
def report_list(slug: str) -> ReportList:
    """One of the report's lists (`REPORT_LISTS`), for the overview."""
    return REPORT_LISTS[slug]


@bp.get("/<name>")
@login_required()
def full_list(name: str):
    listed = REPORT_LISTS.get(name)
    if listed is None:
        abort(404)
    report = kennisbank().engine.last_report()
    items = listed.items(report)
    last_page = last_page_of(len(items), ITEMS_PER_PAGE)
    page = page_number(request.args.get("pagina", ""))
    if page > last_page:  # an old link to a list that has since become shorter
        return redirect(_page_url(name, last_page))
    first = (page - 1) * ITEMS_PER_PAGE
    return render_template(
        "beheer/rapportlijst.html",
        listed=listed,
        report=report,
        finished=listed.finished(report),
        items=items[first : first + ITEMS_PER_PAGE],
        total=len(items),
        first=first,
        page=page,
        last_page=last_page,
        page_url=lambda number: _page_url(name, number),
    )


def _page_url(name: str, number: int) -> str:
    return url_for(".full_list", name=name, **({"pagina": number} if number > 1 else {}))
