"""``ketacost gfe check-bill``: a bill against the Good Faith Estimate it followed
(docs/gfe.md). The comparison lives in :mod:`ketacost.gfe.bill`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ketacost.cli import clock
from ketacost.cli.decorators import TABLE_OR_JSON
from ketacost.cli.dispatch import show
from ketacost.cli.files import write_output
from ketacost.cli.log_options import db_option
from ketacost.cli.logbook import open_log
from ketacost.cli.params import DATE, Parsed
from ketacost.cli.run import usage_error
from ketacost.gfe.bill import Billed, BillError, bill_data, parse_billed
from ketacost.gfe.bill import check_bill as compare
from ketacost.gfe.record import read_gfe
from ketacost.money import parse_money
from ketacost.report.to_data import dumps


def _billed(text: str) -> Billed:
    """``1234567893=2150`` or ``2150``: an NPI (ten digits) and an amount."""
    npi, amount = parse_billed(text)
    if npi is not None and not (len(npi) == 10 and npi.isdigit()):
        raise ValueError(f"{npi!r} is not an NPI (ten digits): give NPI=AMOUNT or AMOUNT")
    return Billed(npi=npi, amount=parse_money(amount))


BILLED = Parsed("[NPI=]AMOUNT", _billed, Billed)


@click.command("check-bill")
@click.argument("gfe_id", metavar="G-ID")
@click.option(
    "--billed",
    type=BILLED,
    multiple=True,
    required=True,
    help="What a provider billed: NPI=AMOUNT, or AMOUNT when the estimate has one "
    "provider; repeat for each provider.",
)
@click.option(
    "--bill-date",
    type=DATE,
    help="The date on the bill. [default: today]",
)
@TABLE_OR_JSON
@db_option
def check_bill(
    gfe_id: str, billed: tuple[Billed, ...], bill_date: date | None, fmt: str, db: Path | str | None
) -> None:
    """Compare a bill with the Good Faith Estimate it followed, provider by provider.

    For each provider billed: its subtotal on the estimate, the amount billed, how much
    over, and whether that is $400 or more (the patient may then start the
    patient-provider dispute process), with the last day to start it: 120 days after the
    bill's date. A patient uses it on a bill; a front desk before sending one.

    \b
    Examples:
      ketacost gfe check-bill G-20261123-4VX2QD --billed 4200
      ketacost gfe check-bill G-20261123-4VX2QD --billed 1234567893=4200 \\
          --billed 1679576722=300 --bill-date 2027-01-15 --format json
    """
    with open_log(db, write=False) as log:
        entry = log.get(gfe_id)
    if entry is None or entry.kind != "gfe":
        raise click.BadParameter(
            f"there is no Good Faith Estimate {gfe_id.strip()!r} in the quote log",
            param_hint="'G-ID'",
        )
    try:
        saved = read_gfe(entry.result)
    except (KeyError, TypeError, ValueError):
        raise click.ClickException(f"{entry.id}: its saved record cannot be read") from None
    try:
        check = compare(saved, billed, bill_date or clock.today())
    except BillError as error:
        raise usage_error(str(error), error.field) from None
    if fmt == "json":
        write_output(dumps(bill_data(check)), None)
        return

    from ketacost.render.gfe_tables import bill_view  # Rich: only the table needs it

    show(bill_view(check), None)
