"""``ketacost quote``: estimate, save in the quote log, and print with the new id."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ketacost.cli import clock
from ketacost.cli.decorators import (
    coverage_options,
    estimate_options,
    output_options,
)
from ketacost.cli.dispatch import emit_report, output_format
from ketacost.cli.files import is_stdout, write_output
from ketacost.cli.groups import (
    EstimateOptions,
    Output,
    PatientOptions,
)
from ketacost.cli.log_options import db_option, patient_options
from ketacost.cli.logbook import PrivateCommand, check_replaces, open_log, save
from ketacost.cli.params import DATE
from ketacost.cli.payment_options import payment_options
from ketacost.cli.run import estimate_of, usage_error
from ketacost.coverage.shares import Coverage
from ketacost.entries import Entry, entry_data, heading, quote_maker
from ketacost.gfe.timing import TimingError, check_scheduled, quote_duty
from ketacost.paying.how_paid import Paying
from ketacost.render.safe_text import terminal_text
from ketacost.report.build import build_report
from ketacost.report.model import Report
from ketacost.report.to_data import dumps
from ketacost.sheet.model import Clinic


@click.command(cls=PrivateCommand)
@estimate_options()
@coverage_options
@payment_options
@patient_options(required=False)
@click.option(
    "--scheduled",
    type=DATE,
    help="The patient scheduled the first session today for this date: a Good Faith "
    "Estimate is owed (see 'ketacost gfe due').",
)
@click.option(
    "--requested",
    is_flag=True,
    help="The patient asked for a Good Faith Estimate: one is owed within 3 business "
    "days. A price question from a named self-pay patient is one anyway (the default).",
)
@click.option(
    "--not-requested",
    is_flag=True,
    help="The question was not a request for a Good Faith Estimate (say, a price for "
    "someone else's planning): record no duty for it.",
)
@db_option
@output_options(
    formats=("table", "json", "csv", "markdown", "html", "pdf"),
    what="Write to this file instead of the screen (.html: a printable quote page; .pdf: "
    "the same page as a PDF, with the extra ketacost[pdf]).",
)
def quote(
    what: EstimateOptions,
    coverage: Coverage | None,
    paying: Paying,
    who: PatientOptions,
    scheduled: date | None,
    requested: bool,
    not_requested: bool,
    db: Path | str | None,
    out: Output,
) -> None:
    """Estimate, save it in the quote log, and print it with its id.

    Takes every option of 'ketacost estimate'. The quote is kept exactly as given:
    'ketacost quotes show ID' reprints it, even after the price sheet changes. A revised
    quote is a new one that names the quote it replaces (--replaces ID).

    The new quote's id is always shown: in the table's heading, or on standard error when
    standard output or a file carries the quote.

    A price question from a self-pay patient is a request for a Good Faith Estimate (45 CFR
    149.610(b)(1)): a quote with --patient and no insurance records that one is due
    within 3 business days, says the date, and 'ketacost gfe due' lists it until it is
    issued (--not-requested when the question was not a request).

    \b
    Examples:
      ketacost quote --patient "Ann Lee" --dob 1980-04-30 --prepared-by Sam
      ketacost quote --patient "Ann Lee" --sheet clinic.toml -o quote.html
      ketacost quote --condition pain --maintenance monthly --format json
      ketacost quote --patient "Ann Lee" --sessions 4 --replaces Q-20261123-7K3M9P
      ketacost quote --patient "Ann Lee" --scheduled 2026-12-07 --prepared-by Sam
    """
    kind = output_format(out.fmt, out.path)
    if requested and not_requested:
        raise click.UsageError("--requested and --not-requested say opposite things: give one")
    if scheduled is not None:
        if what.start not in (None, scheduled):
            raise click.UsageError(
                "--scheduled and --start give different first sessions: give one of them"
            )
        _check_scheduled(scheduled)
        what = what._replace(start=scheduled)
    est = estimate_of(what, coverage, paying)
    report = build_report(est)
    # The scheduled date of record is the first session as it falls (a Saturday booking
    # at a clinic closed on Saturdays is the Monday).
    first = None if scheduled is None else est.schedule[0].date
    said = True if requested else False if not_requested else None
    try:
        duty = quote_duty(
            clock.today(), first, who.patient, report.request.coverage, said, est.sheet.clinic.days
        )
    except TimingError as error:
        raise usage_error(f"{error}: leave out the insurance options", error.field) from None
    make = quote_maker(
        report,
        duty,
        est.sheet.clinic,
        patient=who.patient,
        dob=who.dob,
        prepared_by=who.prepared_by,
        replaces=who.replaces,
        desk=who.desk,
    )

    with open_log(db) as log:
        check_replaces(log, who.replaces)
        entry = save(log, make, "quote")
    try:
        _write(entry, report, kind, out.path, est.sheet.clinic)
    except click.ClickException as error:
        raise click.ClickException(
            f"{error.format_message()}; the quote is saved as {entry.id}: print it again "
            f"with 'ketacost quotes show {entry.id}'"
        ) from None
    if kind != "table" or not is_stdout(out.path):
        # a name is not ours: its escapes made visible
        written = "" if is_stdout(out.path) else f" and written to {terminal_text(str(out.path))}"
        click.echo(f"Saved as quote {entry.id}{written}.", err=True)
    if scheduled is not None and first != scheduled:
        click.echo(
            f"The clinic is closed on {scheduled:%a %Y-%m-%d}: the first session, and the "
            f"scheduled date of record, is {first:%a %Y-%m-%d}.",
            err=True,
        )
    if duty is not None:
        asking = " (3 business days after asking)" if duty.kind == "requested" else ""
        click.echo(
            f"A Good Faith Estimate is due by {duty.due.isoformat()}{asking}: "
            f"ketacost gfe --quote {entry.id} --dx CODE -o FILE.html",
            err=True,
        )
        if first is not None and first < duty.due:
            click.echo(
                f"The first session, {first:%a %Y-%m-%d}, comes before that: give it "
                "before then if you can.",
                err=True,
            )
        if duty.kind == "requested" and not requested:
            click.echo(
                "A self-pay patient asking the price has asked for one (45 CFR "
                "149.610(b)(1)). If this was not a request, replace the quote: "
                f"--replaces {entry.id} --not-requested.",
                err=True,
            )
    elif scheduled is not None:
        click.echo(
            "No Good Faith Estimate is owed for a session fewer than 3 business days away "
            "(give one anyway if you can).",
            err=True,
        )


def _write(entry: Entry, report: Report, kind: str, path: str | None, clinic: Clinic) -> None:
    """The saved quote in its format: JSON (the entry as the log holds it), a page (html,
    pdf: with the clinic), or the estimate's table, CSV or Markdown under its heading."""
    if kind == "json":
        write_output(dumps(entry_data(entry)), path, private=True)
        return
    details = None
    if kind in ("html", "pdf"):
        from ketacost.render.quote_page import details_of  # only for a page

        details = details_of(entry, clinic)
    emit_report(report, kind, path, heading=heading(entry), quote=details, private=True)


def _check_scheduled(scheduled: date) -> None:
    """A scheduled date in the past is refused (status 2, naming --scheduled)."""
    try:
        check_scheduled(scheduled, clock.today())
    except TimingError as error:
        raise usage_error(str(error), error.field) from None
