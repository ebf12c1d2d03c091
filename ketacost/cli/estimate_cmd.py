"""``ketacost estimate``: the main job."""

from __future__ import annotations

import os
from typing import Any

import click

from ketacost.cli.options import estimate_options, run_estimate, write_output

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
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Output format. [default: table, or from the -o file's suffix]")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file instead of the screen.")
def estimate(fmt: str | None, output: str | None, **params: Any) -> None:
    """Estimate the cost of a course of ketamine infusions.

    Prices every session at the low, typical and high per-session price of the price
    sheet (built-in: US national averages) and shows what the clinic charges, what
    insurance pays and what you pay.

    \b
    Examples:
      ketacost estimate
      ketacost estimate --condition pain --sessions 6 --maintenance "every 4 weeks"
      ketacost estimate --start 2026-12-28 --ride 25 --format json
      ketacost estimate --deductible 1500 --coinsurance 20 --oop-max 2000
    """
    result = run_estimate(params)
    kind = output_format(fmt, output)
    if kind == "json":
        from ketacost.render.data import estimate_data, to_json

        write_output(to_json(estimate_data(result)), output)
    elif kind == "csv":
        from ketacost.render.text import estimate_csv

        write_output(estimate_csv(result), output)
    elif kind == "markdown":
        from ketacost.render.text import estimate_markdown

        write_output(estimate_markdown(result), output)
    else:
        from ketacost.render.table import estimate_view

        if output is None:
            from ketacost.output import console

            console().print(estimate_view(result))
        else:
            from ketacost.render.table import render_text

            write_output(render_text(estimate_view(result)), output)
