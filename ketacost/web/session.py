"""Who is logged in: the desk's name in a cookie signed with itsdangerous (HttpOnly,
SameSite=Strict, Secure behind TLS), good for a working day; and the login rate limit."""

from __future__ import annotations

import time
from collections import deque

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "ketacost_desk"
MAX_AGE = 12 * 60 * 60
"""A login lasts 12 hours: a desk logs in once a working day."""
ATTEMPTS = 5
WINDOW = 5 * 60
"""At most :data:`ATTEMPTS` failed logins in :data:`WINDOW` seconds, from one address or
for one desk name; then logins wait."""


def _signer(key: bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt="ketacost-desk-session")


def logged_in(request: Request, key: bytes, accounts: dict[str, str]) -> str | None:
    """The desk logged in (its account still there), or None."""
    value = request.cookies.get(COOKIE)
    if not value or len(value) > 1024:
        return None
    try:
        name = _signer(key).loads(value, max_age=MAX_AGE)
    except BadSignature:
        return None
    return name if isinstance(name, str) and name in accounts else None


def log_in(response: Response, key: bytes, name: str, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        _signer(key).dumps(name),
        max_age=MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )


def log_out(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


class RateLimit:
    """Failed logins per key (an address, a desk name) in a sliding window."""

    def __init__(self, attempts: int = ATTEMPTS, window: float = WINDOW) -> None:
        self.attempts, self.window = attempts, window
        self.failed: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.failed.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        return any(len(self._recent(key, now)) >= self.attempts for key in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._recent(key, now).append(now)
        if len(self.failed) > 10_000:  # bounded: forget the quiet ones
            for key in [k for k, v in self.failed.items() if not v]:
                del self.failed[key]
