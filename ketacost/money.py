"""Money: one constructor, one rounding rule, no floats (docs/money.md).

Every amount in ketacost is a :class:`decimal.Decimal` made by :func:`D` or parsed by
:func:`parse_money`. Amounts are rounded to cents with ``ROUND_HALF_UP`` by :func:`cents`
at defined points (each line item); totals are sums of rounded lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Money = Decimal
"""An amount in US dollars. Always a Decimal; the alias names intent in signatures."""

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MAX_AMOUNT = Decimal("10000000")
"""Largest single amount accepted from a user or a sheet: ten million dollars."""

MAX_TEXT = 40
"""Longest text read as an amount or a percentage (``$10,000,000.00`` is 14 characters):
longer text is refused before it is parsed, so no huge number is ever built."""

# ASCII digits only: ``\d`` would also take Arabic-Indic or full-width digits.
_MONEY = re.compile(r"^\$?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?$")
_PERCENT = re.compile(r"^([0-9]{1,3}(?:\.[0-9]{1,6})?)\s*(%?)$")
_PERCENT_OF = re.compile(r"^([0-9]{1,4}(?:\.[0-9]{1,6})?)\s*(%?)$")
"""A percent of a reference figure may reach four digits (1,000% of Medicare's fee)."""
_TENTHS = (
    "one tenth",
    *(f"{n} tenths" for n in ("two", "three", "four", "five", "six", "seven", "eight", "nine")),
)


class MoneyError(ValueError):
    """A value that is not an acceptable amount of money or percentage."""


def D(value: str | int | Decimal) -> Decimal:
    """The one constructor for numbers in money code. Floats are refused outright."""
    if isinstance(value, (bool, float)):
        raise TypeError(f"money must not be built from {type(value).__name__}: {value!r}")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise MoneyError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise MoneyError(f"not a finite number: {value!r}")
    return result


def cents(amount: Decimal) -> Decimal:
    """Round an amount to whole cents, half up (the only rounding rule for money)."""
    # quantize(exp, rounding): the rounding mode given positionally, which is measurably
    # faster, and this runs dozens of times per estimate, millions of times in a batch.
    return amount.quantize(CENTS, ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """Sum rounded amounts; the result is in cents and equals the sum of the parts."""
    return cents(sum(amounts, ZERO))


def parse_money(text: str) -> Decimal:
    """Parse what a person types for an amount: ``450``, ``$1,234.50``, ``99.9``.

    Refuses negatives, more than two decimals, exponents, NaN and absurd sizes.
    """
    cleaned = text.strip()
    if len(cleaned) > MAX_TEXT or not _MONEY.match(cleaned):
        raise MoneyError(f"{_shown(text)} is not an amount of money (e.g. 450 or $1,234.50)")
    amount = Decimal(cleaned.lstrip("$").replace(",", ""))
    if amount > MAX_AMOUNT:
        raise MoneyError(f"{text!r} is more than the largest amount accepted ($10,000,000)")
    return cents(amount)


def check_amount(value: Decimal, *, allow_zero: bool = True) -> Decimal:
    """Validate an amount read from a file (already a Decimal): finite, >= 0, in range."""
    if not value.is_finite():
        raise MoneyError("is not a finite number")
    if value < 0:
        raise MoneyError("must not be negative")
    if not allow_zero and value == 0:
        raise MoneyError("must be more than zero")
    if value > MAX_AMOUNT:
        raise MoneyError("is more than the largest amount accepted ($10,000,000)")
    if value != cents(value):
        raise MoneyError("has more than two decimals")
    return cents(value)


def _shown(text: str) -> str:
    """How a message quotes what was typed: at most :data:`MAX_TEXT` characters of it."""
    return repr(text) if len(text) <= MAX_TEXT else repr(text[:MAX_TEXT]) + "..."


def parse_percent(text: str) -> Decimal:
    """Parse ``20`` or ``20%`` (or ``17.99``) into the fraction it means (``0.20``).

    A bare number between 0 and 1 (``0.2``) is refused: it is far more often a fraction
    meant as 20% than two tenths of a percent, which is written ``0.2%``."""
    cleaned = text.strip()
    match = _PERCENT.match(cleaned) if len(cleaned) <= MAX_TEXT else None
    if not match:
        raise MoneyError(f"{_shown(text)} is not a percentage (e.g. 20 or 20%)")
    value = Decimal(match.group(1))
    if value > HUNDRED:
        raise MoneyError(f"{_shown(text)} is more than 100%")
    if not match.group(2):
        check_not_fraction(value, repr(match.group(1)), f"{match.group(1)}%")
    return value / HUNDRED


def parse_percent_of(text: str, most: Decimal) -> Decimal:
    """Parse a percent of a reference figure, which may be above 100 (``150`` or
    ``150%``: a plan allowing 150% of Medicare's fee), above 0 and at most ``most``
    percent, into the multiple it means (``1.5``)."""
    cleaned = text.strip()
    match = _PERCENT_OF.match(cleaned) if len(cleaned) <= MAX_TEXT else None
    if not match:
        raise MoneyError(f"{_shown(text)} is not a percentage (e.g. 150 or 150%)")
    value = Decimal(match.group(1))
    if not 0 < value <= most:
        raise MoneyError(f"{_shown(text)} must be above 0% and at most {most:,}%")
    return value / HUNDRED


def check_not_fraction(value: Decimal, shown: str, written: str) -> None:
    """Refuse a bare percentage between 0 and 1 (``shown`` as typed), with a hint:
    ``did you mean 20%? write 0.2% for two tenths of a percent`` (``written``: how to
    write the small percentage instead)."""
    if not 0 < value < 1:
        return
    exact = value.normalize()
    tenths = exact * 10
    small = (
        f"{_TENTHS[int(tenths) - 1]} of a percent"
        if tenths == tenths.to_integral_value()
        else f"{exact:f} percent"
    )
    meant = format_percent(value)
    raise MoneyError(f"{shown} is ambiguous: did you mean {meant}? write {written} for {small}")


def format_money(amount: Decimal) -> str:
    """Money for people: ``$1,234.50`` (``-$5.00`` when negative)."""
    rounded = cents(amount)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.2f}"


def money_str(amount: Decimal) -> str:
    """Money for machines (JSON, CSV): ``1234.50``, two decimals, no separators or symbol."""
    # A Decimal in cents prints as 1234.50, and fast; adding zero turns a negative zero
    # (a negated figure of nothing) into 0.00.
    return str(cents(amount) + ZERO)


def percent_str(fraction: Decimal) -> str:
    """A percentage for machines (JSON): ``0.1799`` -> ``"17.99"``; read back by
    :func:`percent_from_str`."""
    return format_percent(fraction).rstrip("%")


def percent_from_str(text: str) -> Decimal:
    """``"17.99"`` -> ``0.1799``: a saved percentage, as :func:`percent_str` writes it (0
    to 100, ``"0.2"`` being two tenths of a percent), as the fraction it means. Raises
    MoneyError for anything else."""
    cleaned = text.strip()
    match = _PERCENT.match(cleaned) if len(cleaned) <= MAX_TEXT else None
    if not match or Decimal(match.group(1)) > HUNDRED:
        raise MoneyError(f"{_shown(text)} is not a percentage from 0 to 100")
    return Decimal(match.group(1)) / HUNDRED


def format_percent(fraction: Decimal) -> str:
    """``0.2`` -> ``20%``; ``0.1799`` -> ``17.99%``."""
    value = (fraction * HUNDRED).normalize()
    text = f"{value:f}"
    return f"{text}%"
