"""``ketacost claims``: the superbills' claims to follow up (expected refund and when, the
filing deadline), and ``claims paid`` to record what the insurer paid, appended to the
quote log, never edited (docs/superbill.md, "Claims")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from ketacost import __version__
from ketacost.cli import clock
from ketacost.cli.complete import entry_ids
from ketacost.cli.file_options import format_option, output_option
from ketacost.cli.files import write_output
from ketacost.cli.groups import CoverageOptions
from ketacost.cli.log_options import db_option
from ketacost.cli.logbook import log_if_any, open_log, save, warn
from ketacost.cli.params import DATE, MONEY, Count
from ketacost.cli.run import coverage_of, usage_error
from ketacost.coverage.shares import Coverage
from ketacost.entries import Entry, new_entry
from ketacost.money import money_str, total
from ketacost.render.safe_text import terminal_text
from ketacost.report.to_data import dumps
from ketacost.store import QuoteLog
from ketacost.superbill.claims import (
    Claim,
    Payment,
    check_payment,
    claims_data,
    claims_of,
    forecast_refund,
    payment_data,
    payment_from_data,
)
from ketacost.superbill.record import read_superbill
from ketacost.superbill.statement import Superbill, SuperbillError


def _standing(log: QuoteLog) -> tuple[list[Superbill], list[Payment]]:
    """The superbills not replaced by a correction, and every payment recorded; an entry
    that cannot be read is named on standard error and left out."""

    bills: dict[str, Superbill] = {}
    payments: list[Payment] = []
    for entry in log.entries(newest_first=False, damaged=warn):
        if entry.kind not in ("superbill", "claim"):
            continue
        warn(entry)
        try:
            if entry.kind == "superbill":
                if entry.replaces:
                    bills.pop(entry.replaces, None)
                bills[entry.id] = read_superbill(entry.id, entry.result["superbill"])
            else:
                payments.append(payment_from_data(entry.result["claim"], entry.id))
        except (KeyError, TypeError, ValueError, ArithmeticError):
            click.echo(f"Warning: entry {entry.id} cannot be read (its saved record is damaged)",
                       err=True)  # fmt: skip
    return list(bills.values()), payments


def coverage_option(function: Any) -> Any:
    """``--coverage FILE``: the patient's coverage file, as ``estimate --coverage``."""
    return click.option(
        "--coverage",
        "coverage_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="The patient's coverage file (as estimate --coverage): out of network, the "
        "refund is forecast from it.",
    )(function)


def _coverage(path: str | None) -> Coverage | None:
    """The plan of the coverage file, or None; a file that cannot be used is one line
    naming --coverage."""
    return None if path is None else coverage_of(CoverageOptions(coverage_file=path))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--patient", metavar="TEXT", help="Only claims whose patient name contains TEXT.")
@coverage_option
@click.option(
    "--filing-days",
    type=Count(min=1, max=3650),
    help="The plan's filing limit, in days from the date of service. [default: the "
    "coverage file's filing_limit, else 90, the short end of what plans allow]",
)
@format_option(
    ["table", "json", "ics"],
    "table; json; ics: the deadlines and expected refunds for a calendar.",
    default="table",
    show_default=True,
)
@output_option()
@db_option
def claims(
    patient: str | None,
    coverage_file: str | None,
    filing_days: int | None,
    fmt: str,
    output: Path | None,
    db: Path | str | None,
) -> None:
    """List the superbills' claims to follow up, and record what the insurer paid.

    Each superbill shows the refund expected and when, the last day to file, what the
    insurer paid and the difference from the forecast. The refund is forecast from the
    patient's coverage file (--coverage) when it is out of network: each item of the
    superbill a claim, filed the day the superbill was issued, with the deductible met
    that the file gives; otherwise it stays "unknown". The filing deadline counts the
    plan's limit (--filing-days, else the file's filing_limit, else 90 days) from the
    first date of service on each superbill. A superbill replaced by a correction is not
    listed; the correction is.

    \b
    Examples:
      ketacost claims --coverage my-plan.toml
      ketacost claims --filing-days 180 --format ics -o claims.ics
      ketacost claims paid S-20261207-8KD2QX 384.00 --on 2027-01-21
    """
    ctx = click.get_current_context()
    if ctx.invoked_subcommand is not None:
        return
    coverage = _coverage(coverage_file)

    with log_if_any(db) as log:
        bills, payments = ([], []) if log is None else _standing(log)
    if patient:
        wanted = patient.casefold()
        bills = [b for b in bills if wanted in b.patient.name.casefold()]
    found = claims_of(bills, payments, coverage, filing_days)
    _emit(found, fmt, output, claims_data)


def _emit(found: list[Claim], fmt: str, output: Path | None, claims_data: Any) -> None:

    if fmt == "json":
        write_output(dumps(claims_data(found)), output, private=True)
    elif fmt == "ics":
        from ketacost.render.claims import claims_ics

        write_output(claims_ics(found), output, private=True)
    elif not found:
        write_output("No superbills to follow up.\n", output, private=True)
    elif output is None:
        from ketacost.render.claims import claims_table
        from ketacost.render.console import console

        console().print(claims_table(found))
    else:
        from ketacost.render.claims import claims_table
        from ketacost.render.table import render_text

        write_output(render_text(claims_table(found), width=200), output, private=True)


@claims.command()
@click.argument("superbill_id", metavar="S-ID", shell_complete=entry_ids)
@click.argument("amount", type=MONEY)
@click.option("--on", "on", type=DATE, required=True, help="The day the insurer paid it.")
@coverage_option
@db_option
def paid(
    superbill_id: str,
    amount: Decimal,
    on: date,
    coverage_file: str | None,
    db: Path | str | None,
) -> None:
    """Record what the insurer paid on a superbill's claim (appended, never edited), and
    show the difference from the forecast (made from --coverage; without it, unknown).

    \b
    Examples:
      ketacost claims paid S-20261207-8KD2QX 384.00 --on 2027-01-21 --coverage my-plan.toml
    """

    today = clock.today()
    coverage = _coverage(coverage_file)
    with open_log(db) as log:
        bills, payments = _standing(log)
        wanted = superbill_id.strip().upper()
        bill = next((b for b in bills if b.id == wanted), None)
        if bill is None:
            raise click.BadParameter(
                f"there is no standing superbill {terminal_text(superbill_id.strip())!r} in "
                "the quote log (a replaced one is paid through its correction)",
                param_hint="'S-ID'",
            )
        already = total(p.amount for p in payments if p.superbill == bill.id)
        try:
            check_payment(bill, amount, on, today, already)
        except SuperbillError as error:
            raise usage_error(str(error), error.field) from None
        forecast = forecast_refund(bill, coverage)
        source = log.get(bill.id)
        assert source is not None

        def make(entry_id: str, created: datetime) -> Entry:
            result: dict[str, Any] = {
                "ketacost": __version__,
                "sheet": {"name": source.sheet_name, "sha256": source.sheet_sha256},
                "inputs": {"superbill": bill.id, "amount": money_str(amount), "on": on.isoformat()},
                "claim": payment_data(
                    Payment(
                        id=entry_id,
                        superbill=bill.id,
                        amount=amount,
                        on=on,
                        forecast=forecast.amount,
                    )
                ),
            }
            return new_entry(
                "claim",
                result,
                entry_id=entry_id,
                created=created,
                patient=bill.patient.name,
                dob=bill.patient.dob.isoformat(),
            )

        entry = save(log, make, "claim")
    record = entry.result["claim"]
    if record["difference"] is None:
        compared = f"forecast {forecast.basis}"
    else:
        compared = f"forecast {record['forecast']}, difference {record['difference']}"
    click.echo(
        f"Recorded {entry.id}: the insurer paid {money_str(amount)} on {on.isoformat()} for "
        f"{bill.id} ({compared})."
    )
