"""``ketacost quote``: estimate, save in the quote log, and print with the new id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ketacost.cli.estimate_cmd import FORMATS, output_format
from ketacost.cli.logbook import (
    PrivateCommand,
    check_replaces,
    db_option,
    open_log,
    patient_options,
    show_entry,
)
from ketacost.cli.options import estimate_options, run_estimate


@click.command(cls=PrivateCommand)
@estimate_options
@patient_options(required=False)
@db_option
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Output format. [default: table, or from the -o file's suffix]")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the screen.")
def quote(fmt: str | None, output: Path | None, patient: str | None, dob: Any,
          prepared_by: str | None, replaces: str | None, db: Path | None,
          **params: Any) -> None:
    """Estimate, save it in the quote log, and print it with its id.

    Takes every option of 'ketacost estimate'. The quote is kept exactly as given:
    'ketacost quotes show ID' reprints it, even after the price sheet changes. A revised
    quote is a new one that names the quote it replaces (--replaces ID).

    \b
    Examples:
      ketacost quote --patient "Ann Lee" --dob 1980-04-30 --prepared-by Sam
      ketacost quote --condition pain --maintenance monthly --format json
      ketacost quote --patient "Ann Lee" --sessions 4 --replaces Q-20261123-7K3M9P
    """
    from ketacost.render.data import estimate_data

    kind = output_format(fmt, output)
    result = estimate_data(run_estimate(params))
    with open_log(db) as log:
        check_replaces(log, replaces)
        entry = log.add("quote", result, patient=patient,
                        dob=None if dob is None else dob.isoformat(),
                        prepared_by=prepared_by, replaces=replaces)
    if kind == "csv":
        click.echo(f"Saved as quote {entry.id}.", err=True)
    show_entry(entry, kind, output)
