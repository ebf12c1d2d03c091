"""Options shared by every command that estimates (estimate, quote, gfe, compare...),
and turning them into domain objects. Domain errors become click errors here."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from ketacost.cli.params import DATE, FINANCE, MONEY, MONTH_DAY, PERCENT, PRICE_RANGE

if TYPE_CHECKING:
    from ketacost.coverage import Coverage
    from ketacost.estimate import EstimateError, EstimateRequest
    from ketacost.payment import FinanceTerms
    from ketacost.sheet import PriceSheet

F = TypeVar("F", bound=Callable[..., Any])

SHEET_OPTION = click.option(
    "--sheet", type=click.Path(dir_okay=False), envvar="KETACOST_SHEET", show_envvar=True,
    help="A clinic's price sheet (TOML). [default: the sheet in the config directory (see "
         "'ketacost sheet init'), else built-in national averages]")

ESTIMATE_OPTIONS = [
    click.option("--condition", "-c", metavar="NAME",
                 help="What is treated: depression (also anxiety, ptsd, ocd) or pain, or a "
                      "treatment from the price sheet. [default: the sheet's default]"),
    click.option("--sessions", "-n", type=click.IntRange(min=1, max=100),
                 help="Induction sessions. [default: 6]"),
    click.option("--weeks", "-w", type=click.IntRange(min=1, max=52),
                 help="Weeks the induction series is spread over. [default: 2]"),
    click.option("--price", type=MONEY, metavar="AMOUNT",
                 help="One exact price per session, instead of the sheet's range."),
    click.option("--price-range", type=PRICE_RANGE,
                 help="A price range per session, e.g. 400-800 (typical: the midpoint)."),
    click.option("--maintenance", "-m", default="none", show_default=True, metavar="PLAN",
                 help='Boosters after induction: none, "every 4 weeks" (or 4w), monthly, '
                      "or a plan named in the price sheet."),
    click.option("--months", type=click.IntRange(min=0, max=60), default=12,
                 show_default=True, help="How long maintenance lasts after induction."),
    click.option("--start", type=DATE, help="Date of the first session. [default: today]"),
    click.option("--ride", type=MONEY, metavar="AMOUNT",
                 help="Cost of a ride home per session (no driving until the next day)."),
    click.option("--without", multiple=True, metavar="KEY",
                 help="Leave out an optional fee or conditional discount of the sheet."),
    SHEET_OPTION,
]

COVERAGE_OPTIONS = [
    click.option("--coverage", "coverage_file", type=click.Path(dir_okay=False),
                 metavar="FILE",
                 help="Your plan's figures in a TOML file (the options below override it)."),
    click.option("--network", type=click.Choice(["in", "out"]),
                 help="Insurance: in- or out-of-network (out: pay in full, get reimbursed)."),
    click.option("--deductible", type=MONEY, metavar="AMOUNT", help="Insurance deductible."),
    click.option("--deductible-met", type=MONEY, metavar="AMOUNT",
                 help="Deductible already met this plan year."),
    click.option("--copay", type=MONEY, metavar="AMOUNT",
                 help="Copay per visit (all claims on one date share it)."),
    click.option("--coinsurance", type=PERCENT, help="Coinsurance, e.g. 20 or 20%."),
    click.option("--oop-max", type=MONEY, metavar="AMOUNT", help="Out-of-pocket maximum."),
    click.option("--oop-met", type=MONEY, metavar="AMOUNT",
                 help="Out-of-pocket already paid this plan year. [default: deductible met]"),
    click.option("--allowed", type=MONEY, metavar="AMOUNT",
                 help="The plan's allowed amount per session. [default: the charge]"),
    click.option("--plan-year-start", type=MONTH_DAY,
                 help="When the plan year (deductible) resets, MM-DD. [default: 01-01]"),
]
PAYMENT_OPTIONS = [
    click.option("--hsa-rate", type=PERCENT, metavar="PCT",
                 help="Pay from an HSA/FSA: your marginal tax rate, e.g. 24 (after-tax cost)."),
    click.option("--finance", type=FINANCE,
                 help="A payment plan for the out-of-pocket cost: MONTHS or MONTHS@APR, "
                      "e.g. 12 or 24@17.99."),
    click.option("--deferred-interest", is_flag=True,
                 help='The plan is a "no interest if paid in full" promotion; the APR is '
                      "what is charged back if a balance remains."),
]


def _apply(options: list[Callable[[F], F]], function: F) -> F:
    for option in reversed(options):
        function = option(function)
    return function


def estimate_options(function: F) -> F:
    """Add the estimate, coverage and payment options to a command."""
    return _apply([*ESTIMATE_OPTIONS, *COVERAGE_OPTIONS, *PAYMENT_OPTIONS], function)


def config_sheet() -> str:
    """Where a clinic keeps its default sheet: ``<config dir>/ketacost/sheet.toml``."""
    return os.path.join(click.get_app_dir("ketacost"), "sheet.toml")


def sheet_path(path: str | os.PathLike[str] | None) -> str | None:
    """The sheet file in use: ``path`` (from --sheet, or KETACOST_SHEET through click),
    else the config directory's sheet if there is one, else None (the built-in sheet)."""
    if path is not None:
        return os.fspath(path)
    return config_sheet() if os.path.isfile(config_sheet()) else None


def resolve_sheet(path: str | os.PathLike[str] | None) -> PriceSheet:
    """--sheet (or KETACOST_SHEET), else the config directory's sheet, else the built-in.

    A sheet with problems is a usage error (status 2) naming the file and line."""
    from ketacost.sheet_load import SheetError, load_sheet

    path = sheet_path(path)
    try:
        return load_sheet(path)
    except SheetError as error:
        lines = error.lines()
        more = f" (and {len(lines) - 1} more: run 'ketacost sheet check {error.path}')" \
            if len(lines) > 1 else ""
        raise click.UsageError(f"bad price sheet: {lines[0]}{more}") from None


def _click_error(error: EstimateError) -> click.UsageError:
    """A domain error as the click error that names its option (status 2)."""
    if error.option is None:
        return click.UsageError(str(error))
    return click.BadParameter(str(error), param_hint=f"'{error.option}'")


def coverage_from(params: dict[str, Any]) -> Coverage | None:
    """Coverage from --coverage FILE and the coverage options (which override the file),
    or None (self-pay) when none is given. Errors name the option, or the file and line."""
    from ketacost.coverage import Coverage, CoverageError
    from ketacost.request import COVERAGE_KEYS, option_of

    given = {k: params[k] for k in COVERAGE_KEYS if params.get(k) is not None}
    loaded = None
    if params.get("coverage_file") is not None:
        from ketacost.coverage_file import CoverageFileError, load_coverage

        try:
            loaded = load_coverage(params["coverage_file"])
        except CoverageFileError as error:
            raise click.BadParameter(str(error), param_hint="'--coverage'") from None
    merged = {**(loaded.values if loaded else {}), **given}
    if not merged:
        return None
    try:
        return Coverage(**merged)
    except CoverageError as error:
        if error.field in given or loaded is None:
            raise click.BadParameter(str(error), param_hint=f"'{option_of(error.field)}'") from None
        raise click.BadParameter(f"{loaded.where(error.field)}: {error}",
                                 param_hint="'--coverage'") from None


def finance_from(params: dict[str, Any]) -> FinanceTerms | None:
    """The payment plan, a deferred-interest promotion when --deferred-interest is given."""
    terms: FinanceTerms | None = params.get("finance")
    if not params.get("deferred_interest"):
        return terms
    if terms is None or terms.apr == 0:
        raise click.BadParameter("needs the APR charged back, given with the plan: "
                                 "--finance MONTHS@APR (e.g. 12@26.99)",
                                 param_hint="'--deferred-interest'")
    return replace(terms, deferred=True)


def build_request(params: dict[str, Any], sheet: PriceSheet) -> EstimateRequest:
    """The estimate request the options describe, checked against the sheet."""
    from ketacost.estimate import EstimateError
    from ketacost.request import request_from
    from ketacost.sheet import PriceRange

    if params.get("price") is not None and params.get("price_range") is not None:
        raise click.UsageError("give --price or --price-range, not both")
    values = dict(params)
    if params.get("price") is not None:
        values["price"] = PriceRange.exact(params["price"])
    else:
        values["price"] = params.get("price_range")
    try:
        values["coverage"] = coverage_from(params)
        values["finance"] = finance_from(params)
        return request_from(values, sheet, date.today())
    except EstimateError as error:
        raise _click_error(error) from None


def run_estimate(params: dict[str, Any]) -> Any:
    """Resolve the sheet, build the request and estimate: the shared path of commands."""
    from ketacost.estimate import EstimateError, estimate

    sheet = resolve_sheet(params.get("sheet"))
    request = build_request(params, sheet)
    try:
        return estimate(request, sheet)
    except EstimateError as error:
        raise _click_error(error) from None


OutputPath = str | os.PathLike[str] | None
"""Where output goes: a file, or standard output (None or ``-``)."""


@contextmanager
def atomic_file(output: str | os.PathLike[str], *, private: bool = False,
                newline: str | None = None) -> Iterator[IO[str]]:
    """A file written whole or not at all: a temporary file beside ``output`` that
    replaces it only when the block ends without error (an error or an interrupt leaves
    ``output`` as it was). ``private`` creates it readable by its owner only."""
    target = os.fspath(output)
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                             0o600 if private else 0o666)
        handle = os.fdopen(descriptor, "w", encoding="utf-8", newline=newline)
    except OSError as error:
        raise click.FileError(target, error.strerror or str(error)) from None
    try:
        with handle:
            yield handle
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise click.FileError(target, error.strerror or str(error)) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_output(text: str, output: OutputPath, *, private: bool = False) -> None:
    """Write to a file atomically, or to standard output (None or ``-``)."""
    if output is None or os.fspath(output) == "-":
        click.echo(text, nl=False)
        return
    with atomic_file(output, private=private) as handle:
        try:
            handle.write(text)
        except OSError as error:
            raise click.FileError(os.fspath(output), error.strerror or str(error)) from None
