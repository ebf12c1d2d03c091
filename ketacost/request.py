"""From already-parsed values to an estimate request, checked against a price sheet.

Shared by the command line (values from its options) and batch files (values from CSV
cells), so both apply the same defaults and the same checks. Problems raise
:class:`~ketacost.estimate.EstimateError` naming the option at fault (``--maintenance``),
or no option when several values contradict each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ketacost.coverage import Coverage, CoverageError
from ketacost.estimate import DEFAULT_MONTHS, EstimateError, EstimateRequest
from ketacost.money import ZERO
from ketacost.schedule import ScheduleError, parse_maintenance
from ketacost.sheet import PriceSheet

COVERAGE_KEYS = ("network", "deductible", "deductible_met", "copay", "coinsurance",
                 "oop_max", "oop_met", "allowed", "plan_year_start")
"""The values that describe insurance; when none is given the patient pays for themself."""


def coverage_from(values: Mapping[str, Any]) -> Coverage | None:
    """Coverage from the coverage values given, or None (self-pay) when none is. An error
    names the option of the value at fault (``--deductible-met``)."""
    given = {k: values[k] for k in COVERAGE_KEYS if values.get(k) is not None}
    if not given:
        return None
    try:
        return Coverage(**given)
    except CoverageError as error:
        raise EstimateError(str(error), option_of(error.field)) from None


def option_of(field: str) -> str:
    """The option that gives a value: ``deductible_met`` -> ``--deductible-met``."""
    return "--" + field.replace("_", "-")


def request_from(values: Mapping[str, Any], sheet: PriceSheet, today: date) -> EstimateRequest:
    """The request the values describe. Keys are the option names (``deductible_met``);
    a missing or None value means the default. ``price`` is a PriceRange (exact or not),
    ``maintenance`` the plan as typed, ``start`` defaults to ``today``; ``coverage``, when
    present, is the Coverage already built (else it is built from the coverage values),
    ``finance`` a FinanceTerms."""
    try:
        maintenance = parse_maintenance(values.get("maintenance") or "none",
                                        sheet.named_plans())
    except ScheduleError as error:
        raise EstimateError(str(error), "--maintenance") from None
    condition = values.get("condition")
    if condition is not None:
        try:
            sheet.treatment(condition)
        except LookupError as error:
            raise EstimateError(str(error.args[0]), "--condition") from None
    months = values.get("months")
    return EstimateRequest(
        start=values.get("start") or today, condition=condition,
        sessions=values.get("sessions"), weeks=values.get("weeks"), price=values.get("price"),
        maintenance=maintenance, months=DEFAULT_MONTHS if months is None else months,
        ride=values.get("ride") or ZERO,
        coverage=values["coverage"] if "coverage" in values else coverage_from(values),
        without=tuple(values.get("without") or ()), hsa_rate=values.get("hsa_rate"),
        finance=values.get("finance"), until=values.get("until"))
