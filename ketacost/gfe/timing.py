"""When a Good Faith Estimate is owed (docs/gfe.md; 45 CFR 149.610(b)).

A self-pay patient who schedules a service at least 3 business days ahead is owed a Good
Faith Estimate within 1 business day of scheduling; at least 10 business days ahead, within
3 business days. A patient who asks for one (a question about price counts) is owed it
within 3 business days of asking.

The regulation does not say what a business day is. A duty is counted by two readings,
and the due date is the earlier of the two, so that it is never later than either: the
federal one (Monday to Friday, less the US federal holidays and their observed days) and
the clinic's own (the days its price sheet says it is open: a clinic open on Saturdays
owes sooner). docs/gfe.md says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from ketacost.schedule.sessions import OPEN_WEEKDAYS, ClinicDays

NEAR_DAYS = 3
"""Scheduled at least this many business days ahead: due within 1 business day."""
FAR_DAYS = 10
"""Scheduled at least this many business days ahead: due within 3 business days."""
ON_REQUEST_DAYS = 3
"""Asked for: due within this many business days."""
RENEW_WITHIN_DAYS = 30
"""A Good Faith Estimate whose period ends within this many days is due for renewal."""

DutyKind = Literal["scheduled", "requested"]


class TimingError(ValueError):
    """A date that cannot be used; ``field`` names the request field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


FEDERAL: ClinicDays = OPEN_WEEKDAYS
"""The federal reading of a business day: Monday to Friday, less the US federal holidays
and their observed days."""


def business_days_after(day: date, count: int, days: ClinicDays = FEDERAL) -> date:
    """The ``count``-th business day after ``day``, by one reading."""
    while count > 0:
        day += timedelta(days=1)
        if days.is_open(day):
            count -= 1
    return day


def business_days_between(
    start: date, end: date, most: int | None = None, days: ClinicDays = FEDERAL
) -> int:
    """How many business days, by one reading, fall after ``start``, up to and including
    ``end`` (0 when ``end`` is not after ``start``); counting stops at ``most``."""
    count, day = 0, start
    while day < end and (most is None or count < most):
        day += timedelta(days=1)
        if days.is_open(day):
            count += 1
    return count


def readings(clinic: ClinicDays | None) -> tuple[ClinicDays, ...]:
    """The readings of a business day a duty is counted by: the federal one, and the
    clinic's open days when they differ."""
    return (FEDERAL,) if clinic is None or clinic == FEDERAL else (FEDERAL, clinic)


@dataclass(frozen=True, slots=True, kw_only=True)
class Duty:
    """A Good Faith Estimate owed: recorded on ``recorded`` (the day the patient scheduled
    or asked), for a service on ``scheduled`` if one is, due by ``due``."""

    kind: DutyKind
    recorded: date
    scheduled: date | None
    due: date


def check_scheduled(scheduled: date | None, today: date) -> None:
    """A scheduled date in the past cannot be estimated."""
    if scheduled is not None and scheduled < today:
        raise TimingError(
            f"{scheduled.isoformat()} is in the past: a Good Faith Estimate is for care to come",
            "scheduled",
        )


SELF_PAY_ONLY = "a Good Faith Estimate is for patients not using insurance"


def is_self_pay(coverage: object | None) -> bool:
    """Whether a patient is one a Good Faith Estimate is for: one not using insurance
    (45 CFR 149.610). ``coverage`` is the request's health plan, as a record or as saved;
    None when there is none."""
    return coverage is None


def is_request(patient: str | None, coverage: object | None, said: bool | None) -> bool:
    """Whether a quote is a request for a Good Faith Estimate: when the desk says
    (``said``), that; otherwise a price question from a named patient not using insurance
    (``coverage`` None) is one (45 CFR 149.610(b)(1): a question about price counts as
    asking)."""
    if said is not None:
        return said
    return is_self_pay(coverage) and bool(patient and patient.strip())


def due_by(
    recorded: date, scheduled: date | None, requested: bool, days: ClinicDays
) -> date | None:
    """The due date by one reading of a business day, or None when none is owed."""
    dues = []
    if scheduled is not None:
        ahead = business_days_between(recorded, scheduled, most=FAR_DAYS, days=days)
        if ahead >= FAR_DAYS:
            dues.append(business_days_after(recorded, 3, days))
        elif ahead >= NEAR_DAYS:
            dues.append(business_days_after(recorded, 1, days))
    if requested:
        dues.append(business_days_after(recorded, ON_REQUEST_DAYS, days))
    return min(dues, default=None)


def due_date(
    recorded: date, scheduled: date | None, requested: bool, clinic: ClinicDays | None = None
) -> date | None:
    """When the Good Faith Estimate is due, or None when none is owed: scheduled at least
    10 business days ahead, 3 business days after scheduling; at least 3, 1 business day
    after; asked for, 3 business days after asking. When both apply, the earlier. Counted
    by the federal reading of a business day and by the ``clinic``'s open days: owed if
    either reading owes it, due on the earlier of their dates."""
    dues = [due_by(recorded, scheduled, requested, days) for days in readings(clinic)]
    return min((due for due in dues if due is not None), default=None)


def duty_for(
    recorded: date, scheduled: date | None, requested: bool, clinic: ClinicDays | None = None
) -> Duty | None:
    """The duty a patient's scheduling or asking creates, or None when none is owed (a
    service fewer than 3 business days away, not asked for). Its kind is ``scheduled``
    when the scheduling alone owes one, else ``requested``."""
    check_scheduled(scheduled, recorded)
    due = due_date(recorded, scheduled, requested, clinic)
    if due is None:
        return None
    by_scheduling = due_date(recorded, scheduled, False, clinic) is not None
    kind: DutyKind = "scheduled" if by_scheduling else "requested"
    return Duty(kind=kind, recorded=recorded, scheduled=scheduled, due=due)


def issue_due(
    recorded: date, scheduled: date | None, duty: Duty | None, clinic: ClinicDays | None = None
) -> date | None:
    """When a Good Faith Estimate issued on ``recorded`` was due: its quote's duty's date
    when the quote kept one, else as :func:`due_date` counts it for the session
    ``scheduled`` or, with none scheduled, for a request."""
    if duty is not None:
        return duty.due
    return due_date(recorded, scheduled, scheduled is None, clinic)


def quote_duty(
    recorded: date,
    scheduled: date | None,
    patient: str | None,
    coverage: object | None,
    said: bool | None = None,
    clinic: ClinicDays | None = None,
) -> Duty | None:
    """The duty a quote saved on ``recorded`` creates, kept with it: a first session
    ``scheduled`` (as it falls on the clinic's days), or a request (:func:`is_request`:
    what the desk ``said``, else a named self-pay patient's price question); None when
    none is owed. Raises TimingError naming ``scheduled`` (or ``requested``) when a duty
    would fall on a patient using insurance: a Good Faith Estimate is for self-pay
    patients. The one rule every face that saves a quote follows."""
    requested = is_request(patient, coverage, said)
    if scheduled is None and not requested:
        return None
    duty = duty_for(recorded, scheduled, requested, clinic)
    if duty is not None and not is_self_pay(coverage):
        raise TimingError(SELF_PAY_ONLY, "scheduled" if scheduled is not None else "requested")
    return duty


def duty_data(duty: Duty) -> dict[str, Any]:
    """The ``duty`` block a quote keeps in the log."""
    return {
        "kind": duty.kind,
        "recorded": duty.recorded.isoformat(),
        "scheduled": None if duty.scheduled is None else duty.scheduled.isoformat(),
        "due": duty.due.isoformat(),
    }


def read_duty(data: Any) -> Duty | None:
    """The duty a saved quote's ``duty`` block holds, or None (none, or not readable)."""
    if not isinstance(data, dict):
        return None
    try:
        scheduled = data.get("scheduled")
        return Duty(
            kind="scheduled" if data["kind"] == "scheduled" else "requested",
            recorded=date.fromisoformat(data["recorded"]),
            scheduled=None if scheduled is None else date.fromisoformat(scheduled),
            due=date.fromisoformat(data["due"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
