"""``ketacost estimate``: the main job."""

from __future__ import annotations

import os
from typing import Any

import click

from ketacost.cli.options import estimate_options, run_estimate, write_output
from ketacost.sheet import SCENARIOS, Scenario

FORMATS = ("table", "json", "csv", "markdown")
SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


def output_format(fmt: str | None, output: str | None) -> str:
    """The --format given, else one implied by the output file's suffix, else a table."""
    if fmt:
        return fmt
    if output is not None:
        return SUFFIXES.get(os.path.splitext(output)[1].lower(), "table")
    return "table"


@click.command()
@estimate_options
@click.option("--by-session", is_flag=True,
              help="One row per session: charge, allowed, deductible, copay, coinsurance, "
                   "who pays what.")
@click.option("--scenario", type=click.Choice(SCENARIOS), default="typical", show_default=True,
              help="The scenario that --by-session and the payment lines describe.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Output format. [default: table, or from the -o file's suffix]")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file instead of the screen.")
def estimate(fmt: str | None, output: str | None, by_session: bool, scenario: Scenario,
             **params: Any) -> None:
    """Estimate the cost of a course of ketamine infusions.

    Prices every session at the low, typical and high per-session price of the price
    sheet (built-in: US national averages) and shows what the clinic charges, what
    insurance pays and what you pay: from an HSA/FSA, or over a payment plan.

    \b
    Examples:
      ketacost estimate
      ketacost estimate --condition pain --sessions 6 --maintenance "every 4 weeks"
      ketacost estimate --start 2026-12-28 --ride 25 --format json
      ketacost estimate --deductible 1500 --coinsurance 20 --oop-max 2000 --by-session
      ketacost estimate --coverage my-plan.toml --hsa-rate 24 --finance 12@17.99
    """
    result = run_estimate(params)
    kind = output_format(fmt, output)
    if kind == "json":
        from ketacost.render.data import estimate_data, to_json

        write_output(to_json(estimate_data(result)), output)
    elif kind == "csv":
        if by_session:
            from ketacost.render.sessions import sessions_csv

            write_output(sessions_csv(result, scenario), output)
        else:
            from ketacost.render.text import estimate_csv

            write_output(estimate_csv(result), output)
    elif kind == "markdown":
        if by_session:
            from ketacost.render.sessions import sessions_markdown

            write_output(sessions_markdown(result, scenario), output)
        else:
            from ketacost.render.text import estimate_markdown

            write_output(estimate_markdown(result, scenario), output)
    else:
        _table(result, by_session, scenario, output)


def _table(result: Any, by_session: bool, scenario: Scenario, output: str | None) -> None:
    """The summary (or per-session) table, on the screen or into a file as plain text."""
    if by_session:
        from ketacost.render.sessions import sessions_view

        view = sessions_view(result, scenario)
    else:
        from ketacost.render.table import estimate_view

        view = estimate_view(result, scenario)
    if output is None:
        from ketacost.output import console

        console().print(view)
    else:
        from ketacost.render.table import render_text

        write_output(render_text(view), output)
