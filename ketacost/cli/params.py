"""Click parameter types: user text in, domain values out, or a status-2 error naming
the option."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import click

from ketacost.money import MoneyError, parse_money, parse_percent
from ketacost.sheet import PriceRange


class MoneyType(click.ParamType):
    """An amount of money: ``450``, ``$1,234.50``."""

    name = "amount"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return parse_money(str(value))
        except MoneyError as error:
            self.fail(str(error), param, ctx)


class PercentType(click.ParamType):
    """A percentage, ``20`` or ``20%``, as the fraction it means (0.20)."""

    name = "percent"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return parse_percent(str(value))
        except MoneyError as error:
            self.fail(str(error), param, ctx)


class DateType(click.ParamType):
    """A calendar date, ISO: ``2026-12-28``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{value!r} is not a date (use YYYY-MM-DD, e.g. 2026-12-28)", param, ctx)
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a real date", param, ctx)


class MonthDayType(click.ParamType):
    """A day of the year, ``MM-DD`` (a plan year's start)."""

    name = "MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            try:
                date(2024, month, day)  # a leap year, so 02-29 is a day
            except ValueError:
                pass
            else:
                return month, day
        self.fail(f"{value!r} is not a month and day (use MM-DD, e.g. 07-01)", param, ctx)


class RangeType(click.ParamType):
    """A price range ``LOW-HIGH``: ``400-800`` or ``$400-$800``."""

    name = "LOW-HIGH"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> PriceRange:
        if isinstance(value, PriceRange):
            return value
        parts = str(value).split("-")
        if len(parts) != 2:
            self.fail(f"{value!r} is not a range (use LOW-HIGH, e.g. 400-800)", param, ctx)
        try:
            low, high = parse_money(parts[0]), parse_money(parts[1])
        except MoneyError as error:
            self.fail(str(error), param, ctx)
        if low > high:
            self.fail(f"the low price {parts[0].strip()} is above the high {parts[1].strip()}",
                      param, ctx)
        return PriceRange.between(low, high)


class DateOfBirthType(click.ParamType):
    """A date of birth, ISO, not in the future. Errors never repeat the value given."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            day = None
        if day is None:
            self.fail("not a date of birth (use YYYY-MM-DD, e.g. 1980-04-30)", param, ctx)
        if not date(1900, 1, 1) <= day <= date.today():
            self.fail("a date of birth must be from 1900-01-01 to today", param, ctx)
        return day


class PersonType(click.ParamType):
    """A person's name as typed, trimmed. Errors never repeat the value given."""

    name = "name"
    MAX_LENGTH = 200

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = " ".join(str(value).split())
        if not text:
            self.fail("must not be empty", param, ctx)
        if len(text) > self.MAX_LENGTH:
            self.fail(f"is longer than {self.MAX_LENGTH} characters", param, ctx)
        if any(not c.isprintable() for c in text):
            self.fail("contains control characters", param, ctx)
        return text


class Icd10Type(click.ParamType):
    """An ICD-10 diagnosis code by its shape: ``F33.1``, ``G89.29`` (also ``f331``)."""

    name = "ICD10"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value).strip().upper()
        match = re.fullmatch(r"([A-Z][0-9][0-9A-Z])(?:\.?([0-9A-Z]{1,4}))?", text)
        if not match:
            self.fail(f"{str(value).strip()!r} is not an ICD-10 code (e.g. F33.1 or G89.29)",
                      param, ctx)
        return match.group(1) + (f".{match.group(2)}" if match.group(2) else "")


MONEY = MoneyType()
PERCENT = PercentType()
DATE = DateType()
MONTH_DAY = MonthDayType()
PRICE_RANGE = RangeType()
DATE_OF_BIRTH = DateOfBirthType()
PERSON = PersonType()
ICD10 = Icd10Type()
