"""One field of plain data read as a domain value: the readers the codecs share
(:mod:`ketacost.request_data`, :mod:`ketacost.paying.data`, :mod:`ketacost.coverage.data`).

Plain data is what JSON and forms carry: a saved quote's ``inputs`` hold numbers as
numbers and true/false as such, a web form's fields hold only text. Each reader takes
either: a count is ``12`` or ``"12"``, a yes/no is ``true`` or ``"true"``/``"yes"``/``"on"``,
and None or blank text means the field was not given. Money is text (``"1234.50"``, a form
may write ``"$1,234.50"``), a percentage is text in percent (``"20"`` or ``"20%"``: 20%,
``"0.5"``: half a percent, as the JSON writes it), a date ISO 8601 text.

A value that cannot be read raises :class:`PlainError`, an EstimateError naming the
field (its key), like any other bad value of a request.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ketacost.errors import EstimateError
from ketacost.money import (
    MoneyError,
    parse_money,
    parse_percent,
    parse_percent_of,
    percent_from_str,
)
from ketacost.parse import ParseError, parse_count, parse_date, parse_month_day, shown

# Cached: a batch of rows, a log of quotes repeats its amounts, percentages, counts and
# dates, and every value read is immutable. Bounded, so memory stays flat.
_CACHE_SIZE = 1024
_money = lru_cache(maxsize=_CACHE_SIZE)(parse_money)
_percent = lru_cache(maxsize=_CACHE_SIZE)(percent_from_str)
_typed_percent = lru_cache(maxsize=_CACHE_SIZE)(parse_percent)
_count = lru_cache(maxsize=_CACHE_SIZE)(parse_count)
_date = lru_cache(maxsize=_CACHE_SIZE)(parse_date)
_month_day = lru_cache(maxsize=_CACHE_SIZE)(parse_month_day)


class PlainError(EstimateError):
    """A value of plain data that cannot be read as its field's (``field`` names it)."""


Plain = Mapping[str, Any]
"""Plain data: text keys, and values of text, numbers, true/false, lists, None or more
plain data."""

MAX_TEXT = 200
"""Longest text read: a longer value is refused before any parser sees it."""

_YES = ("true", "yes", "on", "1")
_NO = ("false", "no", "off", "0")


def given(data: Plain, key: str) -> bool:
    """Whether ``key`` holds a value: present, not None and not blank text."""
    value = data.get(key)
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text_of(data: Plain, key: str) -> str | None:
    """The value as text (a number given as a number, too), None when not given."""
    value = data.get(key)
    if value is None:
        return None  # the usual field not given, decided at once (a batch reads many)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None  # blank: not given
    elif isinstance(value, bool) or not isinstance(value, int):
        raise PlainError(f"{shown(repr(value))} is not text", key)
    else:
        text = str(value)
    if len(str(value)) > MAX_TEXT:
        raise PlainError(f"is longer than {MAX_TEXT} characters", key)
    return text


def text(data: Plain, key: str) -> str | None:
    return _text_of(data, key)


def choice(data: Plain, key: str, choices: Sequence[str]) -> str | None:
    """One of ``choices`` (any case), or None."""
    value = _text_of(data, key)
    if value is None:
        return None
    if value.lower() not in choices:
        raise PlainError(f"{shown(value)} is not one of {', '.join(choices)}", key)
    return value.lower()


def money(data: Plain, key: str) -> Decimal | None:
    value = data.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise PlainError('an amount is written as text (e.g. "450.00"), not a number', key)
    written = _text_of(data, key)
    try:
        return None if written is None else _money(written)
    except MoneyError as error:
        raise PlainError(str(error), key) from None


def percent(data: Plain, key: str) -> Decimal | None:
    """A percentage written in percent (``"20"``, ``"20%"``, ``"17.99"``), as a fraction."""
    written = _text_of(data, key)
    try:
        return None if written is None else _percent(written)
    except MoneyError as error:
        raise PlainError(str(error), key) from None


def typed_percent(data: Plain, key: str) -> Decimal | None:
    """A percentage as a person types it, read as the command line reads it: ``"20"`` or
    ``"20%"``; a bare ``"0.2"`` is refused as ambiguous (20%? write ``0.2%`` for two
    tenths of a percent), where :func:`percent` reads saved data's ``"0.2"`` as 0.2%."""
    written = _text_of(data, key)
    try:
        return None if written is None else _typed_percent(written)
    except MoneyError as error:
        raise PlainError(str(error), key) from None


def percent_of(data: Plain, key: str, most: Decimal) -> Decimal | None:
    """A percent of a reference figure, above 0 and at most ``most`` percent (``"150"``:
    150% of Medicare's fee), as the multiple it means (``1.5``)."""
    written = _text_of(data, key)
    try:
        return None if written is None else parse_percent_of(written, most)
    except MoneyError as error:
        raise PlainError(str(error), key) from None


def count(data: Plain, key: str) -> int | None:
    """A whole number: ``12`` or ``"12"``."""
    written = _text_of(data, key)
    try:
        return None if written is None else _count(written)
    except ParseError as error:
        raise PlainError(str(error), key) from None


def flag(data: Plain, key: str) -> bool:
    """Yes or no: true/false, or text a form sends (``on``, ``yes``, ``1``); not given: no."""
    value = data.get(key)
    if isinstance(value, bool):
        return value
    written = _text_of(data, key)
    if written is None or written.lower() in _NO:
        return False
    if written.lower() in _YES:
        return True
    raise PlainError(f"{shown(written)} is not yes or no (true or false)", key)


def day(data: Plain, key: str) -> date | None:
    """An ISO date, ``2026-12-28``."""
    written = _text_of(data, key)
    try:
        return None if written is None else _date(written)
    except ParseError as error:
        raise PlainError(str(error), key) from None


def month_day(data: Plain, key: str) -> tuple[int, int] | None:
    """A day of the year, ``MM-DD``."""
    written = _text_of(data, key)
    try:
        return None if written is None else _month_day(written)
    except ParseError as error:
        raise PlainError(str(error), key) from None


def keys(data: Plain, key: str) -> tuple[str, ...]:
    """Keys of a sheet (fees, discounts): a list of text (as the JSON keeps them), or one
    text separated by spaces or commas (a form's field)."""
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.replace(";", " ").replace(",", " ").split()
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise PlainError(f"{shown(repr(value))} is not a list of keys", key)
    if len(items) > MAX_TEXT or not all(isinstance(i, str) and len(i) <= MAX_TEXT for i in items):
        raise PlainError("is not a list of keys", key)
    return tuple(items)


def only(data: Plain, known: Collection[str], where: str | None = None) -> None:
    """Refuse a key that is not one of ``known`` (a misspelt field would otherwise be a
    default taken silently); the error names the key, or ``where`` it was given."""
    for key in data:
        if key not in known:
            shown_key = shown(str(key))
            raise PlainError(f"{shown_key} is not a field of a request", where or str(key))


def nested(data: Plain, key: str) -> Plain | None:
    """A part of the data given as plain data of its own (``coverage``, ``finance``);
    None (or blank) when not given."""
    if not given(data, key):
        return None
    value = data[key]
    if not isinstance(value, Mapping):
        raise PlainError(f"{shown(repr(value))} is not a group of fields", key)
    return value
