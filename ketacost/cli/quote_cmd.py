"""``ketacost quote``: estimate, save in the quote log, and print with the new id."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from ketacost.cli.decorators import (
    coverage_options,
    db_option,
    estimate_options,
    output_options,
    patient_options,
    payment_options,
)
from ketacost.cli.dispatch import emit_report, output_format
from ketacost.cli.groups import (
    CoverageOptions,
    EstimateOptions,
    Output,
    PatientOptions,
    PaymentOptions,
)
from ketacost.cli.logbook import PrivateCommand, check_replaces, open_log, save
from ketacost.cli.run import estimate_of


@click.command(cls=PrivateCommand)
@estimate_options()
@coverage_options
@payment_options
@patient_options(required=False)
@db_option
@output_options(formats=("table", "json", "csv", "markdown"))
def quote(
    what: EstimateOptions,
    plan: CoverageOptions,
    paying: PaymentOptions,
    who: PatientOptions,
    db: Path | None,
    out: Output,
) -> None:
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
    from ketacost.entries import Entry, heading, new_entry
    from ketacost.report import build_report
    from ketacost.report_json import to_data

    kind = output_format(out.fmt, out.path)
    report = build_report(estimate_of(what, plan, paying))
    result = to_data(report)

    def make(entry_id: str, created: datetime) -> Entry:
        return new_entry(
            "quote",
            result,
            entry_id=entry_id,
            created=created,
            patient=who.patient,
            dob=None if who.dob is None else who.dob.isoformat(),
            prepared_by=who.prepared_by,
            replaces=who.replaces,
        )

    with open_log(db) as log:
        check_replaces(log, who.replaces)
        entry = save(log, make, "quote")
    try:
        if kind == "json":
            from ketacost.cli.files import write_output
            from ketacost.entries import entry_data
            from ketacost.report_json import dumps

            write_output(dumps(entry_data(entry)), out.path, private=True)
        else:
            emit_report(report, kind, out.path, heading=heading(entry), private=True)
    except click.ClickException as error:  # one line, and it says the quote is kept
        raise click.ClickException(
            f"{error.format_message()}; the quote is saved as {entry.id}: print it again "
            f"with 'ketacost quotes show {entry.id}'"
        ) from None
    if kind in ("csv", "json") or out.path is not None:
        click.echo(f"Saved as quote {entry.id}.", err=True)
