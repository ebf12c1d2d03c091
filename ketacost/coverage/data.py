"""A patient's plan as plain data and back (a report's ``inputs.coverage``, docs/json.md).

:func:`coverage_data` and :func:`coverage_from_data` are inverses, with the
out-of-pocket amount met filled in as the figures use it (a report stores it so). The
reader also takes a web form's text, a batch row's cells and a plan given in part (the
fields left out take the defaults the options have), through the same builder as the
command line (:func:`ketacost.coverage.build.build_coverage`), so the same values are
refused with the same field-named errors. Each field is written and read as its kind
says (:data:`ketacost.coverage.fields.FIELDS`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ketacost import plain
from ketacost.coverage.build import build_coverage
from ketacost.coverage.fields import FIELDS, KEYS, MAX_CODES, Field
from ketacost.coverage.shares import Coverage
from ketacost.money import MoneyError, money_str, parse_money, percent_str

Data = dict[str, Any]
_KNOWN = frozenset(KEYS)


def _written(field: Field, value: Any) -> Any:
    """One field's value as plain data (None stays None)."""
    if value is None:
        return None
    if field.kind == "money":
        return money_str(value)
    if field.kind in ("percent", "percent_of"):
        return percent_str(value)
    if field.kind == "month_day":
        month, day = value
        return f"{month:02d}-{day:02d}"
    if field.kind == "codes":
        return {code: money_str(amount) for code, amount in value}
    return value  # a choice's word, a number of days


def coverage_data(cov: Coverage | None) -> Data | None:
    """The plan as plain data; None for self-pay. The fields every version saved are
    always written, the others only when they differ from the plan's default
    (docs/refunds.md), so a plan without them is saved as before ketacost 0.3."""
    if cov is None:
        return None
    found: Data = {}
    for field in FIELDS:
        value = cov.starting_oop if field.name == "oop_met" else getattr(cov, field.name)
        if field.always_saved or value != _DEFAULT[field.name]:
            found[field.name] = _written(field, value)
    return found


_DEFAULT = {name: spec.default for name, spec in Coverage.__dataclass_fields__.items()}
"""Each field's value in a plan that does not give it."""


def _codes(data: plain.Plain, key: str) -> tuple[tuple[str, Decimal], ...] | None:
    """Amounts per service code: a table of codes and amounts."""
    table = data.get(key)
    if not table:
        return None
    if not isinstance(table, dict):
        raise plain.PlainError("must be a table of service codes and amounts", key)
    if len(table) > MAX_CODES:
        raise plain.PlainError(f"gives more than {MAX_CODES} codes", key)
    return tuple((str(code), _amount(key, amount)) for code, amount in table.items())


def _amount(key: str, amount: Any) -> Decimal:
    """An amount of a table per code, read as every amount is (``parse_money``)."""
    if isinstance(amount, bool) or not isinstance(amount, str | int | Decimal):
        raise plain.PlainError("must give an amount for each code", key)
    try:
        return parse_money(str(amount))
    except MoneyError:
        raise plain.PlainError("must give an amount for each code", key) from None


def _read(field: Field, data: plain.Plain, typed: bool) -> Any:
    """One field's value from plain data, as its kind says; None when not given."""
    key = field.name
    if field.kind == "money":
        return plain.money(data, key)
    if field.kind == "percent":
        return plain.typed_percent(data, key) if typed else plain.percent(data, key)
    if field.kind == "percent_of":
        return plain.percent_of(data, key, Decimal(field.most or 0))
    if field.kind == "month_day":
        return plain.month_day(data, key)
    if field.kind == "days":
        return plain.count(data, key)
    if field.kind == "codes":
        return _codes(data, key)
    return plain.choice(data, key, tuple(value for value, _ in field.choices))


def coverage_from_data(data: plain.Plain | None, *, typed: bool = False) -> Coverage | None:
    """The plan :func:`coverage_data` wrote, or one a form gives (at least the
    deductible and coinsurance); None (self-pay) when no field is given. ``typed``: the
    values are what a person typed (a form's fields, a batch row's cells), held to the
    rules the command line's options are (a bare ``0.2`` coinsurance is ambiguous, an
    amount met needs its maximum); else the plan is read as ketacost saved it."""
    if data is None:
        return None
    plain.only(data, _KNOWN, "coverage")
    values = {field.name: _read(field, data, typed) for field in FIELDS if field.name in data}
    return build_coverage(saved=not typed, **values)
