"""A superbill as a printable page and as CSV (docs/superbill.md).

Drawn from a :class:`~ketacost.superbill.statement.Superbill`, which holds every figure:
this module only formats. The page is ``templates/superbill.html`` with the Good Faith
Estimate's style sheet; every text fills its placeholder HTML-escaped, and every CSV cell
that a spreadsheet could run as a formula is defused.
"""

from __future__ import annotations

import csv
import io

from ketacost.money import format_money, money_str
from ketacost.render.layout import fill, template_text
from ketacost.render.safe_text import csv_cell
from ketacost.render.safe_text import page_text as escape
from ketacost.superbill.statement import POINTER_LETTERS, Superbill

PLACE_NAMES = {
    "02": "telehealth",
    "10": "telehealth at home",
    "11": "office",
    "22": "outpatient hospital",
}
"""Names of the common place of service codes (CMS Place of Service Code Set)."""
NOTE = (
    "The charges are the clinic's cash prices for the services listed. An item billed under "
    "several codes carries its whole charge on its first code's line; the lines after it "
    "show 0.00 (included). Send this statement with your plan's claim form; keep a copy."
)


def _row(label: str, value: str) -> str:
    return f"<tr><th scope=row>{escape(label)}</th><td>{escape(value)}</td></tr>"


def superbill_page(bill: Superbill) -> str:
    """The superbill as one self-contained HTML page (no script, nothing fetched)."""
    patient, billing = bill.patient, bill.billing
    extra = ""
    if patient.address:
        extra += _row("Address (item 5)", patient.address)
    if patient.member_id:
        extra += _row("Insured's ID number (item 1a)", patient.member_id)
    lines = "".join(
        "<tr>"
        f"<th scope=row>{line.day.isoformat()}</th>"
        f"<td data-label=Place>{escape(line.pos)} {escape(PLACE_NAMES.get(line.pos, ''))}</td>"
        f"<td data-label=Code>{escape(line.code)} <span class=note>{escape(line.label)}</span>"
        "</td>"
        f"<td data-label=Modifiers>{escape(' '.join(line.modifiers))}</td>"
        f"<td data-label='Diagnosis pointer'>{escape(line.pointer)}</td>"
        f"<td class=num data-label=Units>{line.units}</td>"
        f"<td class=num data-label=Charge>{format_money(line.charge)}</td>"
        "</tr>"
        for line in bill.lines
    )
    diagnoses = "".join(_row(POINTER_LETTERS[n], code) for n, code in enumerate(bill.diagnoses))
    return fill(
        "superbill.html",
        css=template_text("gfe.css"),
        id=escape(bill.id),
        issued=bill.issued.isoformat(),
        source=escape(bill.source),
        replaces="" if bill.replaces is None else _row("Replaces", bill.replaces),
        patient=escape(patient.name),
        dob=patient.dob.isoformat(),
        patient_extra=extra,
        billing_name=escape(billing.name),
        billing_address=escape(billing.address),
        billing_phone="" if not billing.phone else "<br>" + escape(billing.phone),
        billing_npi=escape(billing.npi),
        taxonomy=escape(billing.taxonomy),
        tin=escape(billing.tin),
        rendering_npi=escape(bill.rendering_npi),
        diagnoses=diagnoses,
        lines=lines,
        charged=format_money(bill.charged),
        paid=format_money(bill.paid),
        balance=format_money(bill.balance),
        paid_in_full=("<p><strong>Paid in full.</strong></p>" if bill.paid_in_full else "")
        + "".join(
            f"<p class=note>Billed by another provider, on its own statement: {escape(e)}</p>"
            for e in bill.elsewhere
        ),
        note=escape(NOTE),
    )


CSV_HEAD = (
    "superbill", "patient", "dob", "member_id", "date_of_service", "place_of_service", "code",
    "modifiers", "units", "diagnosis_pointer", "diagnoses", "charge", "rendering_npi",
    "billing_npi", "tin", "taxonomy",
)  # fmt: skip


def superbill_csv(bill: Superbill) -> str:
    """One row per service line, with the claim's identity on each; the totals follow as
    rows of their own (``total_charge``, ``paid``, ``balance``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEAD)
    for line in bill.lines:
        writer.writerow(
            csv_cell(str(value))
            for value in (
                bill.id,
                bill.patient.name,
                bill.patient.dob.isoformat(),
                bill.patient.member_id,
                line.day.isoformat(),
                line.pos,
                line.code,
                " ".join(line.modifiers),
                line.units,
                line.pointer,
                " ".join(bill.diagnoses),
                money_str(line.charge),
                line.npi,
                bill.billing.npi,
                bill.billing.tin,
                bill.billing.taxonomy,
            )
        )
    for label, amount in (("total_charge", bill.charged), ("paid", bill.paid),
                          ("balance", bill.balance)):  # fmt: skip
        writer.writerow([csv_cell(bill.id), label, "", "", "", "", "", "", "", "", "",
                         money_str(amount), "", "", "", ""])  # fmt: skip
    return out.getvalue()
