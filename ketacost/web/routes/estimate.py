"""The Estimate page: a patient's form, the figures, the month chart and the notes.

The form's state is the query string (it holds no patient data), so the page's URL
reproduces it; the same URL asked for ``application/json`` answers with the document
``ketacost estimate --format json`` prints, byte for byte. With htmx, a change to a field
fetches only the figures and each field's message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ketacost.render.html import estimate_chart, months_table, notes, summary_table
from ketacost.report.build import build_report
from ketacost.report.model import Report
from ketacost.report.to_data import dumps, to_data
from ketacost.sheet.model import PriceSheet
from ketacost.web.app import settings_of
from ketacost.web.form import (
    FLAGS,
    LISTS,
    TEXT_FIELDS,
    Form,
    FormError,
    read_estimate,
    state,
)
from ketacost.web.pages import render

MAX_QUERY = 4096
"""Longest query string read: a form's state is far shorter."""

JSON = "application/json"
FIELDS = (*TEXT_FIELDS, *FLAGS, *LISTS)


def wants_json(request: Request) -> bool:
    return JSON in request.headers.get("accept", "")


def figures(report: Report) -> dict[str, Markup]:
    """The report drawn by the printable page's own renderers (which escape every text)."""
    return {
        "summary": Markup(summary_table(report)),
        "chart": Markup(estimate_chart(report, pad=0)),
        "months": Markup(months_table(report)),
        "notes": Markup(notes(report.notes[:-1])),
    }


def choices(sheet: PriceSheet) -> dict[str, Any]:
    """What the form offers from the sheet: treatments, plans, optional fees, discounts."""
    return {
        "treatments": [(t.key, t.label) for t in sheet.treatments],
        "default_condition": sheet.default_condition,
        "plans": [plan.key for plan in sheet.plans],
        "optional": [(fee.key, fee.label, fee.describe()) for fee in sheet.fees if fee.optional],
        "discounts": [(d.key, d.label, d.when or "") for d in sheet.conditional_discounts()],
    }


def form_values(form: Form, more: tuple[str, ...] = ()) -> dict[str, Any]:
    """The form as given, to fill the fields back in (escaped by the template); ``more``:
    a page's own fields besides the estimate's."""
    values: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, *FLAGS, *more):
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    for name in LISTS:
        values[name] = {v for v in form.getlist(name) if isinstance(v, str)}
    return values


async def estimate_page(request: Request) -> Response:
    settings = settings_of(request)
    if len(request.url.query) > MAX_QUERY:
        return error_response(request, {"form": "the form is too long"}, 414)
    query = request.query_params
    try:
        result = read_estimate(query, settings.sheet, settings.today())
    except FormError as error:
        return error_response(request, field_errors(error.errors), 400)
    report = build_report(result)
    if wants_json(request):
        return Response(dumps(to_data(report)), media_type=JSON)
    values = {
        "report": report,
        "figures": figures(report),
        "errors": {},
        "form": form_values(request.query_params),
        "link": "/estimate?" + urlencode(state(query)),
        "quote_link": "/quote?" + urlencode(state(query)),
        **choices(settings.sheet),
    }
    if request.headers.get("hx-request"):
        response = render(request, "estimate_result.html", {**values, "fields": FIELDS})
        response.headers["HX-Push-Url"] = values["link"]
        return response
    return render(request, "estimate.html", values)


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """The core names a discount list ``with_``; the form calls it ``with``."""
    return {("with" if key == "with_" else key): text for key, text in errors.items()}


def error_response(request: Request, errors: dict[str, str], status: int) -> Response:
    """The form with each message next to its field (JSON: the messages by field)."""
    if wants_json(request):
        return Response(dumps({"errors": errors}), status_code=status, media_type=JSON)
    values = {
        "report": None,
        "figures": {},
        "errors": errors,
        "form": form_values(request.query_params),
        "link": "",
        "quote_link": "",
        **choices(settings_of(request).sheet),
    }
    if request.headers.get("hx-request"):
        # htmx swaps a 200 only: the messages replace the figures until the form is fixed.
        return render(request, "estimate_result.html", {**values, "fields": FIELDS})
    return render(request, "estimate.html", values, status=status)


async def home(request: Request) -> Response:
    """The desk's front door is the Estimate page, with the fields a link gave it."""
    query = request.url.query
    return RedirectResponse(f"/estimate?{query}" if query else "/estimate", status_code=303)


routes = [Route("/", home), Route("/estimate", estimate_page, methods=["GET"])]
