"""What ``gfe due`` and ``gfe check-bill`` show on a terminal: Rich tables of figures the
core worked out (:mod:`ketacost.gfe.due`, :mod:`ketacost.gfe.bill`). Names a patient or a
sheet gave go in as ``Text``, never markup."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from ketacost.gfe.bill import BillCheck
from ketacost.gfe.document import CMS_PHONE, CMS_SITE, DISPUTE_THRESHOLD
from ketacost.gfe.due import OpenDuty, Renewal
from ketacost.money import format_money
from ketacost.render.fit import Fit, stack
from ketacost.render.safe_text import terminal_text


def due_view(owed: list[OpenDuty], renew: list[Renewal]) -> Group:
    """Open duties (overdue marked), then the estimates to renew."""
    parts: list[Fit | Text] = []
    if owed:
        table = Table(title="Good Faith Estimates owed", box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("Quote", "Patient", "Due", "Overdue"):
            table.add_column(column, no_wrap=column != "Patient")
        for d in owed:
            patient = Text(terminal_text(d.patient or ""))
            quote = Text(terminal_text(d.quote))  # an id is text from the log, not markup
            table.add_row(quote, patient, d.due.isoformat(), "OVERDUE" if d.overdue else "")
        parts.append(Fit(table, fallback=stack(table)))
    else:
        parts.append(Text("No Good Faith Estimate is owed."))
    if renew:
        table = Table(title="To renew (12 months end soon)", box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("Good Faith Estimate", "Patient", "Ends"):
            table.add_column(column, no_wrap=column != "Patient")
        for r in renew:
            gfe, patient = Text(terminal_text(r.gfe)), Text(terminal_text(r.patient or ""))
            table.add_row(gfe, patient, r.ends.isoformat())
        parts.append(Fit(table, fallback=stack(table)))
    else:
        parts.append(Text("No Good Faith Estimate ends within 30 days."))
    return Group(*parts)


def bill_view(check: BillCheck) -> Group:
    """Each provider's bill beside its estimate, and the last day to start a dispute; on a
    screen too narrow for the columns, one provider at a time (no figure is cut)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    money = ("Estimated", "Billed", "Over by")
    for column in ("Provider", "NPI", *money, "Dispute"):
        table.add_column(
            column, justify="right" if column in money else "left", no_wrap=column != "Provider"
        )
    for bill in check.providers:
        table.add_row(
            Text(terminal_text(bill.provider.name)),
            bill.provider.npi,
            format_money(bill.provider.subtotal),
            format_money(bill.billed),
            format_money(bill.over_by),
            "eligible" if bill.eligible else f"no (under ${DISPUTE_THRESHOLD})",
        )
    eligible = any(bill.eligible for bill in check.providers)
    last = f"{check.deadline:%B} {check.deadline.day}, {check.deadline.year}"
    note = (
        f"A bill ${DISPUTE_THRESHOLD} or more above a provider's estimate may be disputed: "
        f"start the patient-provider dispute process by {last} (120 days after the bill's "
        f"date); see {CMS_SITE} or call {CMS_PHONE}."
        if eligible
        else f"No provider billed ${DISPUTE_THRESHOLD} or more above its estimate."
    )
    return Group(Fit(table, fallback=stack(table)), Text(note))
