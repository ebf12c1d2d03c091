"""``ketacost estimate``: the main job."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from ketacost.cli.options import OutputPath, estimate_options, run_estimate, write_output
from ketacost.sheet import SCENARIOS, Scenario

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ketacost.estimate import Estimate

FORMATS = ("table", "json", "csv", "markdown", "html", "svg")
SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".svg": "svg", ".txt": "table"}


def output_format(fmt: str | None, output: OutputPath) -> str:
    """The --format given, else one implied by the output file's suffix, else a table."""
    if fmt:
        return fmt
    if output is not None:
        return SUFFIXES.get(os.path.splitext(os.fspath(output))[1].lower(), "table")
    return "table"


@click.command()
@estimate_options
@click.option("--by-session", is_flag=True,
              help="One row per session: charge, allowed, deductible, copay, coinsurance, "
                   "who pays what.")
@click.option("--by-month", is_flag=True,
              help="One row per calendar month, with a chart of what you pay each month.")
@click.option("--scenario", type=click.Choice(SCENARIOS), default="typical", show_default=True,
              help="The scenario that --by-session and the payment lines describe.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Output format. [default: table, or from the -o file's suffix]")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file instead of the screen (.html: a printable page; "
                   ".svg: the monthly chart).")
def estimate(fmt: str | None, output: str | None, by_session: bool, by_month: bool,
             scenario: Scenario, **params: Any) -> None:
    """Estimate the cost of a course of ketamine infusions.

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
    """
    if by_session and by_month:
        raise click.UsageError("give --by-session or --by-month, not both")
    result = run_estimate(params)
    kind = output_format(fmt, output)
    view = "session" if by_session else "month" if by_month else "summary"
    if kind == "table" and view != "summary":
        show_view(table_view(result, view, scenario), output)
    elif kind in ("html", "svg") or (kind != "json" and view != "summary"):
        write_output(text_view(result, kind, view, scenario), output)
    else:
        from ketacost.render.data import estimate_data
        from ketacost.render.summary import assumptions

        lines = None if scenario == "typical" else assumptions(result, scenario)
        print_estimate(estimate_data(result), kind, output, lines=lines)


def print_estimate(data: dict[str, Any], kind: str, output: OutputPath,
                   heading: str | None = None,
                   write: Callable[[str, OutputPath], None] = write_output,
                   lines: Sequence[str] | None = None) -> None:
    """Print an estimate's data (fresh, or a saved quote) as a table, JSON, CSV or Markdown.

    ``heading`` (e.g. a quote's id) goes above a table or Markdown; JSON carries its own.
    ``write`` writes the text to the file or standard output; ``lines`` replaces the saved
    assumption lines (another scenario's payment lines).
    """
    if kind == "json":
        from ketacost.render.data import to_json

        write(to_json(data), output)
    elif kind == "csv":
        from ketacost.render.text import estimate_csv

        write(estimate_csv(data), output)
    elif kind == "markdown":
        from ketacost.render.text import estimate_markdown, md_escape

        top = f"{md_escape(heading)}\n\n" if heading else ""
        write(top + estimate_markdown(data, lines), output)
    else:
        from ketacost.render.table import estimate_view

        view = estimate_view(data, lines)
        if heading:
            from rich.console import Group
            from rich.text import Text

            view = Group(Text(heading, style="bold"), view)
        show_view(view, output, write)


def table_view(est: Estimate, view: str, scenario: Scenario) -> RenderableType:
    """The Rich view of one row per session, or one per month."""
    if view == "session":
        from ketacost.render.sessions import sessions_view

        return sessions_view(est, scenario)
    from ketacost.render.months_view import months_view

    return months_view(est)


def text_view(est: Estimate, kind: str, view: str, scenario: Scenario) -> str:
    """HTML and SVG, or one row per session or month as CSV or Markdown."""
    if kind in ("html", "svg"):
        from ketacost.render.html import estimate_chart, estimate_page

        return estimate_page(est) if kind == "html" else estimate_chart(est)
    markdown = kind == "markdown"
    if view == "session":
        from ketacost.render.sessions import sessions_csv, sessions_markdown

        return (sessions_markdown if markdown else sessions_csv)(est, scenario)
    from ketacost.render.months_text import months_csv, months_markdown

    return (months_markdown if markdown else months_csv)(est)


def show_view(view: RenderableType, output: OutputPath,
              write: Callable[[str, OutputPath], None] = write_output) -> None:
    """A Rich view on the terminal (fit to its width; plain when piped or NO_COLOR), or
    as plain text in a file."""
    if output is None:
        from ketacost.output import console

        console().print(view)
    else:
        from ketacost.render.table import render_text

        write(render_text(view), output)
