"""What a front desk owes (docs/gfe.md): Good Faith Estimates due for the quotes whose
patient scheduled or asked (a quote's ``duty``), until one is issued from that quote; and
Good Faith Estimates whose 12 months end soon while the series goes on, to be renewed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ketacost.entries import Entry
from ketacost.gfe_record import read_gfe
from ketacost.gfe_timing import RENEW_WITHIN_DAYS, read_duty


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenDuty:
    """A Good Faith Estimate owed for a quote, not yet issued."""

    quote: str
    patient: str | None
    due: date
    overdue: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Renewal:
    """A Good Faith Estimate whose period ends soon while its series goes on past it, not
    yet replaced."""

    gfe: str
    patient: str | None
    ends: date


def _quote_of(entry: Entry) -> str | None:
    """The quote a Good Faith Estimate was issued from, if any."""
    block = entry.result.get("gfe")
    quote = block.get("quote") if isinstance(block, dict) else None
    return quote if isinstance(quote, str) else None


def duties(entries: Iterable[Entry], today: date) -> tuple[list[OpenDuty], list[Renewal]]:
    """Open duties (soonest due first) and renewals (soonest end first)."""
    entries = list(entries)
    issued_for = {_quote_of(e) for e in entries if e.kind == "gfe"}
    replaced = {e.replaces for e in entries if e.replaces}
    owed = []
    for entry in entries:
        duty = read_duty(entry.result.get("duty")) if entry.kind == "quote" else None
        if duty is not None and entry.id not in issued_for and entry.id not in replaced:
            owed.append(
                OpenDuty(
                    quote=entry.id, patient=entry.patient, due=duty.due, overdue=duty.due < today
                )
            )
    horizon = today + timedelta(days=RENEW_WITHIN_DAYS)
    renew = []
    for entry in entries:
        if entry.kind != "gfe" or entry.id in replaced:
            continue
        try:
            saved = read_gfe(entry.result)
        except (KeyError, TypeError, ValueError):
            continue
        if saved.continues and today <= saved.end <= horizon:
            renew.append(Renewal(gfe=entry.id, patient=entry.patient, ends=saved.end))
    owed.sort(key=lambda d: (d.due, d.quote))
    renew.sort(key=lambda r: (r.ends, r.gfe))
    return owed, renew


def duties_data(owed: list[OpenDuty], renew: list[Renewal]) -> dict[str, Any]:
    """``{"duties": [{"quote", "patient", "due", "overdue"}], "renewals": [{"gfe",
    "patient", "ends"}]}``."""
    return {
        "duties": [
            {"quote": d.quote, "patient": d.patient, "due": d.due.isoformat(), "overdue": d.overdue}
            for d in owed
        ],
        "renewals": [
            {"gfe": r.gfe, "patient": r.patient, "ends": r.ends.isoformat()} for r in renew
        ],
    }
