"""The Compare page: two to six options side by side, as ``ketacost compare``. The
estimate's fields apply to every option; each option has a label and may give its own
treatment, sessions, maintenance or price (an option's own win). Like ``compare``, it
shows charges and out of pocket: rides, an HSA and financing are for the Estimate page.
The state is the query string, and ``application/json`` gives ``compare --format json``."""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ketacost.comparison import MAX_OPTIONS, MIN_OPTIONS, ComparisonError, comparison_data
from ketacost.comparison import compare as compare_options
from ketacost.render.html import compare_chart, compare_months_table, compare_table, notes
from ketacost.report.to_data import dumps
from ketacost.request import COUNTS
from ketacost.sheet.model import PriceSheet
from ketacost.web.app import settings_of
from ketacost.web.form import (
    COVERAGE_FIELDS,
    Form,
    FormError,
    Reader,
    read_estimate,
    read_request,
)
from ketacost.web.pages import render
from ketacost.web.routes.estimate import JSON, MAX_QUERY, choices, field_errors, wants_json

COMMON = (
    "condition",
    "sessions",
    "weeks",
    "maintenance",
    "months",
    "start",
    "price",
    "price_range",
    *COVERAGE_FIELDS,
)
"""The estimate's fields a comparison reads (no rides, no paying: as ``compare``)."""
OWN = ("condition", "sessions", "maintenance", "price")
"""What an option may give of its own."""


class Option:
    """One option's form: its own values over the common ones."""

    def __init__(self, form: Form, number: int, skip: str = "") -> None:
        self.form, self.number, self.skip = form, number, skip

    def without_months(self) -> Option:
        """The option without the page's months: what an option with no boosters reads."""
        return Option(self.form, self.number, skip="months")

    def own(self, key: str) -> Any:
        value = self.form.get(f"o{self.number}_{key}")
        return value if isinstance(value, str) and value.strip() else None

    def get(self, key: str, /) -> Any:
        if key not in COMMON or key == self.skip:
            return None
        own = self.own(key) if key in OWN else None
        return own if own is not None else self.form.get(key)

    def getlist(self, key: str, /) -> list[Any]:
        return self.form.getlist(key) if key in ("without", "with") else []


def values_of(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in COMMON:
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    for number in range(1, MAX_OPTIONS + 1):
        for key in ("label", *OWN):
            name = f"o{number}_{key}"
            value = form.get(name)
            values[name] = value if isinstance(value, str) else ""
    return values


async def compare_page(request: Request) -> Response:
    settings = settings_of(request)
    query = request.query_params
    if len(request.url.query) > MAX_QUERY:
        return _answer(request, {"form": "the form is too long"}, None, 414)
    labels = [
        (number, label.strip())
        for number in range(1, MAX_OPTIONS + 1)
        if isinstance(label := query.get(f"o{number}_label"), str) and label.strip()
    ]
    if not query:
        return _answer(request, {}, None, 200)
    errors: dict[str, str] = {}
    if len(labels) < MIN_OPTIONS:
        errors["form"] = f"label {MIN_OPTIONS} to {MAX_OPTIONS} options to compare them"
    estimates = []
    today = settings.today()
    for number, label in labels:
        if len(label) > 200:
            errors[f"o{number}_label"] = "is longer than 200 characters"
            continue
        try:
            option = boosters_only(Option(query, number), settings.sheet, today)
            estimates.append((label, read_estimate(option, settings.sheet, today)))
        except FormError as error:
            for field, message in field_errors(error.errors).items():
                name = (
                    f"o{number}_{field}"
                    if field in OWN and Option(query, number).own(field)
                    else field
                )
                errors.setdefault(name, f"option {label!r}: {message}")
    if errors:
        return _answer(request, errors, None, 400)
    try:
        comparison = compare_options(estimates)
    except ComparisonError as error:
        return _answer(request, {"form": str(error)}, None, 400)
    if wants_json(request):
        return Response(dumps(comparison_data(comparison)), media_type=JSON)
    return _answer(request, {}, comparison, 200)


def boosters_only(option: Option, sheet: PriceSheet, today: date) -> Option:
    """The option, without the page's months when it has no boosters: as compare's
    --months, they are how long the boosters of the options that have them last. Months
    that cannot be read are still refused (by the options that have boosters, or here)."""
    if option.get("months") is None:
        return option
    alone = option.without_months()
    try:
        request = read_request(alone, sheet, today)
    except FormError:
        return option  # its errors are found reading it with the months
    if request.maintenance.unit != "none":
        return option
    low, high = COUNTS["months"]
    reader = Reader(option)
    reader.count("months", low, high)
    if reader.errors:
        raise FormError(reader.errors)
    return alone


def _answer(request: Request, errors: dict[str, str], comparison: Any, status: int) -> Response:
    if errors and wants_json(request):
        return Response(dumps({"errors": errors}), status_code=status, media_type=JSON)
    drawn = {}
    if comparison is not None:
        drawn = {
            "table": Markup(compare_table(comparison)),
            "chart": Markup(compare_chart(comparison, pad=0)),
            "months": Markup(compare_months_table(comparison)),
            "notes": Markup(notes(comparison.notes[:-1])),
        }
    values = {
        "form": values_of(request.query_params),
        "errors": errors,
        "comparison": comparison,
        "drawn": drawn,
        "options": range(1, MAX_OPTIONS + 1),
        **choices(settings_of(request).sheet),
    }
    return render(request, "compare.html", values, status=status)


routes = [Route("/compare", compare_page, methods=["GET"])]
