"""``ketacost estimate``: the main job."""

from __future__ import annotations

import click

from ketacost.cli.decorators import (
    coverage_options,
    estimate_options,
    output_options,
)
from ketacost.cli.dispatch import View, emit_report, output_format
from ketacost.cli.grouping import given
from ketacost.cli.groups import EstimateOptions, Output
from ketacost.cli.payment_options import payment_options
from ketacost.cli.run import estimate_of
from ketacost.coverage.shares import Coverage
from ketacost.paying.how_paid import Paying
from ketacost.report.build import build_report
from ketacost.sheet.model import SCENARIOS, Scenario


@click.command()
@estimate_options()
@coverage_options
@payment_options
@click.option(
    "--by-session",
    is_flag=True,
    help="One row per session: charge, allowed, deductible, copay, coinsurance, who pays what.",
)
@click.option(
    "--by-month",
    is_flag=True,
    help="One row per calendar month, with a chart of what you pay each month.",
)
@click.option(
    "--scenario",
    type=click.Choice(SCENARIOS),
    default="typical",
    show_default=True,
    help="The scenario that --by-session and the payment lines describe.",
)
@output_options(
    what="Write to this file instead of the screen (.html: a printable page; .pdf: the "
    "same page as a PDF, with the extra ketacost[pdf]; .svg: the monthly chart)."
)
def estimate(
    what: EstimateOptions,
    coverage: Coverage | None,
    paying: Paying,
    by_session: bool,
    by_month: bool,
    scenario: Scenario,
    out: Output,
) -> None:
    """Estimate the cost of a course of ketamine treatment.

    Prices every session at the low, typical and high per-session price of the price
    sheet (built-in: US national averages) and shows what the clinic charges, what
    insurance pays and what you pay.

    \b
    Examples:
      ketacost estimate
      ketacost estimate --condition pain --sessions 6 --maintenance "every 4 weeks"
      ketacost estimate --start 2026-12-28 --ride 25 --format json
      ketacost estimate --deductible 1500 --coinsurance 20 --oop-max 2000 --by-session
      ketacost estimate --coverage my-plan.toml --hsa-rate 24 --finance 12@17.99
      ketacost estimate --maintenance 4w --by-month
      ketacost estimate --maintenance 4w -o estimate.html
      ketacost estimate --maintenance 4w -o estimate.pdf
    """
    if by_session and by_month:
        raise click.UsageError("give --by-session or --by-month, not both")
    if given("scenario") and not by_session and paying.hsa_rate is None and paying.finance is None:
        raise click.BadParameter(
            "picks the scenario that --by-session, --hsa-rate and --finance describe; "
            "give one of them",
            param_hint="'--scenario'",
        )
    view: View = "session" if by_session else "month" if by_month else "summary"
    kind = output_format(out.fmt, out.path)
    if view == "session" and kind in ("html", "svg", "pdf"):
        raise click.UsageError(
            f"--by-session is drawn as a table, CSV, Markdown or JSON, not {kind.upper()}"
        )
    report = build_report(estimate_of(what, coverage, paying), scenario)
    emit_report(report, kind, out.path, view=view, scenario=scenario)
