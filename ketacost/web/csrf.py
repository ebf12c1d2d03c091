"""Protection against a cross-site request: every state-changing request (a POST) must
carry the token its form was given, and come from the desk's own pages.

The token is a keyed hash of a random value kept in a cookie (HttpOnly, SameSite=Strict),
with a key made when the server starts: another site can neither read the cookie nor
compute the token, and a browser sends no Strict cookie with another site's request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import unquote_to_bytes

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "ketacost_csrf"
FIELD = "csrf"
MAX_BODY = 64 * 1024
"""Largest form read: a desk's form is a few hundred bytes."""
MAX_FIELDS = 200


def _token(key: bytes, nonce: str) -> str:
    return hmac.new(key, nonce.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def is_utf8(body: bytes, content_type: str) -> bool:
    """Whether a posted form's values are UTF-8 text, as a browser sends them: each field
    of a URL-encoded form once decoded, the whole of any other body (a multipart form
    carries no file here). The form parser would put replacement characters in their
    place, and a name so changed would be saved."""
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            for part in body.replace(b"+", b" ").split(b"&"):
                unquote_to_bytes(part).decode("utf-8")
        else:
            body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cookie_value(request: Request) -> str | None:
    value = request.cookies.get(COOKIE)
    return value if value and len(value) == 32 and value.isalnum() else None


def form_token(request: Request, key: bytes) -> tuple[str, str | None]:
    """The token a page's forms carry, and the new cookie value to set (None: keep)."""
    nonce = cookie_value(request)
    fresh = None
    if nonce is None:
        nonce = fresh = secrets.token_hex(16)
    return _token(key, nonce), fresh


def set_cookie(response: Response, value: str, *, secure: bool) -> None:
    response.set_cookie(COOKIE, value, httponly=True, samesite="strict", secure=secure, path="/")


async def checked_form(request: Request, key: bytes) -> FormData:
    """The posted form, once it is shown to come from the desk's own page: a bounded
    body of UTF-8 text, no other site's Origin, and the token its page gave. Else 403 (or
    413, or 400)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise HTTPException(403, "the form was sent from another site")
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_BODY:
        raise HTTPException(413, "the form is too large")
    if not is_utf8(await request.body(), request.headers.get("content-type", "")):
        raise HTTPException(400, "the form is not UTF-8 text; nothing was saved")
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    nonce = cookie_value(request)
    sent = form.get(FIELD)
    if nonce is None or not isinstance(sent, str):
        raise HTTPException(403, "the form's page has expired: open it again")
    if not hmac.compare_digest(sent, _token(key, nonce)):
        raise HTTPException(403, "the form's page has expired: open it again")
    return form
