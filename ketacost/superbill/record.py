"""A superbill as the quote log keeps it: the ``superbill`` object of its saved JSON
(docs/superbill.md), and that object read back. Money is a two-decimal string, dates
ISO 8601."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ketacost.money import D, money_str
from ketacost.superbill.statement import BillingProvider, Patient, ServiceLine, Superbill

Data = dict[str, Any]


def superbill_record(bill: Superbill) -> Data:
    """The ``superbill`` object kept in the quote log (``moved`` only when a session
    was given on another day than scheduled, so earlier records read the same)."""
    patient, billing = bill.patient, bill.billing
    record: Data = {
        "issued": bill.issued.isoformat(),
        "source": bill.source,
        "replaces": bill.replaces,
        "month": bill.month,
        "patient": {
            "name": patient.name,
            "dob": patient.dob.isoformat(),
            "address": patient.address,
            "member_id": patient.member_id,
        },
        "diagnoses": list(bill.diagnoses),
        "billing": {
            "name": billing.name,
            "npi": billing.npi,
            "tin": billing.tin,
            "address": billing.address,
            "taxonomy": billing.taxonomy,
            "phone": billing.phone,
        },
        "rendering_npi": bill.rendering_npi,
        "sessions": [d.isoformat() for d in bill.sessions],
        "lines": [
            {
                "date": line.day.isoformat(),
                "pos": line.pos,
                "code": line.code,
                "modifiers": list(line.modifiers),
                "units": line.units,
                "pointer": line.pointer,
                "charge": money_str(line.charge),
                "npi": line.npi,
                "description": line.label,
            }
            for line in bill.lines
        ],
        "charged": money_str(bill.charged),
        "paid": money_str(bill.paid),
        "balance": money_str(bill.balance),
        "paid_in_full": bill.paid_in_full,
        "elsewhere": list(bill.elsewhere),
    }
    if bill.moved:
        record["moved"] = [
            {"given": given.isoformat(), "scheduled": planned.isoformat()}
            for given, planned in bill.moved
        ]
    return record


def read_superbill(entry_id: str, block: Mapping[str, Any]) -> Superbill:
    """The saved ``superbill`` object of entry ``entry_id``. Raises KeyError, TypeError
    or ValueError on data that is not such a record, or whose saved totals are not its
    lines' (the charged and balance kept for readers of the JSON are worked out again)."""
    patient, billing = block["patient"], block["billing"]
    bill = Superbill(
        id=entry_id,
        issued=date.fromisoformat(block["issued"]),
        source=str(block["source"]),
        replaces=block.get("replaces"),
        month=block.get("month"),
        patient=Patient(
            name=str(patient["name"]),
            dob=date.fromisoformat(patient["dob"]),
            address=str(patient.get("address", "")),
            member_id=str(patient.get("member_id", "")),
        ),
        diagnoses=tuple(str(d) for d in block["diagnoses"]),
        billing=BillingProvider(**{k: str(billing[k]) for k in BILLING_FIELDS}),
        rendering_npi=str(block["rendering_npi"]),
        sessions=tuple(date.fromisoformat(d) for d in block["sessions"]),
        lines=tuple(
            ServiceLine(
                day=date.fromisoformat(line["date"]),
                pos=str(line["pos"]),
                code=str(line["code"]),
                modifiers=tuple(str(m) for m in line["modifiers"]),
                units=int(line["units"]),
                pointer=str(line["pointer"]),
                charge=D(line["charge"]),
                npi=str(line["npi"]),
                label=str(line["description"]),
            )
            for line in block["lines"]
        ),
        paid=D(block["paid"]),
        elsewhere=tuple(str(e) for e in block.get("elsewhere", ())),
        moved=tuple(
            (date.fromisoformat(m["given"]), date.fromisoformat(m["scheduled"]))
            for m in block.get("moved", ())
        ),
    )
    if (block["charged"], block["balance"]) != (money_str(bill.charged), money_str(bill.balance)):
        raise ValueError(f"superbill {entry_id}'s totals are not its lines'")
    return bill


BILLING_FIELDS = ("name", "npi", "tin", "address", "taxonomy", "phone")
