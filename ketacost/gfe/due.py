"""What a front desk owes (docs/gfe.md): Good Faith Estimates due for the quotes whose
patient scheduled or asked (a quote's ``duty``), until one is issued from that quote; and
Good Faith Estimates whose 12 months end soon while the series goes on, to be renewed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ketacost.entries import ESTIMATES, Entry
from ketacost.gfe.record import read_gfe
from ketacost.gfe.timing import RENEW_WITHIN_DAYS, read_duty


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


def duties(
    entries: Iterable[Entry],
    today: date,
    damaged: Callable[[str, str], None] | None = None,
) -> tuple[list[OpenDuty], list[Renewal]]:
    """Open duties (soonest due first) and renewals (soonest end first), from the entries
    oldest first (a Good Faith Estimate comes after the quote it was issued from, a
    revision after what it replaces), in one pass that keeps only what is still open:
    memory follows what is owed, not the length of the log. An entry whose duty or Good
    Faith Estimate record cannot be read goes to ``damaged`` (its id and why) rather than
    silently dropping a duty."""
    owed: dict[str, OpenDuty] = {}
    ending: dict[str, Renewal] = {}
    horizon = today + timedelta(days=RENEW_WITHIN_DAYS)
    for entry in entries:
        if entry.kind not in ESTIMATES:  # a superbill or a claim payment owes no estimate
            continue
        if entry.replaces:
            owed.pop(entry.replaces, None)
            ending.pop(entry.replaces, None)
        if entry.kind == "quote":
            stored = entry.result.get("duty")
            duty = read_duty(stored)
            if duty is not None:
                owed[entry.id] = OpenDuty(
                    quote=entry.id, patient=entry.patient, due=duty.due, overdue=duty.due < today
                )
            elif stored is not None and damaged is not None:
                damaged(entry.id, "its record of the Good Faith Estimate owed is damaged")
            continue
        owed.pop(_quote_of(entry) or "", None)
        try:
            saved = read_gfe(entry.result)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            if damaged is not None:
                damaged(entry.id, "its saved Good Faith Estimate is damaged")
            continue
        if saved.continues and today <= saved.end <= horizon:
            ending[entry.id] = Renewal(gfe=entry.id, patient=entry.patient, ends=saved.end)
    return (
        sorted(owed.values(), key=lambda d: (d.due, d.quote)),
        sorted(ending.values(), key=lambda r: (r.ends, r.gfe)),
    )


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
