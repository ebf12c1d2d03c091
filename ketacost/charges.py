"""What one scenario charges: a line per kind of charge (sessions, discounts, fees) and
a dated claim per session and fee, built so that both add up to the same total
(docs/charges.md).

The three scenarios of an estimate share one schedule and one set of fees and discounts
(:func:`planned`, :func:`series`); only the prices differ (:func:`charge_lines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from ketacost.coverage.shares import Claim
from ketacost.money import ZERO, Money
from ketacost.schedule.phases import InductionPhase
from ketacost.schedule.sessions import (
    INDUCTION,
    MAINTENANCE,
    OPEN_WEEKDAYS,
    ClinicDays,
    Maintenance,
    Session,
    build_schedule,
)
from ketacost.sheet.model import Discount, Fee, PriceSheet, Treatment


# A NamedTuple, not a dataclass: one per charge line of every scenario, made in a loop.
class Line(NamedTuple):
    """One row of charges: a quantity at a unit price, possibly negative (a discount)."""

    key: str
    label: str
    kind: str
    """``treatment``, ``discount``, ``fee`` or ``other`` (a ride home: not a clinic charge)."""
    quantity: int
    unit: Money
    amount: Money
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedFee:
    """A fee of the sheet and the dates it is charged on."""

    fee: Fee
    dates: tuple[date, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    """What the three scenarios of one estimate share, worked out once: the sessions, the
    discounts that apply and the fees with their dates."""

    schedule: tuple[Session, ...]
    induction: int
    boosters: int
    discounts: tuple[Discount, ...]
    fees: tuple[DatedFee, ...]


@lru_cache(maxsize=512)
def planned(
    start: date,
    sessions: int,
    weeks: int,
    plan: Maintenance,
    months: int,
    until: date | None,
    days: ClinicDays = OPEN_WEEKDAYS,
    phases: tuple[InductionPhase, ...] = (),
) -> tuple[Session, ...]:
    """The schedule on the clinic's open days, up to ``until``. Cached: it is immutable,
    and a batch asks for the same few shapes (start date, sessions, plan) over and over."""
    schedule = build_schedule(start, sessions, weeks, plan, months, days, phases)
    if until is not None:
        schedule = tuple(s for s in schedule if s.date <= until)
    return schedule


def series(
    sheet: PriceSheet,
    schedule: tuple[Session, ...],
    without: Sequence[str],
    with_: Sequence[str] = (),
    treatment: str | None = None,
) -> Series:
    """The sessions, the discounts and the fees (with their dates) of one estimate. A
    discount with a condition applies only when its key is in ``with_``; a fee that
    belongs to one treatment (KAP's therapy sessions) only to that ``treatment``'s."""
    induction = [s for s in schedule if s.phase == INDUCTION]
    discounts = tuple(d for d in sheet.discounts if not d.when or d.key in with_)
    fees = []
    for fee in sheet.fees:
        if fee.optional and fee.key in without:
            continue
        if fee.treatment is not None and fee.treatment != treatment:
            continue
        if fee.per == "once":
            dates: tuple[date, ...] = (schedule[0].date,)
        elif fee.per == "series":
            dates = (induction[0].date,)
        else:
            dates = tuple(s.date for s in schedule)
        fees.append(DatedFee(fee=fee, dates=dates))
    return Series(
        schedule=schedule,
        induction=len(induction),
        boosters=len(schedule) - len(induction),
        discounts=discounts,
        fees=tuple(fees),
    )


def discounts_off(
    discounts: Sequence[Discount], phase: str, unit: Money
) -> list[tuple[Discount, Money]]:
    """What each discount takes off one session of ``phase``, in sheet order; together
    they never take off more than the session's price."""
    left, offs = unit, []
    for discount in discounts:
        if discount.applies(phase):
            off = min(discount.off(unit), left)
            left -= off
            offs.append((discount, off))
    return offs


def charge_lines(
    treatment: Treatment, series: Series, price: Money, booster: Money
) -> tuple[list[Line], list[Claim]]:
    """The charge lines and the dated claims for one scenario; both add up the same."""
    codes = treatment.codes
    lines = [
        Line(
            "induction",
            "Induction sessions",
            "treatment",
            series.induction,
            price,
            price * series.induction,
            codes,
        )
    ]
    if series.boosters:
        lines.append(
            Line(
                "maintenance",
                "Maintenance sessions",
                "treatment",
                series.boosters,
                booster,
                booster * series.boosters,
                codes,
            )
        )
    charge: dict[str, Money] = {}  # one session's charge after discounts, by phase
    for phase, count, unit in (
        (INDUCTION, series.induction, price),
        (MAINTENANCE, series.boosters, booster),
    ):
        offs = discounts_off(series.discounts, phase, unit)
        charge[phase] = unit - sum((off for _, off in offs), ZERO)
        for discount, off in offs if count else []:
            if off:
                label = discount.label + (f" ({phase})" if discount.applies_to == "all" else "")
                lines.append(Line(discount.key, label, "discount", count, -off, -off * count))
    claims = [
        Claim(s.date, f"Session {s.number + 1}", charge[s.phase], s.number, s.phase)
        for s in series.schedule
    ]
    for dated in series.fees:
        fee = dated.fee
        lines.append(
            Line(
                fee.key,
                fee.label,
                "fee",
                len(dated.dates),
                fee.amount,
                fee.amount * len(dated.dates),
                fee.codes,
            )
        )
        claims.extend(Claim(day, fee.label, fee.amount) for day in dated.dates)
    return lines, claims
