"""When sessions happen: the induction series and maintenance boosters (docs/schedule.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Phase = Literal["induction", "maintenance"]
INDUCTION: Phase = "induction"
MAINTENANCE: Phase = "maintenance"


class ScheduleError(ValueError):
    """A schedule that cannot be built from what was asked."""


@dataclass(frozen=True)
class Maintenance:
    """A booster plan: none, every N weeks, or every N months.

    ``plan`` names a plan from the price sheet (which may price boosters itself).
    """

    unit: Literal["none", "weeks", "months"] = "none"
    every: int = 0
    plan: str | None = None

    @property
    def label(self) -> str:
        if self.plan:
            return self.plan
        if self.unit == "none":
            return "none"
        if self.unit == "months":
            return "monthly" if self.every == 1 else f"every {self.every} months"
        return f"every {self.every} weeks" if self.every != 1 else "weekly"

    @property
    def normalized(self) -> str:
        """A short form that parses back to the same plan (``4w``, ``monthly``)."""
        if self.plan:
            return self.plan
        if self.unit == "none":
            return "none"
        return f"{self.every}w" if self.unit == "weeks" else f"{self.every}m"


NO_MAINTENANCE = Maintenance()

# A pattern as text: re compiles (and caches) it on first use, not at start-up.
_EVERY_RE = r"^(?:every\s+)?([0-9]{1,6})\s*(w|wk|wks|week|weeks|m|mo|month|months)$"
_NAMED = {
    "none": NO_MAINTENANCE,
    "no": NO_MAINTENANCE,
    "weekly": Maintenance("weeks", 1),
    "biweekly": Maintenance("weeks", 2),
    "monthly": Maintenance("months", 1),
    "every week": Maintenance("weeks", 1),
    "every month": Maintenance("months", 1),
}
MAX_INTERVAL_WEEKS = 52
MAX_INTERVAL_MONTHS = 12


def parse_maintenance(
    text: str, named_plans: Mapping[str, Maintenance] | None = None
) -> Maintenance:
    """Parse ``none``, ``every 4 weeks``, ``4w``, ``monthly``, ``every 2 months`` or a
    plan named in the price sheet."""
    if len(text) > 100:  # no plan's name is this long; refused before it is parsed
        raise ScheduleError(f"a maintenance plan of {len(text):,} characters is not one")
    key = " ".join(text.strip().lower().split())
    if named_plans and key in named_plans:
        return named_plans[key]
    if key in _NAMED:
        return _NAMED[key]
    match = re.match(_EVERY_RE, key, re.IGNORECASE)
    if match:
        every = int(match.group(1))
        unit: Literal["weeks", "months"] = "weeks" if match.group(2)[0] == "w" else "months"
        limit = MAX_INTERVAL_WEEKS if unit == "weeks" else MAX_INTERVAL_MONTHS
        if not 1 <= every <= limit:
            raise ScheduleError(f"{text!r}: the interval must be 1 to {limit} {unit}")
        return Maintenance(unit, every)
    known = ["none", "every N weeks", "Nw", "monthly", "every N months"]
    known += sorted(named_plans or ())
    raise ScheduleError(f"unknown maintenance plan {text!r} (use {', '.join(known)})")


@dataclass(frozen=True)
class Session:
    """One infusion: its 0-based number, calendar date and phase."""

    number: int
    date: date
    phase: Phase


def days_in_month(year: int, month: int) -> int:
    """28 to 31 (without importing calendar, which costs start-up time)."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def add_months(day: date, months: int) -> date:
    """The same day-of-month ``months`` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def induction_days(sessions: int, weeks: int) -> list[int]:
    """Day offsets of the induction sessions: session k falls on floor(k * 7w / n)."""
    if sessions < 1:
        raise ScheduleError("an induction needs at least one session")
    if weeks < 1:
        raise ScheduleError("an induction lasts at least one week")
    return [k * 7 * weeks // sessions for k in range(sessions)]


def booster_dates(last_induction: date, plan: Maintenance, months: int) -> list[date]:
    """Boosters from one interval after the last induction session up to and including
    the same day-of-month ``months`` later."""
    if plan.unit == "none" or months <= 0:
        return []
    end = add_months(last_induction, months)
    dates: list[date] = []
    k = 1
    while True:
        if plan.unit == "weeks":
            when = last_induction + timedelta(weeks=plan.every * k)
        else:
            when = add_months(last_induction, plan.every * k)
        if when > end:
            return dates
        dates.append(when)
        k += 1


def build_schedule(
    start: date, sessions: int, weeks: int, plan: Maintenance, months: int
) -> tuple[Session, ...]:
    """Every session in date order, induction first, then maintenance."""
    induction = [start + timedelta(days=d) for d in induction_days(sessions, weeks)]
    boosters = booster_dates(induction[-1], plan, months)
    result = [Session(i, day, INDUCTION) for i, day in enumerate(induction)]
    result += [Session(len(induction) + i, day, MAINTENANCE) for i, day in enumerate(boosters)]
    return tuple(result)
