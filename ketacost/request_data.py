"""A request as plain data and back: the shape of a report's ``inputs`` (docs/json.md),
which the JSON format prints, the quote log keeps, and a web form and a batch row send
as text.

- :func:`request_data`: a request as plain data.
- :func:`request_from_data`: the request plain data describes, on a sheet. Every value may
  be text (a form's: ``"12"``, ``"true"``, ``"$450"``) or the JSON's own type; a key left
  out or blank takes the default, as an option not given does. A bad value raises an
  EstimateError naming its key, as :func:`~ketacost.request.build_request` does.
- :func:`inputs_data` and :func:`saved_request`: a report's ``inputs`` (the normalised
  request it was estimated from, with the treatment and what the figures assume) and the
  request read back from them as it was saved, without a sheet: a saved quote loads and
  prints as it was quoted, whatever the sheet says today.
- :func:`replay_request`: the clinic's part of a saved quote's inputs, for a Good Faith
  Estimate of it.

Its parts are the codecs of their concepts: :mod:`ketacost.coverage.data` and
:mod:`ketacost.paying.data`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ketacost import plain
from ketacost.coverage.data import coverage_data, coverage_from_data
from ketacost.gfe.timing import SELF_PAY_ONLY, is_self_pay
from ketacost.money import D, money_str
from ketacost.parse import ParseError, parse_price_range
from ketacost.paying.data import PAYING_KEYS, paying_data, paying_from_data
from ketacost.paying.how_paid import NO_PAYING
from ketacost.request import DEFAULT_MONTHS, EstimateError, EstimateRequest, build_request
from ketacost.schedule.sessions import Maintenance, ScheduleError, parse_maintenance
from ketacost.sheet.model import PriceRange, PriceRangeError, PriceSheet

Data = dict[str, Any]


def price_data(price: PriceRange | None) -> Data | None:
    """A price per session: ``{"low": "400.00", "typical": "600.00", "high": "800.00"}``."""
    if price is None:
        return None
    return {
        "low": money_str(price.low),
        "typical": money_str(price.typical),
        "high": money_str(price.high),
    }


def price_from_data(data: plain.Plain) -> PriceRange | None:
    """The ``price`` of plain data: :func:`price_data`'s three amounts, or a form's text,
    one exact price (``450``) or a range (``400-800``, the typical price its midpoint)."""
    value = data.get("price")
    if isinstance(value, Mapping):
        low, typical, high = (plain.money(value, key) for key in ("low", "typical", "high"))
        if low is None or typical is None or high is None:
            raise plain.PlainError("is not a price from low to high", "price")
        try:
            return PriceRange(low=low, typical=typical, high=high)
        except PriceRangeError as error:
            raise plain.PlainError(f"is not a price from low to high: {error}", "price") from None
    written = plain.text(data, "price")
    if written is None:
        return None
    if "-" in written[1:]:  # "-450" is an amount (a negative one), not a range
        try:
            return parse_price_range(written)
        except ParseError as error:
            raise plain.PlainError(str(error), "price") from None
    exact = plain.money(data, "price")
    assert exact is not None  # given
    return PriceRange.exact(exact)


KEYS = (
    *("condition", "sessions", "weeks", "phased", "price", "maintenance", "months", "start"),
    *("until", "ride", "coverage", "without", "with", *PAYING_KEYS),
    *("treatment", "assumes"),  # a report's inputs: worked out from the rest
)
"""The keys of a request's plain data."""
_KNOWN = frozenset(KEYS)


def request_data(request: EstimateRequest) -> Data:
    """The request as plain data: the keys of a report's ``inputs`` that a request holds
    (:func:`inputs_data` adds ``treatment`` and ``assumes``), in the order the JSON has
    always had them, ``phased`` last."""
    paying = paying_data(request.paying)
    return {
        "condition": request.condition,
        "sessions": request.sessions,
        "weeks": request.weeks,
        "price": price_data(request.price),
        "maintenance": request.maintenance.normalized,
        "months": request.months,
        "start": request.start.isoformat(),
        "ride": money_str(request.ride),
        "coverage": coverage_data(request.coverage),
        "without": list(request.without),
        "hsa_rate": paying.pop("hsa_rate"),
        "finance": paying.pop("finance"),
        "until": None if request.until is None else request.until.isoformat(),
        "with": list(request.with_),
        **paying,
        "phased": request.phased,
    }


def inputs_data(
    request: EstimateRequest,
    *,
    treatment: str,
    assumes: Sequence[str],
    phased_saved: bool = True,
) -> Data:
    """A report's ``inputs``: the request's plain data with the key of the ``treatment``
    estimated (after ``condition``) and the keys of the optional fees and conditional
    discounts the figures assume (after ``without``). ``phased_saved`` False: a quote
    saved before ``phased`` was kept (0.1, 0.2), whose inputs leave it out as they did."""
    data: Data = {}
    for key, value in request_data(request).items():
        data[key] = value
        if key == "condition":
            data["treatment"] = treatment
        elif key == "without":
            data["assumes"] = list(assumes)
    if not phased_saved:
        del data["phased"]
    return data


def request_from_data(
    sheet: PriceSheet, today: date, data: plain.Plain, *, typed: bool = False
) -> EstimateRequest:
    """The request plain data describes (:func:`request_data`'s keys, a saved quote's
    ``inputs`` or a web form's fields), checked and resolved on ``sheet`` by
    :func:`~ketacost.request.build_request`; a start left out is ``today``. Raises an
    EstimateError naming the key at fault (a :class:`~ketacost.plain.PlainError` when
    its value cannot be read at all). ``typed``: the values are what a person typed (a
    web form's fields, a batch row's cells), held to the command line's rules."""
    plain.only(data, _KNOWN)
    phased = plain.flag(data, "phased") if plain.given(data, "phased") else None
    return build_request(
        sheet,
        today,
        condition=plain.text(data, "condition"),
        sessions=plain.count(data, "sessions"),
        weeks=plain.count(data, "weeks"),
        phased=phased,
        price_range=price_from_data(data),
        maintenance=plain.text(data, "maintenance"),
        months=plain.count(data, "months") if typed else _months_asked(plain.count(data, "months")),
        start=plain.day(data, "start"),
        until=plain.day(data, "until"),
        ride=plain.money(data, "ride"),
        coverage=coverage_from_data(plain.nested(data, "coverage"), typed=typed),
        without=plain.keys(data, "without"),
        with_=plain.keys(data, "with"),
        # A request that says nothing of paying (a batch row: no such columns) pays so.
        paying=NO_PAYING if data.keys().isdisjoint(PAYING_KEYS) else paying_from_data(data),
    )


def _months_asked(months: int | None) -> int | None:
    """The months plain data asks for: a request's data always holds its months, the
    default too (with no boosters, where they are no question), so the default is asked
    for by no one; other months need boosters (:func:`~ketacost.request.build_request`).
    Months a person typed are all asked for."""
    return None if months == DEFAULT_MONTHS else months


def _saved_plan(normalized: str, interval: str | None) -> Maintenance:
    """The booster plan saved as :attr:`Maintenance.normalized` (``4w``, ``1m``, a tapering
    plan), or a plan of the sheet saved by its key: its intervals are read from
    ``interval`` (the report's bare interval in words, as its labels keep it), not from a
    sheet that may have changed since."""
    if not isinstance(normalized, str):
        raise TypeError(f"the saved maintenance plan {normalized!r} is not text")
    try:
        plan = parse_maintenance(normalized)
    except ScheduleError:
        plan = None
    if plan is not None and plan.normalized == normalized:
        return plan
    if interval is None:
        raise ValueError(f"the saved maintenance plan {normalized!r} needs its interval")
    try:
        return replace(parse_maintenance(interval), plan=normalized)
    except ScheduleError:
        raise ValueError(f"{interval!r} is not a saved plan's interval") from None


def saved_request(data: Mapping[str, Any], interval: str | None = None) -> EstimateRequest:
    """The request a report's saved ``inputs`` (:func:`inputs_data`) hold, as they were
    saved: no sheet resolves or checks them again (a saved quote prints as it was quoted).
    ``interval``: a plan of the sheet's bare interval (:func:`_saved_plan`). Keys a quote of
    an older version did not save take what that version did: ``with`` none (0.1.0), the
    paying keys none (before 0.2.0), ``phased`` False (before 0.3: such a quote's GFE infers
    it from the sheet, :func:`replay_request`). Raises KeyError, TypeError or ValueError on
    data that is not such inputs."""
    price = data["price"]
    until = data["until"]
    return EstimateRequest(
        start=date.fromisoformat(data["start"]),
        condition=data["condition"],
        sessions=data["sessions"],
        weeks=data["weeks"],
        phased=data.get("phased", False),
        price=None
        if price is None
        else PriceRange(low=D(price["low"]), typical=D(price["typical"]), high=D(price["high"])),
        maintenance=_saved_plan(data["maintenance"], interval),
        months=data["months"],
        until=None if until is None else date.fromisoformat(until),
        ride=D(data["ride"]),
        coverage=coverage_from_data(data["coverage"]),
        without=tuple(data["without"]),
        with_=tuple(data.get("with", ())),
        paying=paying_from_data(data),
    )


SAVED_KEYS = ("condition", "sessions", "weeks", "price", "maintenance", "months", "start")
"""What every saved quote's inputs hold since 0.1.0 (``without`` too)."""

REPLAYED = (*SAVED_KEYS, "without", "with", "phased")
"""What a Good Faith Estimate of a saved quote takes from its inputs: the clinic's
charges, not its coverage, rides or paying."""


def _phased_before_it_was_saved(sheet: PriceSheet, inputs: Mapping[str, Any]) -> bool:
    """Whether a quote saved before ``phased`` was (0.1, 0.2) had a phased induction, as
    those versions replayed it: a treatment with phases whose own sessions and weeks were
    saved (they were filled in either way; such totals asked for spelled out replay as the
    phases too, docs/gfe.md)."""
    key = inputs.get("treatment")
    try:
        treatment = sheet.treatment(key) if isinstance(key, str) else None
    except LookupError:
        treatment = None  # the request names the condition at fault
    if treatment is None:
        return False
    own = (treatment.induction_sessions, treatment.induction_weeks)
    return bool(treatment.phases) and (inputs["sessions"], inputs["weeks"]) == own


def _without_months(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "months"}


def replay_request(sheet: PriceSheet, today: date, inputs: Mapping[str, Any]) -> EstimateRequest:
    """The request a saved quote's ``inputs`` (its JSON) describe, on ``sheet``: the
    treatment, schedule, plan, price, ``without`` and ``with`` it was quoted with (a quote
    saved before ``with`` existed asked for none). Its coverage, rides and paying are left
    out: a Good Faith Estimate lists the clinic's charges only. Raises EstimateError
    naming ``quote`` when the inputs cannot be read or no longer fit the sheet."""
    if not isinstance(inputs, Mapping) or any(k not in inputs for k in (*SAVED_KEYS, "without")):
        raise EstimateError("the quote's saved inputs cannot be read", "quote")
    data = {key: inputs[key] for key in REPLAYED if key in inputs}
    if "phased" not in data:
        data["phased"] = _phased_before_it_was_saved(sheet, inputs)
    # Every quote saves its months, with no boosters too (where they change nothing): the
    # request takes them back as saved, not as months asked for.
    no_boosters = str(data["maintenance"]).strip().lower() == "none"
    try:
        request = request_from_data(sheet, today, _without_months(data) if no_boosters else data)
        if no_boosters:
            request = replace(request, months=plain.count(data, "months") or 0)
    except plain.PlainError:
        raise EstimateError("the quote's saved inputs cannot be read", "quote") from None
    except EstimateError as error:
        raise EstimateError(f"the quote's {error.field or 'inputs'}: {error}", "quote") from None
    if not is_self_pay(inputs.get("coverage")):
        raise EstimateError(f"the quote uses insurance: {SELF_PAY_ONLY}", "quote")
    return request
