"""The treatments a patient chooses between, for a question such as the wizard's
"Which treatment?": one :class:`TreatmentChoice` per treatment of the sheet, with what
tells them apart (price range, schedule, insurance).

Pure: a front end asks the question and passes the chosen ``key`` as the request's
``condition``.
"""

from __future__ import annotations

from typing import NamedTuple

from ketacost.money import format_money
from ketacost.phases import describe_phases
from ketacost.sheet import PriceSheet, Treatment


class TreatmentChoice(NamedTuple):
    """One answer to "which treatment?": its key (what ``condition`` takes), its label,
    and a line saying what it costs and how it goes."""

    key: str
    label: str
    summary: str
    usually_covered: bool
    default: bool
    """The sheet's default treatment (the answer when none is given)."""


def summary_of(treatment: Treatment) -> str:
    """``$400.00-$800.00 a session; 6 sessions over 2 weeks; insurance rarely covers it``."""
    price = treatment.price
    cost = (
        format_money(price.low)
        if price.is_exact
        else f"{format_money(price.low)}-{format_money(price.high)}"
    )
    schedule = (
        describe_phases(treatment.phases)
        if treatment.phases
        else f"{treatment.induction_sessions} sessions over {treatment.induction_weeks} weeks"
    )
    if treatment.maintenance.unit != "none":
        schedule += f", then {treatment.maintenance.label}"
    insurance = (
        "usually covered by insurance with prior authorization"
        if treatment.usually_covered
        else "insurance rarely covers it (off-label)"
    )
    return f"{cost} a session; {schedule}; {insurance}"


def treatment_choices(sheet: PriceSheet) -> tuple[TreatmentChoice, ...]:
    """Every treatment of the sheet as a choice, in the sheet's order."""
    default = sheet.treatment(sheet.default_condition).key
    return tuple(
        TreatmentChoice(t.key, t.label, summary_of(t), t.usually_covered, t.key == default)
        for t in sheet.treatments
    )
