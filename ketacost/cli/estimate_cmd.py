"""``ketacost estimate``: the main job."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ketacost.cli.options import estimate_options, run_estimate, write_output

FORMATS = ("table", "json", "csv", "markdown")
SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown"}


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
              help="Write to this file instead of the screen.")
def estimate(fmt: str | None, output: Path | None, **params: Any) -> None:
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
    from ketacost.render.data import estimate_data

    print_estimate(estimate_data(run_estimate(params)), output_format(fmt, output), output)


def print_estimate(data: dict[str, Any], kind: str, output: Path | None,
                   heading: str | None = None,
                   write: Callable[[str, Path | None], None] = write_output) -> None:
    """Print an estimate's data (fresh, or a saved quote) as a table, JSON, CSV or Markdown.

    ``heading`` (e.g. a quote's id) goes above a table or Markdown; JSON carries its own.
    ``write`` writes the text to the file or standard output.
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
        write(top + estimate_markdown(data), output)
    else:
        from ketacost.render.table import estimate_view

        view = estimate_view(data)
        if heading:
            from rich.console import Group
            from rich.text import Text

            view = Group(Text(heading, style="bold"), view)
        if output is None:
            from ketacost.output import console

            console().print(view)
        else:
            from ketacost.render.table import render_text

            write(render_text(view), output)
