"""Error pages in Dutch, the indexer's issues in Dutch, and the security headers every response carries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from indexer.errors import Issue, KennisbankError, describe

_MESSAGES = {
    400: (
        "Ongeldig verzoek",
        "Het formulier is verlopen of onvolledig. Ga terug, vernieuw de pagina en probeer het opnieuw.",
    ),
    403: ("Geen toegang", "Voor deze pagina hebt u de rol beheerder nodig. Vraag een beheerder om hulp."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres of zoek opnieuw."),
    405: ("Niet toegestaan", "Deze handeling is hier niet mogelijk. Ga terug en probeer het opnieuw."),
    413: (
        "Te veel verstuurd",
        "Het verstuurde bestand of een ingevuld veld is te groot. Verklein het bestand of kort de tekst in, "
        "en probeer het opnieuw.",
    ),
    503: (
        "Even niet beschikbaar",
        "De zoekindex is (nog) niet beschikbaar. Probeer het over een paar minuten opnieuw.",
    ),
}
_FALLBACK = (
    "Er ging iets mis",
    "Er ging aan onze kant iets mis. Probeer het later opnieuw; blijft het misgaan, "
    "meld het dan aan de beheerder van de Kennisbank.",
)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


def _page(status: int, detail: str | None = None):
    """The error as a page in the site's style, or as JSON for the API."""
    title, message = _MESSAGES.get(status, _FALLBACK)
    if request.path.startswith("/api/"):
        return jsonify(fout=f"{title}. {detail or message}"), status
    return render_template("error.html", title=title, message=detail or message, status=status), status


def describe_issue(issue: Issue | Mapping[str, Any]) -> str:
    """Template filter `describe`: an issue, or one the run report keeps as JSON, as the sentence a person reads."""
    return describe(issue if isinstance(issue, Issue) else Issue.from_dict(issue))


def register(app: Flask) -> None:
    app.add_template_filter(describe_issue, "describe")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _page(error.code or 500)

    @app.errorhandler(KennisbankError)
    def index_unavailable(error: KennisbankError):
        app.logger.error("Index niet beschikbaar: %s", error)
        return _page(503)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Onverwachte fout", exc_info=error)
        return _page(InternalServerError.code)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
