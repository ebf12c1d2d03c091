"""Logging a desk in and out (when the desk has accounts). Failed logins are limited per
address and per desk name; a message never says which of the two was wrong."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ketacost.web.app import settings_of
from ketacost.web.csrf import checked_form
from ketacost.web.desks import verify
from ketacost.web.pages import render
from ketacost.web.session import RateLimit, log_in, log_out

WRONG = "that desk name and password do not match"
WAIT = "too many failed logins: wait a few minutes, then try again"


def _page(request: Request, name: str, error: str | None, status: int = 200) -> Response:
    return render(request, "login.html", {"name": name, "error": error}, status=status)


async def form(request: Request) -> Response:
    return _page(request, "", None)


async def login(request: Request) -> Response:
    settings = settings_of(request)
    sent = await checked_form(request, settings.secret)
    name = sent.get("name")
    password = sent.get("password")
    name = name if isinstance(name, str) else ""
    password = password if isinstance(password, str) else ""
    limit: RateLimit = request.app.state.logins
    keys = (f"address:{request.client.host if request.client else '?'}", f"desk:{name[:200]}")
    if limit.blocked(*keys):
        return _page(request, name[:200], WAIT, 429)
    if not settings.accounts or not verify(settings.accounts, name, password):
        limit.fail(*keys)
        return _page(request, name[:200], WRONG, 401)
    response = RedirectResponse("/due", status_code=303)
    log_in(response, settings.secret, " ".join(name.split()), secure=request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    await checked_form(request, settings_of(request).secret)
    response = RedirectResponse("/estimate", status_code=303)
    log_out(response)
    return response


routes = [
    Route("/login", form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
