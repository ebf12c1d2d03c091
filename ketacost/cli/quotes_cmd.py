"""``ketacost quotes``: list, show and export what the quote log holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ketacost.cli.complete import entry_ids
from ketacost.cli.decorators import FORMATS, db_option, output_options
from ketacost.cli.dispatch import emit_report, output_format
from ketacost.cli.files import write_output
from ketacost.cli.groups import Output
from ketacost.cli.logbook import open_log
from ketacost.cli.params import DATE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def quotes() -> None:
    """List, show and export the quotes and Good Faith Estimates given.

    \b
    Examples:
      ketacost quotes list --since 2026-11-01
      ketacost quotes show Q-20261123-7K3M9P
      ketacost quotes export --format csv -o quotes.csv
    """


def _filters(function: click.decorators.FC) -> click.decorators.FC:
    function = click.option("--since", type=DATE, help="Only entries saved on or after this day.")(
        function
    )
    return click.option(
        "--patient",
        metavar="TEXT",
        help="Only entries whose patient name contains TEXT (any case).",
    )(function)


@quotes.command("list")
@_filters
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Show at most this many, newest first.",
)
@db_option
def list_(patient: str | None, since: date | None, limit: int, db: Path | None) -> None:
    """List saved quotes and Good Faith Estimates, newest first.

    \b
    Examples:
      ketacost quotes list
      ketacost quotes list --patient lee --since 2026-11-01 --limit 10
    """
    from ketacost.render.console import console
    from ketacost.render.log import entries_table
    from ketacost.store import default_path

    if not (db or default_path()).exists():
        click.echo("The quote log is empty (nothing has been saved yet).")
        return
    with open_log(db, create=False) as log:
        entries = log.entries(patient=patient, since=since, limit=limit)
    if not entries:
        click.echo("No entries match." if patient or since else "The quote log is empty.")
        return
    console().print(entries_table(entries))


@quotes.command()
@click.argument("entry_id", metavar="ID", shell_complete=entry_ids)
@output_options(
    formats=(*FORMATS[:4], "html"),
    what="Write to this file instead of the screen (.html: a Good Faith "
    "Estimate's page as issued).",
)
@db_option
def show(entry_id: str, out: Output, db: Path | None) -> None:
    """Reprint a saved quote or Good Faith Estimate exactly as it was given.

    The figures come from the log, not from the price sheet, so they are what was
    quoted even if the sheet has changed since. html: a Good Faith Estimate's page as
    issued.

    \b
    Examples:
      ketacost quotes show Q-20261123-7K3M9P
      ketacost quotes show Q-20261123-7K3M9P --format json
      ketacost quotes show G-20261123-4VX2QD -o copy.html
    """
    from ketacost.entries import entry_data, heading
    from ketacost.report_json import dumps

    with open_log(db, create=False) as log:
        entry = log.get(entry_id)
        if entry is None:
            raise click.BadParameter(
                f"there is no entry {entry_id.strip()!r} in the quote log", param_hint="'ID'"
            )
        replaced_by = tuple(log.replaced_by(entry.id))
    kind = output_format(out.fmt, out.path)
    if kind == "html":
        if entry.html is None:
            raise click.BadParameter(
                f"{entry.id} is a quote; only a Good Faith Estimate has a page",
                param_hint="'--format'",
            )
        write_output(entry.html, out.path, private=True)
    elif kind == "json":
        write_output(dumps(entry_data(entry)), out.path, private=True)
    else:
        emit_report(
            entry.report(), kind, out.path, heading=heading(entry, replaced_by), private=True
        )


@quotes.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["csv", "json"]),
    required=True,
    help="csv: one row per entry with its totals; json: every entry in full.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (created readable by you only) instead of the screen.",
)
@_filters
@db_option
def export(
    fmt: str, output: Path | None, patient: str | None, since: date | None, db: Path | None
) -> None:
    """Export the quote log, oldest first, as CSV or JSON.

    \b
    Examples:
      ketacost quotes export --format csv -o quotes.csv
      ketacost quotes export --format json --since 2026-01-01 -o quotes.json
    """
    from ketacost.render.log import export_csv, export_json

    with open_log(db, create=False) as log:
        entries = log.entries(patient=patient, since=since, newest_first=False)
    write_output(
        export_csv(entries) if fmt == "csv" else export_json(entries), output, private=True
    )
