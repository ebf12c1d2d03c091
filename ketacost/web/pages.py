"""The pages' templates (Jinja2, every value escaped) and how a route draws one."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ketacost.coverage.fields import FIELD, TYPED
from ketacost.web.csrf import form_token, set_cookie
from ketacost.web.session import logged_in


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ketacost.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The plan's fields, their labels and hints, as the field table gives them.
    env.globals["coverage_fields"] = [FIELD[name] for name in TYPED]
    return env


def render(
    request: Request, name: str, values: Mapping[str, Any], *, status: int = 200
) -> HTMLResponse:
    """Template ``name`` filled with ``values`` (escaped) as an HTML response; its forms
    carry the token a POST must return (:mod:`ketacost.web.csrf`)."""
    settings = request.app.state.settings
    key: bytes = settings.secret
    desk = logged_in(request, key, settings.accounts) if settings.accounts else None
    token, fresh = form_token(request, key)
    text = (
        environment()
        .get_template(name)
        .render(
            request=request,
            path=request.url.path,
            csrf=token,
            accounts=bool(settings.accounts),
            signed_in=desk,
            **values,
        )
    )
    response = HTMLResponse(text, status_code=status)
    if fresh is not None:
        set_cookie(response, fresh, secure=request.url.scheme == "https")
    return response
