"""The one adapter from a web form (strings, as a browser sends them) to the estimate
request the command line builds: each value goes through the core's own parsers and
bounds (:mod:`ketacost.parse`, :mod:`ketacost.money`) first, so that every field at fault
is named at once. Every problem is kept under the field it belongs to, in the
core's words, so the page shows it next to that field.

Once every field reads, the form's values go to the request codec
(:func:`~ketacost.request_data.request_from_data`), as a saved quote's inputs do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeVar

from ketacost.coverage.fields import FIELD, TYPED
from ketacost.estimate import Estimate, estimate
from ketacost.money import MoneyError, parse_money, parse_percent
from ketacost.parse import (
    MAX_TEXT,
    ParseError,
    parse_count,
    parse_date,
    parse_finance,
    parse_month_day,
    parse_price_range,
)
from ketacost.paying.data import ACCOUNTS, FINANCE_WHAT, terms_data
from ketacost.paying.financing import MAX_MONTHS as MAX_PROMO_MONTHS
from ketacost.request import (
    COUNTS,
    EstimateError,
    EstimateRequest,
    check_count,
    deferred,
    one_price,
    promotion,
)
from ketacost.request_data import request_from_data
from ketacost.schedule.sessions import ScheduleError
from ketacost.sheet.model import PriceSheet

T = TypeVar("T")

COVERAGE_FIELDS = TYPED
"""The plan's fields (the field table's, :mod:`ketacost.coverage.fields`): the request
codec's ``coverage``."""
TEXT_FIELDS = (
    "condition",
    "sessions",
    "weeks",
    "price",
    "price_range",
    "maintenance",
    "months",
    "start",
    "ride",
    *COVERAGE_FIELDS,
    "hsa_rate",
    "finance",
    "promo_months",
    "account",
    "agi",
    "finance_what",
)
"""The estimate form's one-value fields, named as the request's fields."""
REQUEST_FIELDS = ("condition", "sessions", "weeks", "maintenance", "months", "start", "ride")
"""What the request codec reads as the form gives it."""
_PLAN_PARSERS: dict[str, Callable[[str], Any]] = {
    "money": parse_money,
    "percent": parse_percent,
    "month_day": parse_month_day,
}
"""How a plan's field is read, by its kind (a choice: :meth:`Reader.choice`)."""
PAYING_FIELDS = ("hsa_rate", "account", "agi", "finance_what")
_FIELD_OF: dict[str | None, str | None] = {"with_": "with"}
"""A request's field as the form names it, where the two differ."""
FLAGS = ("deferred_interest", "payroll", "savings")
"""Check boxes: present (any value) is yes."""
LISTS = ("without", "with")
"""Fields given once per key (optional fees left out, discounts that apply)."""
MAX_KEYS = 20
"""Most keys a list field takes (a sheet has far fewer fees or discounts)."""
CHOICES: dict[str, tuple[str, ...]] = {
    **{name: tuple(v for v, _ in FIELD[name].choices) for name in TYPED if FIELD[name].choices},
    "account": ACCOUNTS,
    "finance_what": FINANCE_WHAT,
}


class Form(Protocol):
    """What a page hands over: a query string or a posted form (Starlette's both fit)."""

    def get(self, key: str, /) -> Any: ...

    def getlist(self, key: str, /) -> list[Any]: ...


class FormError(ValueError):
    """A form that is not a request: ``errors`` maps each field at fault (``form`` for a
    problem of several fields) to what is wrong, in words."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Reader:
    """Reads one form's fields, collecting a message per field that cannot be read."""

    form: Form
    errors: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        """The field as typed (None when blank or left out); over-long text is refused
        before anything reads it."""
        value = self.form.get(name)
        if not isinstance(value, str) or not value.strip():
            return None
        if len(value) > MAX_TEXT:
            self.errors[name] = f"is longer than {MAX_TEXT} characters"
            return None
        if any(not char.isprintable() for char in value):
            self.errors[name] = "contains control characters"
            return None
        return value

    def parsed(self, name: str, parse: Callable[[str], T]) -> T | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            return parse(text)
        except (ParseError, MoneyError, ScheduleError, ValueError) as error:
            self.errors[name] = str(error)
            return None

    def count(self, name: str, low: int, high: int) -> int | None:
        value = self.parsed(name, parse_count)
        try:
            return None if value is None else check_count(value, name, low, high)
        except EstimateError as error:
            self.errors[name] = str(error)
            return None

    def choice(self, name: str) -> Any:
        text = self.text(name)
        if text is None:
            return None
        if text not in CHOICES[name]:
            self.errors[name] = f"must be one of {', '.join(CHOICES[name])}"
            return None
        return text

    def flag(self, name: str) -> bool:
        return self.form.get(name) not in (None, "")

    def keys(self, name: str) -> tuple[str, ...]:
        values = [v for v in self.form.getlist(name) if isinstance(v, str) and v.strip()]
        if len(values) > MAX_KEYS:
            self.errors[name] = f"takes at most {MAX_KEYS} keys"
            return ()
        for value in values:
            if len(value) > MAX_TEXT or any(not c.isprintable() for c in value):
                self.errors[name] = "is not a key of the price sheet"
                return ()
        return tuple(value.strip() for value in values)


def state(form: Form) -> list[tuple[str, str]]:
    """The form's fields that say something (blank ones left out), in the page's order:
    what a URL carries to reproduce the page. No patient data is ever among them."""
    pairs = [(name, form.get(name)) for name in (*TEXT_FIELDS, *FLAGS)]
    pairs += [(name, value) for name in LISTS for value in form.getlist(name)]
    return [(k, v.strip()) for k, v in pairs if isinstance(v, str) and v.strip()]


def read_request(form: Form, sheet: PriceSheet, today: date) -> EstimateRequest:
    """The request the form describes, checked against ``sheet`` as the command line
    checks it. Raises :class:`FormError` naming every field at fault."""
    read = Reader(form)
    read.text("condition")
    for name in ("sessions", "weeks", "months"):
        read.count(name, *COUNTS[name])
    price = read.parsed("price", parse_money)
    price_range = read.parsed("price_range", parse_price_range)
    read.text("maintenance")
    read.parsed("start", parse_date)
    read.parsed("ride", parse_money)
    for name in COVERAGE_FIELDS:
        if FIELD[name].kind == "choice":
            read.choice(name)
        else:
            read.parsed(name, _PLAN_PARSERS[FIELD[name].kind])
    read.parsed("hsa_rate", parse_percent)
    finance = read.parsed("finance", parse_finance)
    read.choice("account")
    read.parsed("agi", parse_money)
    read.choice("finance_what")
    without, with_ = read.keys("without"), read.keys("with")
    try:
        one_price(price, price_range)
    except EstimateError as error:
        read.errors["price"] = str(error)
    promo_months = read.count("promo_months", 1, MAX_PROMO_MONTHS)
    if read.flag("deferred_interest") and "finance" not in read.errors:
        try:  # as --deferred-interest: the plan must give the APR charged back
            finance = deferred(finance)
        except EstimateError as error:
            read.errors["deferred_interest"] = str(error)
    if not {"finance", "promo_months", "deferred_interest"} & read.errors.keys():
        try:  # as --promo-months: 0% for the plan's first months
            finance = promotion(finance, promo_months)
        except EstimateError as error:
            read.errors["promo_months"] = str(error)
    if read.errors:
        raise FormError(read.errors)
    coverage = {name: read.text(name) for name in COVERAGE_FIELDS if read.text(name)}
    data: dict[str, Any] = {
        **{name: read.text(name) for name in REQUEST_FIELDS},
        "price": read.text("price") or read.text("price_range"),
        "coverage": coverage or None,
        "without": list(without),
        "with": list(with_),
        **{name: read.text(name) for name in PAYING_FIELDS},
        "finance": terms_data(finance),
        **{name: read.flag(name) for name in ("payroll", "savings")},
    }
    try:
        return request_from_data(sheet, today, data, typed=True)
    except EstimateError as error:
        raise FormError({_FIELD_OF.get(error.field, error.field) or "form": str(error)}) from None


def read_estimate(form: Form, sheet: PriceSheet, today: date) -> Estimate:
    """The estimate of the request the form describes (see :func:`read_request`)."""
    request = read_request(form, sheet, today)
    try:
        return estimate(request, sheet)
    except EstimateError as error:
        raise FormError({error.field or "form": str(error)}) from None
