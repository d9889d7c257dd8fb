"""The audit log under /beheer/logboek for beheerders: newest first, paged, and filtered by user,
action and a range of days. Every filter is a URL argument; an unusable one is ignored."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, render_template, request, url_for

from indexer.corpus import audit
from indexer.engine.results import last_page_of
from search_app.accounts import ADMIN
from search_app.params import page_number
from search_app.security import accounts, login_required

bp = Blueprint("log", __name__, url_prefix="/logboek")

ENTRIES_PER_PAGE = 50


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@bp.get("")
@login_required(ADMIN)
def overview():
    args = request.args
    where = audit.AuditFilter(
        user=args.get("gebruiker", ""),
        action=args.get("actie", "") if args.get("actie", "") in audit.ACTIONS else "",
        since=_day(args.get("van", "")),
        until=_day(args.get("tot", "")),
    )
    total = audit.count(accounts().path, where)
    last_page = last_page_of(total, ENTRIES_PER_PAGE)
    page = page_number(args.get("pagina", ""))
    if page > last_page:  # an old or edited link: show where the log ends
        return redirect(page_url(last_page))
    return render_template(
        "beheer/logboek.html",
        entries=audit.entries(accounts().path, where, ENTRIES_PER_PAGE, (page - 1) * ENTRIES_PER_PAGE),
        where=where,
        total=total,
        page=page,
        last_page=last_page,
        page_url=page_url,
        users=audit.users(accounts().path),
        actions=audit.ACTIONS,
    )


def page_url(number: int) -> str:
    """This log view (its filters kept) at page `number`."""
    args = {key: value for key, value in request.args.items() if key != "pagina" and value}
    return url_for(".overview", **args, **({"pagina": number} if number > 1 else {}))
