"""The Quote page: the estimate with the patient's name and date of birth; saving it keeps
it in the quote log under a new id, with the Good Faith Estimate duty it creates, as
``ketacost quote`` does. The patient's name and date of birth travel in the posted form
only, never in a URL; the saved quote is then shown at its id."""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ketacost.entries import Entry, heading
from ketacost.gfe.timing import read_duty
from ketacost.store import StoreError
from ketacost.web.app import front_desk, settings_of
from ketacost.web.csrf import checked_form
from ketacost.web.form import FormError
from ketacost.web.log import opened
from ketacost.web.pages import render
from ketacost.web.quotes import PATIENT_FIELDS, save_quote
from ketacost.web.routes.estimate import choices, field_errors, figures, form_values

ENTRY_ID = re.compile(r"[QG]-[0-9]{8}-[0-9A-Z]{6}")
"""A quote log entry's id: no one's personal data, so a URL may hold it."""


def _page(
    request: Request, form: Any, errors: dict[str, str], status: int, *, posted: bool = True
) -> Response:
    """The form; a patient's values are filled back only from a posted form, never from
    an address (a link that carries a name is not shown back)."""
    fields = form_values(form, PATIENT_FIELDS)
    if not posted:
        fields.update(dict.fromkeys(PATIENT_FIELDS, ""))
    values = {
        "form": fields,
        "errors": errors,
        **choices(settings_of(request).sheet),
    }
    return render(request, "quote.html", values, status=status)


async def quote_form(request: Request) -> Response:
    """The form, filled from an estimate's link (its query string holds no patient data)."""
    if len(request.url.query) > 4096:
        raise HTTPException(414)
    return _page(request, request.query_params, {}, 200, posted=False)


async def save(request: Request) -> Response:
    settings = settings_of(request)
    form = await checked_form(request, settings.secret)
    try:
        saved = save_quote(settings, form, request.state.desk)
    except FormError as error:
        return _page(request, form, field_errors(error.errors), 400)
    except StoreError as error:
        return _page(request, form, {"form": f"the quote log: {error}"}, 503)
    return RedirectResponse(f"/quotes/{saved.entry.id}?saved=1", status_code=303)


def entry_of(request: Request, kind: str) -> Entry:
    """The entry the URL names (404 when there is none of that kind)."""
    entry_id = request.path_params["entry_id"].upper()
    if not ENTRY_ID.fullmatch(entry_id):
        raise HTTPException(404)
    try:
        with opened(settings_of(request).db, write=False) as log:
            entry = log.get(entry_id)
    except StoreError:
        raise HTTPException(404) from None
    if entry is None or entry.kind != kind:
        raise HTTPException(404)
    return entry


async def show(request: Request) -> Response:
    entry = entry_of(request, "quote")
    report = entry.report()
    duty = read_duty(entry.result.get("duty"))
    values = {
        "entry": entry,
        "heading": heading(entry),
        "report": report,
        "figures": figures(report),
        "duty": duty,
        "just_saved": request.query_params.get("saved") == "1",
    }
    return render(request, "quote_saved.html", values)


routes = [
    Route("/quote", front_desk(quote_form), methods=["GET"]),
    Route("/quote", front_desk(save), methods=["POST"]),
    Route("/quotes/{entry_id}", front_desk(show), methods=["GET"]),
]
