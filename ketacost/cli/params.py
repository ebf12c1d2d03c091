"""Click parameter types: user text in, domain values out, or a status-2 error naming
the option. The parsing itself is pure and lives in the core (:mod:`ketacost.parse`,
:mod:`ketacost.money`, :mod:`ketacost.schedule.sessions`), shared with batch files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import click

from ketacost.money import parse_money, parse_percent, parse_percent_of
from ketacost.parse import (
    ParseError,
    parse_count,
    parse_date,
    parse_date_of_birth,
    parse_finance,
    parse_icd10,
    parse_item,
    parse_month_day,
    parse_person,
    parse_price_range,
)
from ketacost.sheet.model import PriceRange


def utf8(text: str) -> bool:
    """Whether ``text`` is text: bytes typed that are not UTF-8 reach a program as
    surrogates (``$'a\\xffb'``), which no file or quote log written as UTF-8 can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Parsed(click.ParamType):
    """A type made from a pure parser: its ValueError (MoneyError, ParseError,
    ScheduleError) becomes a status-2 error naming the option. A value that already has
    the domain type (a default, or a value set by a program) passes through."""

    def __init__(self, name: str, parse: Callable[[str], Any], already: type | None = None) -> None:
        self.name = name
        self.parse = parse
        self.already = already

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if self.already is not None and isinstance(value, self.already):
            return value
        try:
            return self.parse(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class Count(click.IntRange):
    """A whole number in a range, as :class:`click.IntRange` (same help), but read by the
    core's :func:`~ketacost.parse.parse_count`: ASCII digits only, and at most nine of
    them, so ``99999999999999999999`` or ``\uff11\uff12\uff13`` is refused before any
    number is built."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            try:
                value = parse_count(value)
            except ParseError as error:
                self.fail(str(error), param, ctx)
        return super().convert(value, param, ctx)


class OutputFile(click.Path):
    """A file to write (``-o``), as :class:`click.Path`; an empty name is refused here,
    before the command does anything (``Path("")`` would quietly become ``.``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail("must name a file (or - for standard output)", param, ctx)
        return super().convert(value, param, ctx)


MONEY = Parsed("amount", parse_money, Decimal)
PERCENT = Parsed("percent", parse_percent, Decimal)
DATE = Parsed("date", parse_date, date)


def percent_of(most: Decimal) -> Parsed:
    """A percent of a reference figure, above 0 and at most ``most`` percent (``150``)."""
    return Parsed("percent", lambda text: parse_percent_of(text, most), Decimal)


MONTH_DAY = Parsed("MM-DD", parse_month_day, tuple)
PRICE_RANGE = Parsed("LOW-HIGH", parse_price_range, PriceRange)
FINANCE = Parsed("MONTHS[@APR]", parse_finance)
# Patient information: these parsers' errors never repeat the value given.
DATE_OF_BIRTH = Parsed("date", parse_date_of_birth, date)
PERSON = Parsed("name", parse_person)


class FromStdin(str):
    """``-`` given for a patient's name or date of birth: read it from standard input
    (see :func:`ketacost.cli.decorators.patient_options`), never from the command line,
    where every local user can read it in the process list."""


class PatientValue(Parsed):
    """A patient's name or date of birth, or ``-`` (a :class:`FromStdin`) to read it from
    standard input."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.strip() == "-":
            return FromStdin("-")
        return super().convert(value, param, ctx)


PATIENT_NAME = PatientValue("name", parse_person)
PATIENT_DOB = PatientValue("date", parse_date_of_birth, date)
ICD10 = Parsed("ICD10", parse_icd10)
ITEM = Parsed("TEXT", parse_item)


class LogTargetType(click.ParamType):
    """An SQLite file's path, or a PostgreSQL database as libpq names it (a
    ``postgresql://`` URL or a connection string such as ``service=clinic``), returned as
    the text itself; psycopg is loaded only for the latter."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path  # only a command that opens the log gets here

        if isinstance(value, Path):
            return value
        from ketacost.store.target import is_postgres

        text = str(value)
        if not is_postgres(text):
            return Path(text)
        from ketacost.store import StoreError
        from ketacost.store.postgres import check_conninfo

        try:
            check_conninfo(text)
        except StoreError as error:
            self.fail(str(error), param, ctx)
        return text
