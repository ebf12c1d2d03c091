"""What a person types, as domain values: dates, a plan year's start, price ranges,
counts, payment plans, and a patient's name, date of birth and diagnosis codes.

Pure parsers shared by the command line (its ParamTypes call these) and batch files
(which read the same values from CSV cells). Money and percentages are in
:mod:`ketacost.money`, maintenance plans in :mod:`ketacost.schedule.sessions`. Each raises
:class:`ParseError` with a message fit to show the user after the field's name.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ketacost.money import MoneyError, parse_money, parse_percent
from ketacost.paying.financing import FinanceTerms
from ketacost.sheet.model import PriceRange, PriceRangeError

# ASCII digits only: ``\d`` would also take Arabic-Indic or full-width digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_DAY = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")
_COUNT = re.compile(r"\+?([0-9]+)")
_FINANCE_MONTHS = re.compile(r"[0-9]{1,4}")
_ICD10 = re.compile(r"([A-Z][0-9][0-9A-Z])(?:\.?([0-9A-Z]{1,4}))?", re.ASCII)
MAX_COUNT_DIGITS = 9
"""A count has at most nine digits: it is never turned into a huge int."""
MAX_TEXT = 200
"""Longest text any of these parsers reads; longer text is refused before parsing."""

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The dates accepted (a start, the first day of a listing): a schedule of five years of
boosters after the last still ends far from the calendar's end (9999-12-31)."""


class ParseError(ValueError):
    """Text that is not the kind of value asked for."""


def shown(text: str, most: int = 40) -> str:
    """What was typed, quoted for a message: at most ``most`` characters of it."""
    return repr(text) if len(text) <= most else repr(text[:most]) + "..."


def parse_date(text: str) -> date:
    """An ISO calendar date from :data:`FIRST_DAY` to :data:`LAST_DAY`: ``2026-12-28``."""
    cleaned = text.strip()
    if not _DATE.fullmatch(cleaned):
        raise ParseError(f"{shown(text)} is not a date (use YYYY-MM-DD, e.g. 2026-12-28)")
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise ParseError(f"{shown(text)} is not a real date") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ParseError(f"{shown(text)} is outside the dates accepted ({FIRST_DAY} to {LAST_DAY})")
    return day


def parse_month_day(text: str) -> tuple[int, int]:
    """A day of the year, ``MM-DD`` (a plan year's start); 02-29 is accepted."""
    match = _MONTH_DAY.fullmatch(text.strip()) if len(text) <= MAX_TEXT else None
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            date(2024, month, day)  # a leap year, so 02-29 is a day
        except ValueError:
            pass
        else:
            return month, day
    raise ParseError(f"{shown(text)} is not a month and day (use MM-DD, e.g. 07-01)")


def parse_price_range(text: str) -> PriceRange:
    """``LOW-HIGH``: ``400-800`` or ``$400-$800``; the typical price is the midpoint."""
    parts = text.split("-") if len(text) <= MAX_TEXT else []
    if len(parts) != 2 or not all(part.strip() for part in parts):
        raise ParseError(f"{shown(text)} is not a range (use LOW-HIGH, e.g. 400-800)")
    return price_between(parts[0], parts[1])


def price_between(low_text: str, high_text: str) -> PriceRange:
    """A range from its two ends as typed; the low end must not be above the high."""
    try:
        low, high = parse_money(low_text), parse_money(high_text)
    except MoneyError as error:
        raise ParseError(str(error)) from None
    try:
        return PriceRange.between(low, high)
    except PriceRangeError:
        low_text, high_text = low_text.strip(), high_text.strip()
        raise ParseError(f"the low price {low_text} is above the high {high_text}") from None


def parse_count(text: str) -> int:
    """A whole number of sessions, weeks or months: ``6`` (ASCII digits, at most nine of
    them, so a huge number is refused before it is built). Limits are the caller's."""
    cleaned = text.strip()
    match = _COUNT.fullmatch(cleaned) if len(cleaned) <= MAX_TEXT else None
    if not match:
        raise ParseError(f"{shown(text)} is not a whole number")
    if len(match.group(1).lstrip("0")) > MAX_COUNT_DIGITS:
        raise ParseError(f"{shown(text)} is too large")
    return int(match.group(1))


def parse_finance(text: str) -> FinanceTerms:
    """A payment plan, ``MONTHS`` or ``MONTHS@APR``: ``12``, ``24@17.99``, ``24@17.99%``."""
    months, at, apr = text.strip().partition("@") if len(text) <= MAX_TEXT else ("", "", "")
    if not _FINANCE_MONTHS.fullmatch(months.strip()) or (at and not apr.strip()):
        raise ParseError(
            f"{shown(text)} is not a payment plan (use MONTHS or MONTHS@APR, e.g. 12 or 24@17.99)"
        )
    try:
        rate = parse_percent(apr) if apr.strip() else Decimal(0)
    except MoneyError as error:
        raise ParseError(f"the APR in {text!r}: {error}") from None
    try:
        return FinanceTerms(months=int(months), apr=rate)
    except ValueError as error:
        raise ParseError(str(error)) from None


def parse_date_of_birth(text: str) -> date:
    """A date of birth, ISO, from 1900 to today. Errors never repeat the value given
    (it is patient information)."""
    cleaned = text.strip()
    try:
        day = date.fromisoformat(cleaned) if _DATE.fullmatch(cleaned) else None
    except ValueError:
        day = None
    if day is None:
        raise ParseError("not a date of birth (use YYYY-MM-DD, e.g. 1980-04-30)")
    if not date(1900, 1, 1) <= day <= date.today():
        raise ParseError("a date of birth must be from 1900-01-01 to today")
    return day


PERSON_MAX_LENGTH = 200


def parse_person(text: str) -> str:
    """A person's name as typed, spaces tidied. Errors never repeat the value given."""
    if len(text) > 4 * PERSON_MAX_LENGTH:
        raise ParseError(f"is longer than {PERSON_MAX_LENGTH} characters")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ParseError("must not be empty")
    if len(cleaned) > PERSON_MAX_LENGTH:
        raise ParseError(f"is longer than {PERSON_MAX_LENGTH} characters")
    if any(not c.isprintable() for c in cleaned):
        raise ParseError("contains control characters")
    return cleaned


ITEM_MAX_LENGTH = 200
"""Longest item or service scheduled separately: a label on a Good Faith Estimate."""


def parse_item(text: str) -> str:
    """An item or service scheduled separately as typed, spaces tidied (blank: none). Too
    long text is refused before it is tidied; errors never repeat the value given."""
    if len(text) > 4 * ITEM_MAX_LENGTH:
        raise ParseError(f"is longer than {ITEM_MAX_LENGTH} characters")
    cleaned = " ".join(text.split())
    if len(cleaned) > ITEM_MAX_LENGTH:
        raise ParseError(f"is longer than {ITEM_MAX_LENGTH} characters")
    if any(not c.isprintable() for c in cleaned):
        raise ParseError("contains control characters")
    return cleaned


def parse_icd10(text: str) -> str:
    """An ICD-10 diagnosis code by its shape: ``F33.1``, ``G89.29`` (also ``f331``)."""
    cleaned = text.strip().upper()
    match = _ICD10.fullmatch(cleaned)
    if not match:
        raise ParseError(f"{shown(text.strip())} is not an ICD-10 code (e.g. F33.1 or G89.29)")
    return match.group(1) + (f".{match.group(2)}" if match.group(2) else "")
