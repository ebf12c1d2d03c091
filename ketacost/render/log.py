"""The quote log as a Rich table (``quotes list``) and as CSV or JSON (``quotes export``).

User text goes into Rich as ``Text`` (never markup) and into CSV through ``safe_cell``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ketacost.money import D, format_money
from ketacost.render.text import safe_cell

if TYPE_CHECKING:
    from rich.table import Table

    from ketacost.store import Entry

SCENARIO_FIGURES = ("charges", "out_of_pocket")
EXPORT_FIELDS = ("id", "created", "kind", "prepared_by", "patient", "dob", "replaces",
                 "condition", "treatment", "sessions", "maintenance", "months", "start",
                 "sheet_name", "sheet_sha256", "ketacost_version")


def local_time(created: str) -> str:
    """A saved UTC time, as the desk's local ``YYYY-MM-DD HH:MM``."""
    return f"{datetime.fromisoformat(created).astimezone():%Y-%m-%d %H:%M}"


def entry_data(entry: Entry, *, with_html: bool = False) -> dict[str, Any]:
    """An entry as JSON-ready data: who and when first, then the estimate as quoted."""
    data = {"id": entry.id, "kind": entry.kind, "created": entry.created,
            "prepared_by": entry.prepared_by, "patient": entry.patient, "dob": entry.dob,
            "replaces": entry.replaces, **entry.result}
    if with_html and entry.html is not None:
        data["html"] = entry.html
    return data


def _typical(entry: Entry, figure: str) -> str:
    return str(entry.result["scenarios"]["typical"][figure])


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
        typical = e.result["scenarios"]["typical"]
        cells = [e.id, e.patient or "", f"{typical['sessions']} {e.inputs['treatment']}",
                 format_money(D(typical["out_of_pocket"]))]
        cells += [e.replaces or ""] if replaces else []
        table.add_row(*(Text(cell) for cell in cells))
    return table


def _row(entry: Entry) -> dict[str, str]:
    inputs = entry.inputs
    row = {"id": entry.id, "created": entry.created, "kind": entry.kind,
           "prepared_by": entry.prepared_by or "", "patient": entry.patient or "",
           "dob": entry.dob or "", "replaces": entry.replaces or "",
           "condition": str(inputs["condition"]), "treatment": str(inputs["treatment"]),
           "sessions": str(entry.result["scenarios"]["typical"]["sessions"]),
           "maintenance": str(inputs["maintenance"]), "months": str(inputs["months"]),
           "start": str(inputs["start"]), "sheet_name": entry.sheet_name,
           "sheet_sha256": entry.sheet_sha256, "ketacost_version": entry.version}
    for figure in SCENARIO_FIGURES:
        for scenario, result in entry.result["scenarios"].items():
            row[f"{figure}_{scenario}"] = str(result[figure])
    return row


def export_csv(entries: Sequence[Entry]) -> str:
    """One row per entry: who, when, what was asked, and the totals per scenario (money as
    ``1234.50``). Every text cell is neutralized against spreadsheet formulas."""
    out = io.StringIO()
    money = [f"{f}_{s}" for f in SCENARIO_FIGURES for s in ("low", "typical", "high")]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*EXPORT_FIELDS, *money])
    for entry in entries:
        row = _row(entry)
        writer.writerow([safe_cell(row[f]) for f in EXPORT_FIELDS] + [row[m] for m in money])
    return out.getvalue()


def export_json(entries: Sequence[Entry]) -> str:
    """Every entry in full (a Good Faith Estimate with its page), oldest first."""
    return json.dumps([entry_data(e, with_html=True) for e in entries], indent=2,
                      ensure_ascii=False) + "\n"
