"""``ketacost gfe``: a Good Faith Estimate for a self-pay patient, written as a printable
page and kept in the quote log (docs/gfe.md). The rules live in :mod:`ketacost.gfe`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ketacost.cli.decorators import db_option, estimate_options, patient_options
from ketacost.cli.files import is_stdout, write_output
from ketacost.cli.groups import EstimateOptions, PatientOptions
from ketacost.cli.logbook import PrivateCommand, check_replaces, open_log, save
from ketacost.cli.params import DATE, ICD10, OutputFile
from ketacost.cli.run import domain_errors, request_of
from ketacost.cli.sheets import resolve_sheet


@click.command(cls=PrivateCommand)
@estimate_options(ride=False)
@patient_options(required=True)
@click.option(
    "--dx",
    "diagnoses",
    type=ICD10,
    multiple=True,
    required=True,
    help="A diagnosis code (ICD-10), e.g. F33.1; repeat for more.",
)
@click.option(
    "--scheduled",
    type=DATE,
    help="The date the first session is scheduled for, if it is (sets --start).",
)
@click.option(
    "--separately",
    multiple=True,
    metavar="TEXT",
    help="An item or service to be scheduled separately; repeat for more.",
)
@click.option(
    "--output",
    "-o",
    type=OutputFile(dir_okay=False, path_type=Path),
    required=True,
    help="The page to write, e.g. gfe.html (print it or save as PDF).",
)
@db_option
def gfe(
    what: EstimateOptions,
    who: PatientOptions,
    diagnoses: tuple[str, ...],
    scheduled: date | None,
    separately: tuple[str, ...],
    output: Path,
    db: Path | None,
) -> None:
    """Write a Good Faith Estimate for a self-pay patient, and keep it in the quote log.

    The page lists the patient, the provider (name, NPI, TIN and location from the
    clinic's price sheet), each expected item with its service and diagnosis codes,
    quantity and cash price, the sessions expected, and the patient's rights. It covers
    at most 12 months of sessions. A revised estimate is a new one (--replaces ID).

    \b
    Examples:
      ketacost gfe --sheet clinic.toml --patient "Ann Lee" --dob 1980-04-30 \\
          --dx F33.1 --scheduled 2026-11-23 -o gfe.html
      ketacost gfe --sheet clinic.toml --patient "Ann Lee" --dob 1980-04-30 \\
          --dx F33.1 --maintenance monthly --replaces G-20261123-4VX2QD -o gfe-2.html
    """
    from dataclasses import replace

    from ketacost.entries import Entry, new_entry
    from ketacost.gfe import estimate_for_gfe, gfe_record, make_gfe, provider_of
    from ketacost.render.gfe import gfe_page
    from ketacost.report import build_report
    from ketacost.report_json import to_data

    assert who.patient is not None  # a required option
    assert who.dob is not None
    if scheduled is not None:
        if what.start not in (None, scheduled):
            raise click.UsageError(
                "--scheduled and --start give different first sessions: give one of them"
            )
        what = replace(what, start=scheduled)
    if not is_stdout(output) and not output.resolve().parent.is_dir():
        raise click.BadParameter("its folder does not exist", param_hint="'--output'")
    sheet = resolve_sheet(what.sheet)
    request = request_of(sheet, what)
    with domain_errors():
        provider = provider_of(sheet)
        est, period = estimate_for_gfe(request, sheet)
    report = build_report(est)
    patient, dob = who.patient, who.dob
    replaces = None if who.replaces is None else who.replaces.strip().upper()

    def make(entry_id: str, created: datetime) -> Entry:
        issued = created.astimezone().date()
        record = make_gfe(
            report,
            period,
            id=entry_id,
            issued=issued,
            patient=patient,
            dob=dob,
            provider=provider,
            diagnoses=diagnoses,
            scheduled=scheduled,
            separately=separately,
            prepared_by=who.prepared_by,
            replaces=replaces,
        )
        result = {**to_data(report), "gfe": gfe_record(record)}
        return new_entry(
            "gfe",
            result,
            entry_id=entry_id,
            created=created,
            patient=patient,
            dob=dob.isoformat(),
            prepared_by=who.prepared_by,
            replaces=replaces,
            html=gfe_page(record),
        )

    with open_log(db) as log:
        check_replaces(log, who.replaces)
        entry = save(log, make, "gfe")
    assert entry.html is not None
    try:
        write_output(entry.html, output, private=True)
    except click.FileError as error:
        raise click.ClickException(
            f"{error.format_message()}; the estimate is saved as {entry.id}: write it again "
            f"with 'ketacost quotes show {entry.id} -o FILE.html'"
        ) from None
    if not is_stdout(output):
        click.echo(
            f"Good Faith Estimate {entry.id} written to {output} and saved in the quote log."
        )
