"""The web app: its settings, its pages and the headers every response carries.

``create_app`` is what ``ketacost serve`` runs (and what the tests drive through
Starlette's TestClient). The price sheet is chosen when the server starts, never by a
visitor: no form field names a file on the server.
"""

from __future__ import annotations

import functools
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ketacost.sheet.model import PriceSheet
from ketacost.web.pages import render
from ketacost.web.session import RateLimit, logged_in

STATIC = Path(__file__).parent / "static"
LOG = logging.getLogger("ketacost.web")
FAILED = "Something went wrong; nothing was saved half way. Try again, or use the command line.\n"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No inline script, no inline style, nothing from another site: the pages' only script
is the htmx shipped in the package, and every page works without it."""
PRINTABLE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
"""A printable page's own (a Good Faith Estimate as the log keeps it): no script at all,
nothing fetched, its inline styles only, as its own meta tag says."""
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make a form's Origin "null"
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What the server was started with."""

    sheet: PriceSheet
    """The price sheet every page prices with (``--sheet``, as for the CLI)."""
    db: Path | str | None = None
    """The quote log (``--db`` or ``KETACOST_DB``; None: the default file)."""
    desk: str | None = None
    """The desk's name kept with each entry (``--desk`` or ``KETACOST_DESK``)."""
    today: Callable[[], date] = date.today
    """Today's date, for duties and due dates (a test sets its own)."""
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    """The key of the forms' tokens and the login cookie (kept by ``serve`` in a file
    beside the desk accounts, so a restart keeps desks logged in)."""
    accounts: dict[str, str] = field(default_factory=dict, repr=False)
    """Desk accounts (name -> Argon2 hash): with any, every front-desk page needs a login."""


class SecurityHeaders:
    """Adds :data:`HEADERS` to every response (a plain ASGI middleware: it costs a list
    append, not a second request object); a response with a CSP of its own (a printable
    page's) keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = any(name == b"content-security-policy" for name, _ in headers)
                message["headers"] = [*headers, *(HEADERS[1:] if own else HEADERS)]
            await send(message)

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await with_headers(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as error:
            # One line naming the kind of failure and the route, never its message (which
            # may quote what was typed) nor a traceback of values.
            LOG.error("%s %s failed: %s", scope["method"], scope["path"][:80], type(error).__name__)
            if started:
                raise
            await PlainTextResponse(FAILED, 500)(scope, receive, with_headers)


SAID = (400, 403, 409, 413, 503)
"""Refusals whose reason is shown: each is written by the desk's own code (what cannot be
read, and why; a log entry failing its check), never from what was sent."""


async def http_error(request: Request, exc: Exception) -> Response:
    """A refused request as a short page: its status and reason, never what was sent."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    reason = {404: "Not found", 405: "Method not allowed"}.get(status, "Bad request")
    if status >= 500:
        reason = "Something went wrong; nothing was saved half way"
    if isinstance(exc, HTTPException) and status in SAID and exc.detail:
        reason = exc.detail[0].upper() + exc.detail[1:]
    if "application/json" in request.headers.get("accept", ""):
        return PlainTextResponse(
            json.dumps({"error": reason}) + "\n", status, media_type="application/json"
        )
    return render(request, "error.html", {"reason": reason}, status=status)


def create_app(settings: Settings) -> Starlette:
    """The app serving the desk's pages with ``settings``."""
    from ketacost.web.routes import (
        bill,
        compare,
        duties,
        estimate,
        gfe,
        log,
        login,
        quote,
        sheet,
    )

    app = Starlette(
        routes=[
            *estimate.routes,
            *compare.routes,
            *quote.routes,
            *gfe.routes,
            *bill.routes,
            *duties.routes,
            *login.routes,
            *log.routes,
            *sheet.routes,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        exception_handlers={HTTPException: http_error},
    )
    app.state.settings = settings
    app.state.logins = RateLimit()
    app.add_middleware(SecurityHeaders)
    return app


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Endpoint = Callable[[Request], Awaitable[Response]]


def front_desk(endpoint: Endpoint) -> Endpoint:
    """A front-desk page: with desk accounts, only for a desk logged in (else the login
    page, or 403 for a form sent); ``request.state.desk`` is then the desk's name (without
    accounts, the ``--desk`` serve was given)."""

    @functools.wraps(endpoint)
    async def gated(request: Request) -> Response:
        settings = settings_of(request)
        desk = settings.desk
        if settings.accounts:
            desk = logged_in(request, settings.secret, settings.accounts)
            if desk is None:
                if request.method in ("GET", "HEAD"):
                    return RedirectResponse("/login", status_code=303)
                raise HTTPException(403, "log in first")
        request.state.desk = desk
        return await endpoint(request)

    return gated
