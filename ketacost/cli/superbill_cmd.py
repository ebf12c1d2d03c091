"""``ketacost superbill``: the itemized statement for an out-of-network claim, for the
sessions given of a saved Good Faith Estimate or quote, kept in the quote log
(docs/superbill.md). The rules live in :mod:`ketacost.superbill.statement`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from ketacost import __version__
from ketacost.cli import clock
from ketacost.cli.complete import entry_ids
from ketacost.cli.dispatch import output_format, write_page
from ketacost.cli.file_options import format_option, output_option
from ketacost.cli.files import is_stdout, write_output
from ketacost.cli.groups import PatientOptions
from ketacost.cli.log_options import db_option, patient_options
from ketacost.cli.logbook import open_log, save
from ketacost.cli.params import ICD10, ITEM, MONEY, Parsed
from ketacost.cli.run import usage_error
from ketacost.cli.sheets import resolve_sheet
from ketacost.entries import Entry, entry_data, new_entry
from ketacost.money import money_str
from ketacost.parse import ParseError, parse_date, shown
from ketacost.render.safe_text import terminal_text
from ketacost.report.to_data import dumps
from ketacost.sheet.check import npi_is_valid
from ketacost.sheet.model import PriceSheet
from ketacost.store import QuoteLog, StoreError
from ketacost.superbill.record import superbill_record
from ketacost.superbill.source import billing_provider, items_of_gfe, items_of_quote, sheet_codes
from ketacost.superbill.statement import (
    MOVE_DAYS,
    Patient,
    SourceItem,
    Superbill,
    SuperbillError,
    make_superbill,
    missing_for_superbill,
    month_sessions,
)

FORMATS = ("html", "pdf", "csv", "json")
MONTH_PATTERN = r"(\d{4})-(0[1-9]|1[0-2])"
MAX_SESSION_TEXT = 40
"""A --session value is at most two dates and an equals sign: longer is refused unread."""

Session = tuple[date, date]
"""A session as (date given, date scheduled): the same date unless it moved."""


def parse_session(text: str) -> Session:
    """``DATE``, or ``GIVEN=SCHEDULED``: the session scheduled on SCHEDULED, given on
    GIVEN."""
    if len(text) > MAX_SESSION_TEXT:
        raise ParseError(f"{shown(text)} is not a date, nor GIVEN=SCHEDULED (two dates)")
    parts = text.split("=")
    if len(parts) > 2:
        raise ParseError(f"{shown(text)} is not a date, nor GIVEN=SCHEDULED (two dates)")
    given = parse_date(parts[0])
    return given, parse_date(parts[-1])


SESSION = Parsed("DATE|GIVEN=SCHEDULED", parse_session, tuple)


@contextmanager
def superbill_errors() -> Iterator[None]:
    """A superbill's errors name their option (status 2)."""

    try:
        yield
    except SuperbillError as error:
        raise usage_error(str(error), FIELDS.get(error.field, error.field)) from None


FIELDS = {
    "sessions": "sessions",
    "paid": "paid",
    "diagnoses": "diagnoses",
    "patient": "patient",
    "codes": "sheet",
    "sheet": "sheet",
    "source": "source",
}
"""A superbill error's field, as the parameter that gives it."""


def _month(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = text.strip()
    if not re.fullmatch(MONTH_PATTERN, cleaned):
        shown = terminal_text(cleaned[:20])
        raise click.BadParameter(f"{shown!r} is not a month (use YYYY-MM)", param_hint="'--month'")
    return cleaned


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source", metavar="G-ID|Q-ID", shell_complete=entry_ids)
@click.option(
    "--session",
    "sessions",
    type=SESSION,
    multiple=True,
    help="A date of service: a session of the estimate that was given (not a future "
    "date); repeat for more. A session given on another day than scheduled is "
    f"GIVEN=SCHEDULED: given on an open day of the clinic, within {MOVE_DAYS} days of the "
    "date scheduled, and billed with that day's items.",
)
@click.option("--month", metavar="YYYY-MM", help="Every session of this month given so far.")
@click.option(
    "--paid",
    type=MONEY,
    required=True,
    help="What the patient paid for these sessions (at most their charges).",
)
@click.option(
    "--dx",
    "diagnoses",
    type=ICD10,
    multiple=True,
    help="A diagnosis code (ICD-10), up to 12; repeat for more. [default: the GFE's]",
)
@patient_options(required=False, unless="the estimate gives them")
@click.option("--address", type=ITEM, metavar="TEXT", help="The patient's address (optional).")
@click.option(
    "--member-id", type=ITEM, metavar="TEXT", help="The patient's insurance member id (optional)."
)
@click.option(
    "--rendering-npi",
    metavar="NPI",
    help="The NPI of the clinician who gave the sessions. [default: the billing provider's]",
)
@click.option(
    "--sheet",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    envvar="KETACOST_SHEET",
    show_envvar=True,
    help="The clinic's price sheet (its [clinic] bills the claim). [default: the sheet in "
    "the config directory (see 'ketacost sheet init')]",
)
@format_option(
    FORMATS,
    "html or pdf: the page; csv: one row per service line; json: the saved entry. "
    "[default: from the -o file's suffix, else json]",
)
@output_option("The file to write: superbill.html, .pdf (the extra ketacost[pdf]), .csv or .json.")
@db_option
def superbill(
    source: str,
    sessions: tuple[Session, ...],
    month: str | None,
    paid: Decimal,
    diagnoses: tuple[str, ...],
    who: PatientOptions,
    address: str | None,
    member_id: str | None,
    rendering_npi: str | None,
    sheet: str | None,
    fmt: str | None,
    output: Path | None,
    db: Path | str | None,
) -> None:
    """Write a superbill for sessions given, and keep it in the quote log.

    A superbill is the itemized statement a patient sends their insurer to be reimbursed
    out of network. It bills the sessions of a saved Good Faith Estimate (or quote), at
    the charges it gave, and carries what a CMS-1500 claim asks for: the patient, the
    diagnoses with their pointers, per line the date and place of service, the code with
    its modifiers and units and the charge, the rendering and billing providers' NPIs,
    the clinic's TIN, address and taxonomy, and the totals. A session is billed once: a
    corrected statement replaces the first (--replaces S-ID). A session the clinic moved
    is billed on the day it was given, as the session scheduled: --session GIVEN=SCHEDULED.

    \b
    Examples:
      ketacost superbill G-20261123-4VX2QD --session 2026-12-07 --session 2026-12-09 \\
          --paid 1200 -o superbill.html
      ketacost superbill G-20261123-4VX2QD --month 2026-12 --paid 3600 --dx F33.1 -o dec.pdf
      ketacost superbill G-20261123-4VX2QD --session 2026-12-07 --paid 600 \\
          --replaces S-20261207-8KD2QX -o superbill.html
      ketacost superbill G-20261123-4VX2QD --session 2026-12-08=2026-12-07 --paid 600 \\
          -o superbill.html
    """
    month = _month(month)
    if bool(sessions) == bool(month):
        raise click.UsageError("give the dates of service: --session DATE (repeat) or --month")
    if rendering_npi is not None:
        rendering_npi = _npi(rendering_npi)
    kind = output_format(fmt, output, FORMATS, default="json")
    if kind in ("html", "pdf") and output is None:
        raise click.UsageError(f"a {kind.upper()} page needs -o FILE")
    if output is not None and not is_stdout(output) and not output.resolve().parent.is_dir():
        raise click.BadParameter("its folder does not exist", param_hint="'--output'")
    entry, bill = _issue(
        source, sessions, month, paid, diagnoses, who, address, member_id, rendering_npi, sheet, db
    )
    emit_superbill(entry, bill, kind, output)
    for item in bill.elsewhere:
        shown = terminal_text(item)
        click.echo(f"Note: {shown} is billed by another provider, not on this superbill.", err=True)
    if not is_stdout(output):
        where = "" if output is None else f" written to {terminal_text(str(output))} and"
        click.echo(f"Superbill {entry.id}{where} saved in the quote log.", err=output is None)


def emit_superbill(entry: Entry, bill: Superbill, kind: str, output: Path | None) -> None:
    """Write a saved superbill: its page as issued, its lines as CSV, or its entry."""
    from ketacost.render.superbill import superbill_csv

    if kind in ("html", "pdf"):
        assert entry.html is not None
        write_page(entry.html, kind, output, private=True)
    elif kind == "csv":
        write_output(superbill_csv(bill), output, private=True)
    else:
        write_output(dumps(entry_data(entry)), output, private=True)


def _npi(text: str) -> str:

    cleaned = text.strip()
    if not npi_is_valid(cleaned):
        raise click.BadParameter(
            "is not a valid NPI (10 digits, the last its check digit)",
            param_hint="'--rendering-npi'",
        )
    return cleaned


def _same_person(given: str, saved: str) -> bool:
    return " ".join(given.split()).casefold() == " ".join(saved.split()).casefold()


def _patient(who: PatientOptions, entry: Entry) -> tuple[str, date]:
    """The patient the estimate was given to: a name or date of birth given must be the
    estimate's (a superbill is never made for another patient's estimate)."""
    name = who.patient or entry.patient
    dob = who.dob or (None if entry.dob is None else date.fromisoformat(entry.dob))
    if who.patient and entry.patient and not _same_person(who.patient, entry.patient):
        raise click.BadParameter(
            f"{entry.id} was given to another patient: a superbill bills the patient's own "
            "estimate",
            param_hint="'--patient'",
        )
    if who.dob and entry.dob and who.dob.isoformat() != entry.dob:
        raise click.BadParameter(
            f"{entry.id} was given to a patient with another date of birth",
            param_hint="'--dob'",
        )
    if name is None:
        raise click.BadParameter(
            f"{entry.id} names no patient: give --patient", param_hint="'--patient'"
        )
    if dob is None:
        raise click.BadParameter(
            f"{entry.id} gives no date of birth: give --dob", param_hint="'--dob'"
        )
    return name, dob


def _source(log: QuoteLog, source: str) -> Entry:
    entry = log.get(source)
    if entry is None or entry.kind not in ("gfe", "quote"):
        raise click.BadParameter(
            f"there is no Good Faith Estimate or quote {terminal_text(source.strip())!r} in "
            "the quote log",
            param_hint="'G-ID|Q-ID'",
        )
    if entry.flaw:
        raise click.ClickException(
            f"entry {entry.id} fails the log's check ({entry.flaw}); no superbill is made "
            "from it (ketacost quotes verify)"
        )
    return entry


def _items(entry: Entry, sheet: PriceSheet) -> tuple[SourceItem, ...]:
    """What the estimate charged, date by date: a GFE's saved items; a quote's, replayed
    on its saved inputs (its saved figures are checked against them)."""

    with superbill_errors():
        if entry.kind == "gfe":
            return items_of_gfe(entry.result, sheet)
        return items_of_quote(entry.result, sheet, clock.today())


def _billed_days(log: QuoteLog, name: str, dob: date, replaces: str | None) -> dict[date, str]:
    """The patient's sessions already on a superbill still standing (one not replaced,
    nor the one ``replaces`` corrects), with its id: whichever estimate it billed (a
    revised GFE lists the same sessions). A moved session counts at its scheduled date
    and at its date of service."""

    standing: dict[str, list[date]] = {}
    try:
        found = log.entries(patient=name, newest_first=False, damaged=lambda bad: None)
        for entry in found:  # the patient's entries only: the log may be long
            if entry.kind != "superbill":
                continue
            if entry.replaces:
                standing.pop(entry.replaces, None)
            if entry.dob == dob.isoformat() and _same_person(entry.patient or "", name):
                days = [date.fromisoformat(d) for d in entry.inputs["sessions"]]
                days += [date.fromisoformat(m["scheduled"]) for m in entry.inputs.get("moved", ())]
                standing[entry.id] = days
    except (StoreError, KeyError, TypeError, ValueError) as error:
        raise click.ClickException(f"the quote log's superbills cannot be read: {error}") from None
    standing.pop(replaces or "", None)
    return {day: bill for bill, days in standing.items() for day in days}


def _issue(
    source: str,
    sessions: tuple[Session, ...],
    month: str | None,
    paid: Decimal,
    diagnoses: tuple[str, ...],
    who: PatientOptions,
    address: str | None,
    member_id: str | None,
    rendering_npi: str | None,
    sheet_path: str | None,
    db: Path | str | None,
) -> tuple[Entry, Superbill]:
    """Check everything, then save the superbill under a new id."""
    from ketacost.render.superbill import superbill_page

    today = clock.today()
    sheet = resolve_sheet(sheet_path)
    clinic = sheet.clinic
    billing = billing_provider(clinic)
    missing = missing_for_superbill(billing)
    if missing:
        raise click.BadParameter(
            f"the price sheet's [clinic] lacks {', '.join(missing)}: a superbill gives the "
            "billing provider's name, NPI, TIN, address and taxonomy (ketacost sheet check)",
            param_hint="'--sheet'",
        )
    with open_log(db) as log:
        entry = _source(log, source)
        name, dob = _patient(who, entry)
        items = _items(entry, sheet)
        if month is not None:
            sessions = tuple((d, d) for d in month_sessions(items, month, today))
            if not sessions:
                raise click.BadParameter(
                    f"{entry.id} has no session in {month} up to today", param_hint="'--month'"
                )
        replaces = None if who.replaces is None else who.replaces.strip().upper()
        if replaces is not None:
            replaced = log.get(replaces)
            if replaced is None or replaced.kind != "superbill":
                raise click.BadParameter(
                    f"there is no superbill {terminal_text(who.replaces or '')!r} in the quote log",
                    param_hint="'--replaces'",
                )
        billed = _billed_days(log, name, dob, replaces)
        plain = tuple(given for given, planned in sessions if given == planned)
        moved = tuple((given, planned) for given, planned in sessions if given != planned)
        twice = sorted({d for pair in sessions for d in pair if d in billed})
        if twice:
            raise click.BadParameter(
                f"{twice[0].isoformat()} is billed on {billed[twice[0]]} already: a session "
                "is billed once (correct it with --replaces)",
                param_hint="'--session'" if month is None else "'--month'",
            )
        gfe = entry.result.get("gfe")
        saved_dx = gfe.get("diagnoses") if isinstance(gfe, dict) else None
        codes = diagnoses or tuple(str(d) for d in (saved_dx or ()))
        known = set(sheet_codes(sheet))
        patient = Patient(name=name, dob=dob, address=address or "", member_id=member_id or "")

        def build(entry_id: str, issued: date) -> Superbill:
            return make_superbill(
                id=entry_id,
                issued=issued,
                source=entry.id,
                patient=patient,
                diagnoses=codes,
                billing=billing,
                rendering_npi=rendering_npi or clinic.npi,
                items=items,
                sessions=plain,
                paid=paid,
                pos=clinic.pos,
                known_codes=known,
                replaces=replaces,
                month=month,
                moved=moved,
                open_days=clinic.days,
            )

        with superbill_errors():
            build("S-CHECK", today)  # every refusal before anything is saved
        made: list[Superbill] = []

        def make(entry_id: str, created: datetime) -> Entry:
            bill = build(entry_id, today)
            made.append(bill)
            result: dict[str, Any] = {
                "ketacost": __version__,
                "sheet": {"name": sheet.name, "sha256": sheet.sha256, "path": sheet.path},
                "inputs": {
                    "source": entry.id,
                    "sessions": [d.isoformat() for d in bill.sessions],
                    "paid": money_str(paid),
                },
                "superbill": superbill_record(bill),
            }
            if bill.moved:
                result["inputs"]["moved"] = [
                    {"given": given.isoformat(), "scheduled": planned.isoformat()}
                    for given, planned in bill.moved
                ]
            return new_entry(
                "superbill",
                result,
                entry_id=entry_id,
                created=created,
                patient=name,
                dob=dob.isoformat(),
                prepared_by=who.prepared_by,
                replaces=replaces,
                html=superbill_page(bill),
                desk=who.desk,
            )

        saved = save(log, make, "superbill")
    return saved, made[-1]
