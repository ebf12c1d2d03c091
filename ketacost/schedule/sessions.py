"""When sessions happen: the induction series and maintenance boosters (docs/schedule.md)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import date as _date  # Session has a field named date
from typing import Literal, NamedTuple

from ketacost.schedule.holidays import federal_holidays
from ketacost.schedule.phases import InductionPhase, PhaseError, phase_days, split_tapering

Phase = Literal["induction", "maintenance"]
INDUCTION: Phase = "induction"
MAINTENANCE: Phase = "maintenance"


class ScheduleError(ValueError):
    """A schedule that cannot be built from what was asked."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Maintenance:
    """A booster plan: none, every N weeks, or every N months.

    ``plan`` names a plan from the price sheet (which may price boosters itself).
    """

    unit: Literal["none", "weeks", "months"] = "none"
    every: int = 0
    plan: str | None = None
    for_months: int | None = None
    """A tapering plan's first phase lasts this many months; None: to the end."""
    then: Maintenance | None = None
    """The next phase of a tapering plan (docs/schedule.md)."""

    @property
    def label(self) -> str:
        if self.plan:
            return self.plan
        if self.unit == "none":
            return "none"
        if self.unit == "months":
            text = "monthly" if self.every == 1 else f"every {self.every} months"
        else:
            text = f"every {self.every} weeks" if self.every != 1 else "weekly"
        if self.for_months is not None:
            text += f" for {self.for_months} month{'s' if self.for_months != 1 else ''}"
        return text if self.then is None else f"{text}, then {self.then.label}"

    @property
    def normalized(self) -> str:
        """A short form that parses back to the same plan (``4w``, ``monthly``,
        ``4w for 3m, then 6w``)."""
        if self.plan:
            return self.plan
        if self.unit == "none":
            return "none"
        text = f"{self.every}w" if self.unit == "weeks" else f"{self.every}m"
        if self.for_months is not None:
            text += f" for {self.for_months}m"
        return text if self.then is None else f"{text}, then {self.then.normalized}"

    @property
    def phases(self) -> tuple[Maintenance, ...]:
        """Each phase on its own (without its ``then``), in order."""
        phases: list[Maintenance] = []
        phase: Maintenance | None = self
        while phase is not None:
            phases.append(
                Maintenance(
                    unit=phase.unit, every=phase.every, plan=None, for_months=phase.for_months
                )
            )
            phase = phase.then
        return tuple(phases)


NO_MAINTENANCE = Maintenance()

_EVERY = re.compile(
    r"^(?:every\s+)?([0-9]{1,6})\s*(w|wk|wks|week|weeks|m|mo|month|months)$", re.IGNORECASE
)
_NAMED = {
    "none": NO_MAINTENANCE,
    "no": NO_MAINTENANCE,
    "weekly": Maintenance(unit="weeks", every=1),
    "biweekly": Maintenance(unit="weeks", every=2),
    "monthly": Maintenance(unit="months", every=1),
    "every week": Maintenance(unit="weeks", every=1),
    "every month": Maintenance(unit="months", every=1),
}
MAX_INTERVAL_WEEKS = 52
MAX_INTERVAL_MONTHS = 12


def parse_maintenance(
    text: str, named_plans: Mapping[str, Maintenance] | None = None
) -> Maintenance:
    """Parse ``none``, ``every 4 weeks``, ``4w``, ``monthly``, ``every 2 months``, a
    tapering plan (``every 4 weeks for 3 months, then every 6 weeks``) or a plan named in
    the price sheet."""
    if len(text) > 200:  # no plan is this long; refused before it is parsed
        raise ScheduleError(f"a maintenance plan of {len(text):,} characters is not one")
    key = " ".join(text.strip().lower().split())
    if named_plans and key in named_plans:
        return named_plans[key]
    if re.search(r"[,;]|\bthen\b|\bfor\b", key):
        return _tapering(text, key)
    return _one_interval(text, key, named_plans)


def _tapering(text: str, key: str) -> Maintenance:
    """A plan in phases, each an interval; every phase but the last lasts N months."""
    try:
        parts = split_tapering(key)
    except PhaseError as error:
        raise ScheduleError(str(error)) from None
    plan: Maintenance | None = None
    for every, months in reversed(parts):
        phase = _one_interval(every, every, None)
        if phase.unit == "none":
            raise ScheduleError(f"{text!r}: each phase is an interval such as every 4 weeks")
        plan = Maintenance(
            unit=phase.unit, every=phase.every, plan=None, for_months=months, then=plan
        )
    assert plan is not None
    return plan


def _one_interval(
    text: str, key: str, named_plans: Mapping[str, Maintenance] | None
) -> Maintenance:
    if key in _NAMED:
        return _NAMED[key]
    match = _EVERY.match(key)
    if match:
        every = int(match.group(1))
        unit: Literal["weeks", "months"] = "weeks" if match.group(2)[0] == "w" else "months"
        limit = MAX_INTERVAL_WEEKS if unit == "weeks" else MAX_INTERVAL_MONTHS
        if not 1 <= every <= limit:
            raise ScheduleError(f"{text!r}: the interval must be 1 to {limit} {unit}")
        return Maintenance(unit=unit, every=every)
    known = ["none", "every N weeks", "Nw", "monthly", "every N months"]
    known += sorted(named_plans or ())
    raise ScheduleError(f"unknown maintenance plan {text!r} (use {', '.join(known)})")


MovedBecause = Literal["closed", "taken"]
CLOSED: MovedBecause = "closed"
"""The clinic is closed on the day the plan gave: a closed weekday, a holiday, a listed
closure."""
TAKEN: MovedBecause = "taken"
"""The day the plan gave (or the open day after it) was taken by the session before."""


# A NamedTuple, not a dataclass: one per session of the schedule, made in a loop (a batch
# makes millions), and a NamedTuple is cheaper to make.
class Session(NamedTuple):
    """One infusion: its 0-based number, calendar date and phase; ``moved_from`` is the
    date the plan gave it when it moved off that date, and ``moved_because`` why."""

    number: int
    date: date
    phase: Phase
    moved_from: _date | None = None
    moved_because: MovedBecause | None = None


WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
"""Monday to Friday (``date.weekday()``): the default open days."""

Holidays = Literal["US", "none"]
HOLIDAY_RULES: tuple[Holidays, ...] = ("US", "none")
MAX_CLOSED_DATES = 1000
"""Most dates a clinic may list as closed (years of closures fit well under it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicDays:
    """The days a clinic sees patients: its open weekdays, less the US federal holidays
    (with their observed days; ``holidays = "none"``: open on them) and the dates it
    lists as ``closed`` (docs/schedule.md)."""

    weekdays: tuple[int, ...] = WEEKDAYS
    closed: frozenset[date] = frozenset()
    holidays: Holidays = "US"

    def is_open(self, day: date) -> bool:
        return (
            day.weekday() in self.weekdays
            and day not in self.closed
            and (self.holidays != "US" or day not in federal_holidays(day.year))
        )


OPEN_WEEKDAYS = ClinicDays()
"""Monday to Friday, closed on US federal holidays: the days of a sheet that says nothing
else (the built-in one)."""


def open_on_or_after(day: date, days: ClinicDays = OPEN_WEEKDAYS) -> date:
    """``day`` if the clinic is open then, else the next day it is."""
    if days.is_open(day):
        return day
    if not days.weekdays:
        raise ScheduleError("the clinic is open on no day of the week")
    # Each listed closure or holiday can skip at most a week: past that, never open.
    for _ in range(7 * (len(days.closed) + 4)):
        if days.is_open(day):
            return day
        day += timedelta(days=1)
    raise ScheduleError(f"the clinic is not open on any day after {day.isoformat()}")


def _on_open_days(
    planned: list[date], days: ClinicDays, after: date | None = None
) -> list[tuple[date, date | None, MovedBecause | None]]:
    """Each planned date on an open day: a date the clinic is closed moves to the next
    open day; one whose next open day is already taken by the session before moves to the
    open day after that. Triples of (date, the planned date when it moved, why)."""
    result: list[tuple[date, date | None, MovedBecause | None]] = []
    for day in planned:
        moved = open_on_or_after(day, days)
        why: MovedBecause | None = CLOSED if moved != day else None
        if after is not None and moved <= after:
            moved, why = open_on_or_after(after + timedelta(days=1), days), TAKEN
        result.append((moved, day if why else None, why))
        after = moved
    return result


def add_months(day: date, months: int) -> date:
    """The same day-of-month ``months`` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_starts(first: date, last: date) -> Iterator[date]:
    """Every first-of-month from ``first``'s month to ``last``'s, none skipped."""
    current = first.replace(day=1)
    while current <= last:
        yield current
        current = add_months(current, 1)


def induction_days(sessions: int, weeks: int) -> list[int]:
    """Day offsets of the induction sessions: session k falls on floor(k * 7w / n)."""
    if sessions < 1:
        raise ScheduleError("an induction needs at least one session")
    if weeks < 1:
        raise ScheduleError("an induction lasts at least one week")
    return [k * 7 * weeks // sessions for k in range(sessions)]


def booster_dates(last_induction: date, plan: Maintenance, months: int) -> list[date]:
    """Boosters from one interval after the last induction session up to and including
    the same day-of-month ``months`` later.

    A tapering plan's phases follow each other: a phase's first booster is one interval
    after the session before it (the last induction session, or the last booster of the
    phase before); a phase ``for N months`` runs while its boosters fall on or before N
    months (added to the months of the phases before it) after the last induction
    session; the last phase without ``for`` runs to the end."""
    if plan.unit == "none" or months <= 0:
        return []
    end = add_months(last_induction, months)
    dates: list[date] = []
    anchor, elapsed = last_induction, 0
    for phase in plan.phases:
        limit = end
        if phase.for_months is not None:
            elapsed += phase.for_months
            limit = min(end, add_months(last_induction, elapsed))
        k = 1
        while True:
            if phase.unit == "weeks":
                when = anchor + timedelta(weeks=phase.every * k)
            else:
                when = add_months(anchor, phase.every * k)
            if when > limit:
                break
            dates.append(when)
            k += 1
        anchor = dates[-1] if dates else anchor
        if limit == end:
            break
    return dates


def build_schedule(
    start: date,
    sessions: int,
    weeks: int,
    plan: Maintenance,
    months: int,
    days: ClinicDays = OPEN_WEEKDAYS,
    phases: tuple[InductionPhase, ...] = (),
) -> tuple[Session, ...]:
    """Every session in date order, induction first, then maintenance, each on a day the
    clinic is open. A start on a day the clinic is closed moves to its next open day, and
    the series counts from there; any other session planned for a closed day moves to the
    next open day (after the session before it, if that took the day); the boosters
    count from the last induction session as it falls. An induction in ``phases``
    (docs/schedule.md) replaces the even spread of ``sessions`` over ``weeks``."""
    first = open_on_or_after(start, days)
    offsets = phase_days(phases) if phases else induction_days(sessions, weeks)
    planned = [first + timedelta(days=d) for d in offsets]
    induction = _on_open_days(planned, days)
    if first != start:
        induction[0] = (first, start, CLOSED)
    last = induction[-1][0]
    boosters = _on_open_days(booster_dates(last, plan, months), days, last)
    dated = [(INDUCTION, one) for one in induction] + [(MAINTENANCE, b) for b in boosters]
    return tuple(
        Session(number, day, phase, moved, why)
        for number, (phase, (day, moved, why)) in enumerate(dated)
    )


def _moves(moved: list[Session]) -> str:
    """``Sat 2026-11-28 to Mon 2026-11-30; ...`` (three at most, then how many more)."""
    shown = "; ".join(f"{s.moved_from:%a %Y-%m-%d} to {s.date:%a %Y-%m-%d}" for s in moved[:3])
    more = f"; and {len(moved) - 3} more" if len(moved) > 3 else ""
    return shown + more


def _count(moved: list[Session]) -> str:
    return "1 session" if len(moved) == 1 else f"{len(moved)} sessions"


def moved_text(schedule: tuple[Session, ...]) -> str | None:
    """What the schedule's notes say when sessions moved, or None: ``2 sessions planned
    for a day the clinic is closed move to its next open day (Sat 2026-11-28 to Mon
    2026-11-30; ...)``, and, for sessions whose day was taken by the session before, ``1
    session moved because the day was taken by the session before (...)``."""
    closed = [s for s in schedule if s.moved_from is not None and s.moved_because != TAKEN]
    taken = [s for s in schedule if s.moved_from is not None and s.moved_because == TAKEN]
    parts = []
    if closed:
        verb = "moves" if len(closed) == 1 else "move"
        parts.append(
            f"{_count(closed)} planned for a day the clinic is closed {verb} to its next "
            f"open day ({_moves(closed)})"
        )
    if taken:
        parts.append(
            f"{_count(taken)} moved because the day was taken by the session before "
            f"({_moves(taken)})"
        )
    return "; ".join(parts) or None
