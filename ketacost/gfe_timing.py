"""When a Good Faith Estimate is owed (docs/gfe.md; 45 CFR 149.610(b)).

A self-pay patient who schedules a service at least 3 business days ahead is owed a Good
Faith Estimate within 1 business day of scheduling; at least 10 business days ahead, within
3 business days. A patient who asks for one (a question about price counts) is owed it
within 3 business days of asking. Business days skip weekends and US federal holidays.

The holidays come from the ``holidays`` library (kept up to date by its maintainers, with
observed days such as a Friday for a Saturday holiday), imported only when a business day
is counted, so that no other command pays for loading it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Any, Literal, NamedTuple

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


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The US federal holidays of a year, with their observed days."""
    import holidays  # only here: counting business days is the only use

    return frozenset(holidays.country_holidays("US", years=year))


def is_business_day(day: date) -> bool:
    """Monday to Friday, and not a US federal holiday (nor its observed day)."""
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def business_days_after(day: date, count: int) -> date:
    """The ``count``-th business day after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def business_days_between(start: date, end: date, most: int | None = None) -> int:
    """How many business days fall after ``start``, up to and including ``end`` (0 when
    ``end`` is not after ``start``); counting stops at ``most``."""
    count, day = 0, start
    while day < end and (most is None or count < most):
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


class Duty(NamedTuple):
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


def due_date(recorded: date, scheduled: date | None, requested: bool) -> date | None:
    """When the Good Faith Estimate is due, or None when none is owed: scheduled at least
    10 business days ahead, 3 business days after scheduling; at least 3, 1 business day
    after; asked for, 3 business days after asking. When both apply, the earlier."""
    dues = []
    if scheduled is not None:
        ahead = business_days_between(recorded, scheduled, most=FAR_DAYS)
        if ahead >= FAR_DAYS:
            dues.append(business_days_after(recorded, 3))
        elif ahead >= NEAR_DAYS:
            dues.append(business_days_after(recorded, 1))
    if requested:
        dues.append(business_days_after(recorded, ON_REQUEST_DAYS))
    return min(dues, default=None)


def duty_for(recorded: date, scheduled: date | None, requested: bool) -> Duty | None:
    """The duty a patient's scheduling or asking creates, or None when none is owed (a
    service fewer than 3 business days away, not asked for)."""
    check_scheduled(scheduled, recorded)
    due = due_date(recorded, scheduled, requested)
    if due is None:
        return None
    kind: DutyKind = "scheduled" if scheduled is not None else "requested"
    return Duty(kind, recorded, scheduled, due)


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
            "scheduled" if data["kind"] == "scheduled" else "requested",
            date.fromisoformat(data["recorded"]),
            None if scheduled is None else date.fromisoformat(scheduled),
            date.fromisoformat(data["due"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
