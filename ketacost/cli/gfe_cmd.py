"""``ketacost gfe``: a Good Faith Estimate for a self-pay patient, written as a printable
page and kept in the quote log, and the duties around it (``gfe due``, ``gfe notice``,
``gfe check-bill``; docs/gfe.md). The rules live in :mod:`ketacost.gfe.document`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import click
from click.core import ParameterSource

from ketacost.cli import clock
from ketacost.cli.decorators import estimate_options
from ketacost.cli.dispatch import output_format, write_page
from ketacost.cli.file_options import format_option, output_option
from ketacost.cli.files import is_stdout, write_output
from ketacost.cli.gfe_group import SUBCOMMANDS, GfeGroup
from ketacost.cli.groups import EstimateOptions, PatientOptions
from ketacost.cli.log_options import db_option, patient_options
from ketacost.cli.logbook import check_replaces, open_log, save
from ketacost.cli.params import DATE, ICD10, ITEM
from ketacost.cli.patient import read_patient
from ketacost.cli.run import domain_errors, flag_of, request_of, usage_error
from ketacost.cli.sheets import check_placeholders, clinic_of, resolve_sheet
from ketacost.entries import Entry, entry_data, new_entry
from ketacost.gfe.document import estimate_to_issue, make_gfe
from ketacost.gfe.record import gfe_result
from ketacost.gfe.timing import Duty, TimingError, check_scheduled, issue_due, read_duty
from ketacost.render.safe_text import terminal_text
from ketacost.report.to_data import dumps
from ketacost.request import EstimateRequest
from ketacost.request_data import replay_request
from ketacost.sheet.model import PriceSheet
from ketacost.store import QuoteLog


@contextmanager
def gfe_errors() -> Iterator[None]:
    """Domain errors (a request's, a Good Faith Estimate's, a date's) name their option."""
    with domain_errors():
        try:
            yield
        except TimingError as error:
            raise usage_error(str(error), error.field) from None


def _given(ctx: click.Context, names: list[str]) -> list[str]:
    """The options among ``names`` typed on the command line."""
    return [n for n in names if ctx.get_parameter_source(n) == ParameterSource.COMMANDLINE]


def _from_quote(
    ctx: click.Context, quote: Entry, sheet: PriceSheet
) -> tuple[EstimateRequest, Duty | None]:
    """The request of a saved quote's inputs, replayed on the sheet, and its duty."""
    given = _given(ctx, [name for name in EstimateOptions._fields if name != "sheet"])
    if given:
        raise click.UsageError(
            f"{flag_of(given[0], ctx)} cannot be given with --quote: the estimate is the quote's"
        )
    with gfe_errors():
        request = replay_request(sheet, clock.today(), quote.result.get("inputs", {}))
    if quote.sheet_sha256 != sheet.sha256:
        click.echo(
            f"Note: the price sheet has changed since {quote.id}: the estimate uses its "
            "current prices.",
            err=True,
        )
    return request, read_duty(quote.result.get("duty"))


@click.group(
    cls=GfeGroup,
    table=SUBCOMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@estimate_options(ride=False)
@patient_options(required=False, unless="the quote (--quote) gives it")
@click.option(
    "--dx",
    "diagnoses",
    type=ICD10,
    multiple=True,
    help="A diagnosis code (ICD-10), e.g. F33.1; repeat for more. [required]",
)
@click.option(
    "--scheduled",
    type=DATE,
    help="The date the first session is scheduled for, if it is (sets --start; not a past date).",
)
@click.option(
    "--quote",
    "quote",
    metavar="Q-ID",
    help="Issue it from a saved quote's inputs (closing the duty the quote recorded).",
)
@click.option(
    "--separately",
    multiple=True,
    type=ITEM,
    metavar="TEXT",
    help="An item or service to be scheduled separately (at most 200 characters); repeat for more.",
)
@format_option(
    ["html", "pdf", "json"],
    "html: the page; pdf: the page printed (the extra ketacost[pdf]); json: the saved "
    "entry with its gfe record. [default: from the -o file's suffix, else html]",
)
@output_option(
    "The file to write: gfe.html (print it, or save as PDF), gfe.pdf (with the extra "
    "ketacost[pdf]) or gfe.json. [required for a page]"
)
@db_option
def gfe(
    what: EstimateOptions,
    who: PatientOptions,
    diagnoses: tuple[str, ...],
    scheduled: date | None,
    quote: str | None,
    separately: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    db: Path | str | None,
) -> None:
    """Write a Good Faith Estimate for a self-pay patient, and keep it in the quote log.

    The page lists the patient, each provider (name, NPI, TIN and location from the
    clinic's price sheet), each expected item with its service codes and units,
    diagnosis codes, quantity and cash price, grouped by provider with a subtotal each,
    the sessions expected, and the patient's rights. It covers at most 12 months of
    sessions. A revised estimate is a new one (--replaces ID). With no subcommand, gfe
    issues an estimate; 'gfe due', 'gfe notice' and 'gfe check-bill' do the rest.

    \b
    Examples:
      ketacost gfe --sheet clinic.toml --patient "Ann Lee" --dob 1980-04-30 \\
          --dx F33.1 --scheduled 2026-12-07 -o gfe.html
      ketacost gfe --quote Q-20261123-7K3M9P --dob 1980-04-30 --dx F33.1 -o gfe.html
      ketacost gfe --sheet clinic.toml --patient "Ann Lee" --dob 1980-04-30 \\
          --dx F33.1 --maintenance monthly --replaces G-20261123-4VX2QD -o gfe-2.html
    """
    ctx = click.get_current_context()
    if ctx.invoked_subcommand is not None:
        return
    kind = output_format(fmt, output, ("html", "pdf", "json"), default="html")
    if output is None and kind != "json":
        raise click.MissingParameter(ctx=ctx, param=_param(ctx, "output"))
    if not diagnoses:
        raise click.MissingParameter(ctx=ctx, param=_param(ctx, "diagnoses"))
    if output is not None and not is_stdout(output) and not output.resolve().parent.is_dir():
        raise click.BadParameter("its folder does not exist", param_hint="'--output'")
    diagnoses = tuple(dict.fromkeys(diagnoses))  # each code once, in the order given
    entry = _issue(ctx, what, who, diagnoses, scheduled, quote, separately, db)
    assert entry.html is not None
    try:
        if kind == "json":
            write_output(_json(entry), output, private=True)
        else:
            write_page(entry.html, kind, output, private=True)
    except click.FileError as error:
        raise click.ClickException(
            f"{error.format_message()}; the estimate is saved as {entry.id}: write it again "
            f"with 'ketacost quotes show {entry.id} -o FILE.{kind}'"
        ) from None
    if not is_stdout(output):
        click.echo(
            f"Good Faith Estimate {entry.id} written to {terminal_text(str(output))} and saved "
            "in the quote log."
        )


def _of_record(scheduled: date | None, first: date) -> date | None:
    """The scheduled date of record: the first session as it falls (a Saturday booking at
    a clinic closed on Saturdays is the Monday), said when it moved."""
    if scheduled is None or scheduled == first:
        return scheduled
    click.echo(
        f"Note: the clinic is closed on {scheduled:%a %Y-%m-%d}: the first session, and the "
        f"scheduled date on the estimate, is {first:%a %Y-%m-%d}.",
        err=True,
    )
    return first


def _check_dates(scheduled: date | None, start: date | None, today: date) -> None:
    """A scheduled date or a first session in the past is refused (no GFE lists sessions
    gone by), and so are two different first sessions."""
    with gfe_errors():
        check_scheduled(scheduled, today)
    if start is not None and start < today:
        raise click.BadParameter(
            f"{start.isoformat()} is in the past: a Good Faith Estimate is for care to come",
            param_hint="'--start'",
        )
    if scheduled is not None and start not in (None, scheduled):
        raise click.UsageError(
            "--scheduled and --start give different first sessions: give one of them"
        )


def _param(ctx: click.Context, name: str) -> click.Parameter:
    return next(p for p in ctx.command.params if p.name == name)


def _json(entry: Entry) -> str:
    return dumps(entry_data(entry))


def _sheet_for_gfe(what: EstimateOptions) -> PriceSheet:
    """The sheet, checked before anything is asked: one without its clinic, or still
    holding the starter's examples, names the file to edit."""
    sheet = resolve_sheet(what.sheet)
    clinic_of(sheet)
    check_placeholders(sheet)
    return sheet


def _saved_quote(log: QuoteLog, quote_id: str) -> Entry:
    """The saved quote a Good Faith Estimate is issued from, read whole: a damaged one is
    one line naming it (open_log), and nothing is issued."""
    quote = log.get(quote_id)
    if quote is None or quote.kind != "quote":
        raise click.BadParameter(
            f"there is no quote {quote_id.strip()!r} in the quote log", param_hint="'--quote'"
        )
    quote.report()
    return quote


def _issue(
    ctx: click.Context,
    what: EstimateOptions,
    who: PatientOptions,
    diagnoses: tuple[str, ...],
    scheduled: date | None,
    quote_id: str | None,
    separately: tuple[str, ...],
    db: Path | str | None,
) -> Entry:
    """Check everything, then save the Good Faith Estimate under a new id."""
    from ketacost.render.gfe import gfe_page  # the page: only issuing one draws it

    today = clock.today()
    _check_dates(scheduled, what.start, today)
    sheet = _sheet_for_gfe(what)
    with open_log(db) as log:
        check_replaces(log, who.replaces)
        duty: Duty | None = None
        patient, dob = who.patient, who.dob
        if quote_id is not None:
            quote = _saved_quote(log, quote_id)
            request, duty = _from_quote(ctx, quote, sheet)
            patient = patient or quote.patient
            dob = dob or (None if quote.dob is None else date.fromisoformat(quote.dob))
            if scheduled is None and duty is not None:
                scheduled = duty.scheduled
                with gfe_errors():
                    check_scheduled(scheduled, today)
        else:
            request = request_of(sheet, what._replace(start=scheduled or what.start))
        if scheduled is not None:
            request = replace(request, start=scheduled)
        if patient is None or dob is None:  # asked for at a terminal, else a usage error
            asked = read_patient(who._replace(patient=patient, dob=dob), required=True)
            patient, dob = asked.patient, asked.dob
        assert patient is not None
        assert dob is not None
        with gfe_errors():
            est, period = estimate_to_issue(request, sheet)
        scheduled = _of_record(scheduled, est.schedule[0].date)
        witness = log.witness()
        replaces = None if who.replaces is None else who.replaces.strip().upper()

        def make(entry_id: str, created: datetime) -> Entry:
            issued = created.astimezone().date()
            record = make_gfe(
                est,
                period,
                id=entry_id,
                issued=issued,
                patient=patient,
                dob=dob,
                diagnoses=diagnoses,
                scheduled=scheduled,
                separately=separately,
                prepared_by=who.prepared_by,
                replaces=replaces,
                due=issue_due(today, scheduled, duty, sheet.clinic.days),
                quote=None if quote_id is None else quote_id.strip().upper(),
            )
            return new_entry(
                "gfe",
                gfe_result(record),
                entry_id=entry_id,
                created=created,
                patient=patient,
                dob=dob.isoformat(),
                prepared_by=who.prepared_by,
                replaces=replaces,
                html=gfe_page(record, witness),
                desk=who.desk,
            )

        return save(log, make, "gfe")
