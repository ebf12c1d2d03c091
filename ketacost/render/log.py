"""The quote log as a Rich table (``quotes list``) and as CSV or JSON (``quotes export``).

User text goes into Rich as ``Text`` (never markup) and into CSV through ``csv_cell``.
Exports are made piece by piece, one entry at a time, so memory stays flat however long
the log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ketacost.entries import Entry, entry_data, local_time
from ketacost.money import format_money, money_str
from ketacost.render.safe_text import csv_cell, terminal_text
from ketacost.render.text import csv_text
from ketacost.report.model import Report
from ketacost.sheet.model import SCENARIOS

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

SCENARIO_FIGURES = ("charges", "out_of_pocket")
EXPORT_FIELDS = (
    "id",
    "created",
    "kind",
    "prepared_by",
    "patient",
    "dob",
    "replaces",
    "condition",
    "treatment",
    "sessions",
    "maintenance",
    "months",
    "start",
    "sheet_name",
    "sheet_sha256",
    "ketacost_version",
)
REPLACED_MARK = "*"


class Listed(NamedTuple):
    """One row of ``quotes list``: an entry, its estimate, whether a later entry replaces it."""

    entry: Entry
    report: Report
    replaced: bool = False


WIDE = 100
"""From this many columns on, ``quotes list`` also shows the sessions."""
NARROW = 76
"""Below this many columns, ``quotes list`` leaves out who prepared each entry."""


def entries_table(rows: Sequence[Listed], width: int) -> Table:
    """One row per entry, in the order given: when it was saved (local date), the
    patient, who prepared it, the desk that gave it (when any entry shown records one)
    and the typical total the patient pays; ``WIDE`` columns or more add the sessions,
    fewer than ``NARROW`` leave out who prepared it. The id shows
    the kind (Q: quote, G: Good Faith Estimate); a replaced entry is marked ``*``
    (explained under the table). The other columns never wrap, so names get the room.
    Dates of birth are left out."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    replaced = any(row.replaced for row in rows)
    table = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        show_edge=False,
        caption=f"{REPLACED_MARK} replaced by a later entry (quotes show ID says by which)"
        if replaced
        else None,
        caption_justify="left",
    )
    wide, narrow = width >= WIDE, width < NARROW
    desks = any(row.entry.desk for row in rows)
    table.add_column("ID", no_wrap=True)
    table.add_column("Saved", no_wrap=True)
    table.add_column("Patient", min_width=16, overflow="fold")
    if not narrow:
        table.add_column("Prepared by", min_width=8, overflow="fold")
    if desks:
        table.add_column("Desk", min_width=6, overflow="fold")
    if wide:
        table.add_column("Sessions", no_wrap=True)
    table.add_column("Total", justify="right", no_wrap=True)
    for row in rows:
        e, typical = row.entry, row.report.scenarios["typical"]
        cells = [
            e.id + (f" {REPLACED_MARK}" if row.replaced else "  " if replaced else ""),
            local_time(e.created)[:10],
            e.patient or "",
            *([] if narrow else [e.prepared_by or ""]),
            *([e.desk or ""] if desks else []),
            *([f"{typical.sessions} {row.report.treatment}"] if wide else []),
            format_money(typical.out_of_pocket),
        ]
        table.add_row(*(Text(terminal_text(cell)) for cell in cells))
    return table


def entries_view(rows: Sequence[Listed], width: int) -> RenderableType:
    """:func:`entries_table`, or one entry at a time when even its narrow form does not
    fit (below about 50 columns): an id, a date or a total is never cut."""
    from ketacost.render.fit import Fit, stack

    table = entries_table(rows, width)
    return Fit(table, fallback=stack(table))


def _row(entry: Entry, report: Report) -> dict[str, str]:
    request = report.request
    row = {
        "id": entry.id,
        "created": entry.created,
        "kind": entry.kind,
        "prepared_by": entry.prepared_by or "",
        "patient": entry.patient or "",
        "dob": entry.dob or "",
        "replaces": entry.replaces or "",
        "condition": request.condition,
        "treatment": report.treatment,
        "sessions": str(report.scenarios["typical"].sessions),
        "maintenance": request.maintenance.normalized,
        "months": str(request.months),
        "start": request.start.isoformat(),
        "sheet_name": entry.sheet_name,
        "sheet_sha256": entry.sheet_sha256,
        "ketacost_version": entry.version,
    }
    for figure in SCENARIO_FIGURES:
        for scenario in SCENARIOS:
            row[f"{figure}_{scenario}"] = money_str(getattr(report.scenarios[scenario], figure))
    return row


MONEY_FIELDS = tuple(f"{f}_{s}" for f in SCENARIO_FIGURES for s in SCENARIOS)


def export_csv(rows: Iterable[tuple[Entry, Report]]) -> Iterator[str]:
    """One row per entry: who, when, what was asked, the totals per scenario (money as
    ``1234.50``), and last the desk that gave it (last, so a sheet that reads the columns
    of an older export by position still finds them). Every text cell is neutralized
    against spreadsheet formulas. The header first, then a line per entry as it comes."""
    yield csv_text([[*EXPORT_FIELDS, *MONEY_FIELDS, "desk"]])
    for entry, report in rows:
        row = _row(entry, report)
        cells = [csv_cell(row[f]) for f in EXPORT_FIELDS] + [row[m] for m in MONEY_FIELDS]
        yield csv_text([[*cells, csv_cell(entry.desk or "")]])


def export_json(entries: Iterable[Entry]) -> Iterator[str]:
    """Every entry in full (a Good Faith Estimate with its page), oldest first: a JSON
    list laid out as :func:`ketacost.report.to_data.dumps` lays it out, one entry at a time."""
    yield "["
    first = True
    for entry in entries:
        text = json.dumps(entry_data(entry, with_html=True), indent=2, ensure_ascii=False)
        yield ("\n" if first else ",\n") + "\n".join("  " + line for line in text.split("\n"))
        first = False
    yield "]\n" if first else "\n]\n"
