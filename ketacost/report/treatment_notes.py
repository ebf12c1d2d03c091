"""Sentences about the treatment chosen, for the notes under an estimate
(:mod:`ketacost.report.notes` places them): whether insurance usually covers the
treatment, prior authorization, its phases, observation and billing codes by payer. How
it is paid is :mod:`ketacost.report.paying_notes`'s.
"""

from __future__ import annotations

from ketacost.coverage.shares import Coverage
from ketacost.schedule.phases import describe_phases
from ketacost.sheet.model import Treatment


def off_label_caveat(treatment: Treatment) -> str | None:
    """The caveat of a treatment insurance rarely covers, or None for one it usually
    covers (Spravato): the sheet's ``insurance`` flag decides."""
    if treatment.usually_covered:
        return None
    if "96365" in treatment.codes:
        return "insurance rarely covers ketamine infusions (off-label); ask your insurer."
    return f"insurance rarely covers {treatment.label} (off-label); ask your insurer."


def self_pay_text(treatment: Treatment) -> str:
    """The insurance sentence of a self-pay estimate."""
    caveat = off_label_caveat(treatment)
    if caveat is not None:
        return f"Self-pay: {caveat}"
    return f"Self-pay: {covered_text(treatment)}"


def covered_text(treatment: Treatment) -> str:
    """``usually covered by insurance with prior authorization: ...``."""
    text = "usually covered by insurance with prior authorization"
    if treatment.prior_authorization:
        text += f" ({treatment.prior_authorization})"
    return text + "; ask your insurer."


def insured_lines(treatment: Treatment, coverage: Coverage | None) -> list[str]:
    """For an insured estimate of a treatment insurance usually covers: that it does,
    with prior authorization (a self-pay estimate says so in its insurance sentence)."""
    if treatment.usually_covered and coverage is not None:
        return [f"{treatment.label} is {covered_text(treatment)}"]
    return []


def treatment_lines(t: Treatment, coverage: Coverage | None, phased: bool) -> list[str]:
    """What the treatment itself asks: coverage with prior authorization (``coverage``:
    the insurance assumed), the phases of its induction (``phased``: the induction follows
    them), observation time, and how payers bill it."""
    parts: list[str] = insured_lines(t, coverage)
    if phased:
        parts.append(f"Induction as its label gives it: {describe_phases(t.phases)}.")
    if t.observation_minutes:
        hours = t.observation_minutes / 60
        shown = (
            f"{hours:g} hours"
            if t.observation_minutes % 60 == 0
            else f"{t.observation_minutes} minutes"
        )
        parts.append(f"Each session includes at least {shown} of observation at the clinic.")
    if t.billing_note:
        parts.append(t.billing_note.rstrip(".") + ".")
    return [" ".join(parts)] if parts else []
