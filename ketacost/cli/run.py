"""From typed options to the core and back: build the request, estimate, and turn a
domain error (which names a field) into a usage error naming the option (status 2).

This is the one place that maps a field to its option: through click's own
``param.opts`` of the running command, so a message always names what the user typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import click

from ketacost.cli.groups import CoverageOptions, EstimateOptions
from ketacost.cli.sheets import resolve_sheet
from ketacost.coverage.build import build_coverage
from ketacost.coverage.file import CoverageFileError, load_coverage
from ketacost.coverage.shares import Coverage
from ketacost.estimate import Estimate, estimate
from ketacost.paying.how_paid import NO_PAYING, Paying
from ketacost.request import (
    EstimateError,
    EstimateRequest,
    MissingValue,
    NeedsAnother,
    build_request,
)
from ketacost.sheet.model import PriceSheet


def flag_of(field: str, ctx: click.Context | None = None) -> str | None:
    """The option (or argument) of the running command that gives ``field``:
    ``deductible_met`` -> ``--deductible-met``; None when the command has none."""
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return None
    for param in ctx.command.params:
        if param.name == field:
            if isinstance(param, click.Argument):
                return param.human_readable_name
            long = [opt for opt in param.opts if opt.startswith("--")]
            return (long or param.opts)[0]
    return None


def usage_error(message: str, field: str | None, missing: bool = False) -> click.UsageError:
    """A domain error as the click error that names its option (status 2): a value not
    given is a missing option, any other a bad value."""
    flag = flag_of(field) if field else None
    if flag is None:
        return click.UsageError(message)
    if missing:
        return click.MissingParameter(message, param_hint=f"'{flag}'", param_type="option")
    return click.BadParameter(message, param_hint=f"'{flag}'")


@contextmanager
def domain_errors() -> Iterator[None]:
    """Domain errors raised in the block become usage errors naming their option (a
    Good Faith Estimate's errors are estimate errors too)."""
    try:
        yield
    except EstimateError as error:
        missing = isinstance(error, MissingValue)
        raise usage_error(_worded(error), error.field, missing) from None


def _worded(error: EstimateError) -> str:
    """The error's message, naming any other field it asks for by its option."""
    flag = flag_of(error.needs) if isinstance(error, NeedsAnother) else None
    return error.naming(flag) if isinstance(error, NeedsAnother) and flag else str(error)


def coverage_of(plan: CoverageOptions | None) -> Coverage | None:
    """The patient's plan, or None (self-pay); a value that does not fit is a usage
    error naming its option."""
    if plan is None:
        return None
    loaded = None
    if plan.coverage_file is not None:
        try:
            loaded = load_coverage(plan.coverage_file)
        except CoverageFileError as error:
            raise usage_error(str(error), "coverage_file") from None
    with domain_errors():
        values = {key: value for key, value in plan._asdict().items() if key != "coverage_file"}
        return build_coverage(file=loaded, **values)


def request_of(
    sheet: PriceSheet,
    what: EstimateOptions,
    coverage: Coverage | None = None,
    paying: Paying = NO_PAYING,
) -> EstimateRequest:
    """The request the options describe, checked against the sheet."""
    with domain_errors():
        return build_request(
            sheet,
            date.today(),
            condition=what.condition,
            sessions=what.sessions,
            weeks=what.weeks,
            price=what.price,
            price_range=what.price_range,
            maintenance=what.maintenance,
            months=what.months,
            start=what.start,
            ride=what.ride,
            coverage=coverage,
            without=what.without,
            with_=what.with_,
            paying=paying,
        )


def estimate_of(
    what: EstimateOptions, coverage: Coverage | None = None, paying: Paying = NO_PAYING
) -> Estimate:
    """Resolve the sheet, build the request and estimate: the path every command shares."""
    sheet = resolve_sheet(what.sheet)
    request = request_of(sheet, what, coverage, paying)
    with domain_errors():
        result = estimate(request, sheet)
    return result
