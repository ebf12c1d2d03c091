"""``ketacost gfe due``: the Good Faith Estimates owed, and those to renew (docs/gfe.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ketacost.cli import clock
from ketacost.cli.decorators import TABLE_OR_JSON
from ketacost.cli.dispatch import show
from ketacost.cli.files import write_output
from ketacost.cli.log_options import db_option
from ketacost.cli.logbook import log_if_any, warn
from ketacost.entries import Unreadable
from ketacost.gfe.due import OpenDuty, Renewal, duties, duties_data
from ketacost.report.to_data import dumps


def _damaged(entry_id: str, reason: str) -> None:
    warn(Unreadable(id=entry_id, reason=reason))


@click.command()
@TABLE_OR_JSON
@db_option
def due(fmt: str, db: Path | str | None) -> None:
    """List the Good Faith Estimates owed, and those to renew.

    Owed: a quote saved with --scheduled or --requested, or for a named patient not
    using insurance (a price question is a request), records that a patient scheduled or
    asked, and when the estimate is due (in business days, counted both as weekdays
    less US federal holidays and as the clinic's open days, whichever is sooner); issuing
    one with 'ketacost gfe --quote ID' closes it. To renew: Good Faith Estimates whose 12
    months end within 30 days while the series goes on past them.

    \b
    Examples:
      ketacost gfe due
      ketacost gfe due --format json
    """
    owed: list[OpenDuty] = []
    renew: list[Renewal] = []
    with log_if_any(db) as log:
        if log is not None:
            entries = log.entries(limit=None, newest_first=False, damaged=warn)
            owed, renew = duties(entries, clock.today(), _damaged)
    if fmt == "json":
        write_output(dumps(duties_data(owed, renew)), None)
        return

    from ketacost.render.gfe_tables import due_view  # Rich: only the table needs it

    show(due_view(owed, renew), None)
