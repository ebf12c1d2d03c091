"""The typed values a command receives for each group of shared options (declared in
:mod:`ketacost.cli.decorators`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

from ketacost.sheet.model import PriceRange


class EstimateOptions(NamedTuple):
    """What is estimated: the treatment, its schedule, the prices and other costs."""

    condition: str | None = None
    sessions: int | None = None
    weeks: int | None = None
    price: Decimal | None = None
    price_range: PriceRange | None = None
    maintenance: str | None = None
    months: int | None = None
    """None: not given (the request's default, and no boosters is no question)."""
    start: date | None = None
    without: tuple[str, ...] = ()
    with_: tuple[str, ...] = ()
    sheet: str | None = None
    ride: Decimal | None = None


class Repeated(NamedTuple):
    """The options compare takes more than once, one option compared per value."""

    condition: tuple[str, ...] = ()
    sessions: tuple[int, ...] = ()
    maintenance: tuple[str, ...] = ()


class CoverageOptions(NamedTuple):
    """The patient's health plan: a coverage file and the values that override it."""

    coverage_file: str | None = None
    network: Literal["in", "out"] | None = None
    deductible: Decimal | None = None
    deductible_met: Decimal | None = None
    copay: Decimal | None = None
    coinsurance: Decimal | None = None
    oop_max: Decimal | None = None
    oop_met: Decimal | None = None
    allowed: Decimal | None = None
    plan_year_start: tuple[int, int] | None = None
    medicare_percent: Decimal | None = None
    claim_days: int | None = None
    filing_limit: int | None = None


class Output(NamedTuple):
    """Where and how a command writes: a format (None: from the file's suffix) and a file
    (None: the screen)."""

    fmt: str | None
    path: str | None


class PatientOptions(NamedTuple):
    """Who a saved quote or Good Faith Estimate is for, and who prepared it."""

    patient: str | None
    dob: date | None
    prepared_by: str | None
    replaces: str | None
    desk: str | None = None
