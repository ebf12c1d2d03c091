"""What one scenario charges: a line per kind of charge (sessions, discounts, fees) and
a dated claim per session and fee, built so that both add up to the same total.

The three scenarios of an estimate share one schedule and one list of session claims
(:func:`planned`, :func:`series`); only the prices differ (:func:`charge_lines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from ketacost.coverage import Claim, new_record
from ketacost.money import ZERO, Money
from ketacost.schedule import INDUCTION, MAINTENANCE, Maintenance, Session, build_schedule
from ketacost.sheet import Discount, Fee, PriceSheet, Treatment


class Line(NamedTuple):
    """One row of charges: a quantity at a unit price, possibly negative (a discount)."""

    key: str
    label: str
    kind: str
    quantity: int
    unit: Money
    amount: Money
    codes: tuple[str, ...] = ()


class Series(NamedTuple):
    """What the three scenarios of one estimate share, worked out once: the sessions
    (date, label, number, phase), the discounts and fees that apply, each fee's dates."""

    sessions: tuple[tuple[date, str, int, str], ...]
    induction: int
    boosters: int
    discounts: tuple[Discount, ...]
    fees: tuple[tuple[Fee, tuple[date, ...]], ...]


@lru_cache(maxsize=512)
def planned(start: date, sessions: int, weeks: int, plan: Maintenance, months: int,
             until: date | None) -> tuple[tuple[Session, ...], tuple[tuple[date, str, int, str],
                                                                      ...]]:
    """The schedule (up to ``until``) and each session's claim but its charge. Cached:
    immutable, and a batch repeats the same few start dates and plans."""
    schedule = build_schedule(start, sessions, weeks, plan, months)
    if until is not None:
        schedule = tuple(s for s in schedule if s.date <= until)
    return schedule, tuple([(s.date, f"Session {s.number + 1}", s.number, s.phase)
                            for s in schedule])


def series(sheet: PriceSheet, schedule: tuple[Session, ...],
            sessions: tuple[tuple[date, str, int, str], ...],
            without: tuple[str, ...]) -> Series:
    induction = [s for s in schedule if s.phase == INDUCTION]
    discounts = tuple(d for d in sheet.discounts if not (d.when and d.key in without))
    fees = []
    for fee in sheet.fees:
        if fee.optional and fee.key in without:
            continue
        dates = {"once": (schedule[0].date,), "series": (induction[0].date,),
                 "session": tuple(s.date for s in schedule)}[fee.per]
        fees.append((fee, dates))
    return Series(sessions, len(induction), len(schedule) - len(induction), discounts,
                   tuple(fees))


def _offs(discounts: Sequence[Discount], phase: str, unit: Money) -> list[tuple[Discount, Money]]:
    """What each discount takes off one session of ``phase``, in sheet order; together
    they never take off more than the session's price."""
    left, offs = unit, []
    for discount in discounts:
        if discount.applies(phase):
            off = min(discount.off(unit), left)
            left -= off
            offs.append((discount, off))
    return offs


def charge_lines(treatment: Treatment, series: Series, price: Money,
           booster: Money) -> tuple[list[Line], list[Claim]]:
    """The charge lines and the dated claims for one scenario; both add up the same."""
    codes = treatment.codes
    lines = [Line("induction", "Induction sessions", "treatment", series.induction, price,
                  price * series.induction, codes)]
    if series.boosters:
        lines.append(Line("maintenance", "Maintenance sessions", "treatment", series.boosters,
                          booster, booster * series.boosters, codes))
    charge: dict[str, Money] = {}  # one session's charge after discounts, by phase
    for phase, count, unit in ((INDUCTION, series.induction, price),
                               (MAINTENANCE, series.boosters, booster)):
        offs = _offs(series.discounts, phase, unit) if series.discounts else []
        charge[phase] = unit - sum((off for _, off in offs), ZERO)
        for discount, off in offs if count else []:
            if off:
                label = discount.label + (f" ({phase})" if discount.applies_to == "all" else "")
                lines.append(Line(discount.key, label, "discount", count, -off, -off * count))
    claims = [new_record(Claim, (day, label, charge[phase], number, phase))  # Claim(...), faster
              for day, label, number, phase in series.sessions]
    for fee, dates in series.fees:
        lines.append(Line(fee.key, fee.label, "fee", len(dates), fee.amount,
                          fee.amount * len(dates), fee.codes))
        claims.extend(Claim(day, fee.label, fee.amount) for day in dates)
    return lines, claims
