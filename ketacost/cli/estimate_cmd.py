"""``ketacost estimate``: the main job."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ketacost.cli.options import estimate_options, run_estimate, write_output

if TYPE_CHECKING:
    from rich.console import RenderableType

FORMATS = ("table", "json", "csv", "markdown", "html", "svg")
SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".svg": "svg"}


def output_format(fmt: str | None, output: Path | None) -> str:
    """The --format given, else one implied by the output file's suffix, else a table."""
    if fmt:
        return fmt
    if output is not None:
        return SUFFIXES.get(Path(output).suffix.lower(), "table")
    return "table"


@click.command()
@estimate_options
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Output format. [default: table, or from the -o file's suffix]")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the screen (.html: a printable page; "
                   ".svg: the monthly chart).")
@click.option("--by-month", is_flag=True,
              help="One row per calendar month, with a chart of what you pay each month.")
def estimate(fmt: str | None, output: Path | None, by_month: bool, **params: Any) -> None:
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
      ketacost estimate --maintenance 4w --by-month
      ketacost estimate --maintenance 4w -o estimate.html
    """
    result = run_estimate(params)
    kind = output_format(fmt, output)
    if kind == "json":
        from ketacost.render.data import estimate_data, to_json

        write_output(to_json(estimate_data(result)), output)
    elif kind in ("csv", "markdown") and by_month:
        from ketacost.render.months_text import months_csv, months_markdown

        write_output((months_csv if kind == "csv" else months_markdown)(result), output)
    elif kind == "csv":
        from ketacost.render.text import estimate_csv

        write_output(estimate_csv(result), output)
    elif kind == "markdown":
        from ketacost.render.text import estimate_markdown

        write_output(estimate_markdown(result), output)
    elif kind == "html":
        from ketacost.render.html import estimate_page

        write_output(estimate_page(result), output)
    elif kind == "svg":
        from ketacost.render.html import estimate_chart

        write_output(estimate_chart(result), output)
    else:
        from ketacost.render.months_view import months_view
        from ketacost.render.table import estimate_view

        show_view(months_view(result) if by_month else estimate_view(result), output)


def show_view(view: RenderableType, output: Path | None) -> None:
    """A Rich view on the terminal (fit to its width; plain when piped or NO_COLOR), or
    as plain text in a file."""
    if output is None:
        from ketacost.output import console

        console().print(view)
    else:
        from ketacost.render.table import render_text

        write_output(render_text(view), output)
