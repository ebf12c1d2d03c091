"""Click parameter types: user text in, domain values out, or a status-2 error naming
the option."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import click

from ketacost.money import MoneyError, parse_money, parse_percent
from ketacost.parse import ParseError, parse_date, parse_month_day, parse_price_range
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
        try:
            return parse_date(str(value))
        except ParseError as error:
            self.fail(str(error), param, ctx)


class MonthDayType(click.ParamType):
    """A day of the year, ``MM-DD`` (a plan year's start)."""

    name = "MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        try:
            return parse_month_day(str(value))
        except ParseError as error:
            self.fail(str(error), param, ctx)


class RangeType(click.ParamType):
    """A price range ``LOW-HIGH``: ``400-800`` or ``$400-$800``."""

    name = "LOW-HIGH"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> PriceRange:
        if isinstance(value, PriceRange):
            return value
        try:
            return parse_price_range(str(value))
        except ParseError as error:
            self.fail(str(error), param, ctx)


MONEY = MoneyType()
PERCENT = PercentType()
DATE = DateType()
MONTH_DAY = MonthDayType()
PRICE_RANGE = RangeType()
