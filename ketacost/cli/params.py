"""Click parameter types: user text in, domain values out, or a status-2 error naming
the option."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import click

from ketacost.coverage import parse_month_day
from ketacost.money import MoneyError, parse_money, parse_percent
from ketacost.payment import FinanceTerms
from ketacost.schedule import Maintenance, ScheduleError, parse_maintenance
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
        try:
            return parse_month_day(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class FinanceType(click.ParamType):
    """A payment plan, ``MONTHS`` or ``MONTHS@APR``: ``12``, ``24@17.99``, ``24@17.99%``."""

    name = "MONTHS[@APR]"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> FinanceTerms:
        if isinstance(value, FinanceTerms):
            return value
        months, at, apr = str(value).strip().partition("@")
        if not re.fullmatch(r"\d{1,4}", months.strip()) or (at and not apr.strip()):
            self.fail(f"{value!r} is not a payment plan (use MONTHS or MONTHS@APR, "
                      "e.g. 12 or 24@17.99)", param, ctx)
        try:
            rate = parse_percent(apr) if apr.strip() else Decimal(0)
        except MoneyError as error:
            self.fail(f"the APR in {value!r}: {error}", param, ctx)
        try:
            return FinanceTerms(int(months), rate)
        except ValueError as error:
            self.fail(str(error), param, ctx)


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


class OptionalType(click.ParamType):
    """Another type's value, or ``none`` (also blank or ``no``) for none at all, e.g. no
    out-of-pocket maximum, no HSA, no payment plan (the wizard's answers)."""

    def __init__(self, inner: click.ParamType) -> None:
        self.inner = inner
        self.name = f"{inner.name} or none"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if value is None or str(value).strip().lower() in ("", "none", "no"):
            return None
        return self.inner.convert(value, param, ctx)


class MaintenanceType(click.ParamType):
    """A booster plan: ``none``, ``every 4 weeks`` (``4w``), ``monthly``, or a plan named
    in the price sheet given to the type."""

    name = "plan"

    def __init__(self, plans: Mapping[str, Maintenance] | None = None) -> None:
        self.plans = dict(plans or {})

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Maintenance:
        if isinstance(value, Maintenance):
            return value
        try:
            return parse_maintenance(str(value), self.plans)
        except ScheduleError as error:
            self.fail(str(error), param, ctx)
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
OPTIONAL_MONEY = OptionalType(MONEY)
MAINTENANCE = MaintenanceType()
PERCENT = PercentType()
DATE = DateType()
MONTH_DAY = MonthDayType()
PRICE_RANGE = RangeType()
FINANCE = FinanceType()
DATE_OF_BIRTH = DateOfBirthType()
PERSON = PersonType()
ICD10 = Icd10Type()
