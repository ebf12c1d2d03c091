"""The quote log as a Rich table (``quotes list``) and as CSV or JSON (``quotes export``).

User text goes into Rich as ``Text`` (never markup) and into CSV through ``csv_cell``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ketacost.entries import Entry, entry_data
from ketacost.money import format_money, money_str
from ketacost.render.safe_text import csv_cell, terminal_text
from ketacost.render.text import csv_text
from ketacost.report_json import dumps
from ketacost.sheet import SCENARIOS

if TYPE_CHECKING:
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


def entries_table(entries: Sequence[Entry]) -> Table:
    """One row per entry, in the order given: the typical total the patient pays. The id
    shows the kind (Q: quote, G: Good Faith Estimate) and the day it was saved; dates of
    birth are left out."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("Patient", min_width=10, overflow="fold")
    table.add_column("Sessions", min_width=10)
    table.add_column("Total", justify="right", no_wrap=True)
    replaces = any(e.replaces for e in entries)
    if replaces:
        table.add_column("Replaces", no_wrap=True)
    for e in entries:
        report = e.report()
        typical = report.scenarios["typical"]
        cells = [
            e.id,
            e.patient or "",
            f"{typical.sessions} {report.inputs.treatment}",
            format_money(typical.out_of_pocket),
        ]
        cells += [e.replaces or ""] if replaces else []
        table.add_row(*(Text(terminal_text(cell)) for cell in cells))
    return table


def _row(entry: Entry) -> dict[str, str]:
    report = entry.report()
    inputs = report.inputs
    row = {
        "id": entry.id,
        "created": entry.created,
        "kind": entry.kind,
        "prepared_by": entry.prepared_by or "",
        "patient": entry.patient or "",
        "dob": entry.dob or "",
        "replaces": entry.replaces or "",
        "condition": inputs.condition,
        "treatment": inputs.treatment,
        "sessions": str(report.scenarios["typical"].sessions),
        "maintenance": inputs.maintenance,
        "months": str(inputs.months),
        "start": inputs.start.isoformat(),
        "sheet_name": entry.sheet_name,
        "sheet_sha256": entry.sheet_sha256,
        "ketacost_version": entry.version,
    }
    for figure in SCENARIO_FIGURES:
        for scenario in SCENARIOS:
            row[f"{figure}_{scenario}"] = money_str(getattr(report.scenarios[scenario], figure))
    return row


def export_csv(entries: Sequence[Entry]) -> str:
    """One row per entry: who, when, what was asked, and the totals per scenario (money as
    ``1234.50``). Every text cell is neutralized against spreadsheet formulas."""
    money = [f"{f}_{s}" for f in SCENARIO_FIGURES for s in SCENARIOS]
    rows = [_row(entry) for entry in entries]
    return csv_text(
        [
            [*EXPORT_FIELDS, *money],
            *([csv_cell(row[f]) for f in EXPORT_FIELDS] + [row[m] for m in money] for row in rows),
        ]
    )


def export_json(entries: Sequence[Entry]) -> str:
    """Every entry in full (a Good Faith Estimate with its page), oldest first."""
    return dumps([entry_data(e, with_html=True) for e in entries])
