"""The estimate: sessions x prices + fees - discounts, through coverage, three times
(low, typical, high) side by side (docs/charges.md, docs/coverage.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ketacost.charges import Line, charge_lines, planned, series
from ketacost.coverage import Share, apply_coverage
from ketacost.money import Money, total
from ketacost.payment import HsaSaving, Loan, finance, hsa
from ketacost.request import MAX_MONTHS, MAX_SESSIONS, MAX_WEEKS, EstimateError, EstimateRequest
from ketacost.schedule import Session
from ketacost.sheet import SCENARIOS, Discount, Fee, PriceSheet, Scenario, Treatment

__all__ = ["Estimate", "EstimateError", "EstimateRequest", "ScenarioResult", "estimate"]


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """One scenario's figures. Every total is the sum of the rounded parts it names."""

    name: Scenario
    per_session: Money
    booster_price: Money
    lines: tuple[Line, ...]
    shares: tuple[Share, ...]
    other: tuple[Line, ...]
    hsa: HsaSaving | None = None
    """The out-of-pocket cost paid from an HSA/FSA, when asked."""
    loan: Loan | None = None
    """The out-of-pocket cost financed, when asked."""

    @property
    def sessions(self) -> int:
        return sum(1 for s in self.shares if s.claim.session is not None)

    @property
    def charges(self) -> Money:
        return total(line.amount for line in self.lines)

    @property
    def insurance_pays(self) -> Money:
        return total(s.plan for s in self.shares)

    @property
    def out_of_pocket(self) -> Money:
        return total(s.patient for s in self.shares)

    @property
    def paid_up_front(self) -> Money:
        return total(s.paid_up_front for s in self.shares)

    @property
    def adjustment(self) -> Money:
        return total(s.adjustment for s in self.shares)

    @property
    def other_costs(self) -> Money:
        return total(line.amount for line in self.other)


@dataclass(frozen=True)
class Estimate:
    """A complete estimate: the request, its schedule and the three scenarios."""

    request: EstimateRequest
    sheet: PriceSheet
    treatment: Treatment
    sessions_per_induction: int
    weeks: int
    schedule: tuple[Session, ...]
    scenarios: dict[Scenario, ScenarioResult]

    @property
    def assumed(self) -> tuple[Discount | Fee, ...]:
        """Conditional discounts and optional fees counted in the figures: each is left
        out with ``without``."""
        shown = {(line.kind, line.key) for s in self.scenarios.values() for line in s.lines}
        return (
            *(d for d in self.sheet.discounts if d.when and ("discount", d.key) in shown),
            *(f for f in self.sheet.fees if f.optional and ("fee", f.key) in shown),
        )

    @property
    def exact_price(self) -> bool:
        """True when every scenario has the same figures (an exact price, no range)."""
        return self.scenarios["low"].lines == self.scenarios["high"].lines


def _count(value: int | None, default: int, field: str, low: int, high: int) -> int:
    """A count, or its default when not given, within ``low`` to ``high``."""
    count = default if value is None else value
    if not low <= count <= high:
        raise EstimateError(f"must be from {low} to {high}, not {count}", field)
    return count


def _check_without(sheet: PriceSheet, without: Sequence[str]) -> None:
    """Every key left out must name an optional fee or a conditional discount."""
    optional = {f.key for f in sheet.fees if f.optional} | {
        d.key for d in sheet.discounts if d.when
    }
    every = {f.key for f in sheet.fees} | {d.key for d in sheet.discounts}
    for key in without:
        if key in optional:
            continue
        reason = "is not optional on" if key in every else "is not a fee or discount of"
        choices = ", ".join(sorted(optional)) or "none"
        raise EstimateError(
            f"{key!r} {reason} price sheet {sheet.name!r} (can be left out: {choices})", "without"
        )


def _paying(
    shares: Sequence[Share], request: EstimateRequest
) -> tuple[HsaSaving | None, Loan | None]:
    """How the out-of-pocket cost is paid: from an HSA/FSA, financed, or neither. A payment
    plan finances what is paid to the clinic up front: out of network, the whole charge
    (the plan's reimbursement comes later); in network, the out-of-pocket cost."""
    owed = total(s.patient for s in shares)
    up_front = total(s.paid_up_front for s in shares)
    return (
        None if request.hsa_rate is None else hsa(owed, request.hsa_rate),
        None if request.finance is None else finance(up_front, request.finance),
    )


def estimate(request: EstimateRequest, sheet: PriceSheet) -> Estimate:
    """Compute the three scenarios for a request on a price sheet."""
    _check_without(sheet, request.without)
    plan = sheet.plan(request.maintenance.plan) if request.maintenance.plan else None
    condition = request.condition or (plan and plan.treatment) or sheet.default_condition
    try:
        treatment = sheet.treatment(condition)
    except LookupError as error:
        raise EstimateError(str(error.args[0]), "condition") from None
    sessions = _count(request.sessions, treatment.induction_sessions, "sessions", 1, MAX_SESSIONS)
    weeks = _count(request.weeks, treatment.induction_weeks, "weeks", 1, MAX_WEEKS)
    _count(request.months, request.months, "months", 0, MAX_MONTHS)
    if plan and plan.treatment and plan.treatment != treatment.key:
        raise EstimateError(
            f"plan {plan.key!r} is for {plan.treatment!r}, not {treatment.key!r}", "maintenance"
        )
    schedule = planned(
        request.start, sessions, weeks, request.maintenance, request.months, request.until
    )
    if not schedule:
        raise EstimateError("no session falls on or before the end of the period", "start")
    if len(schedule) > MAX_SESSIONS * 4:
        raise EstimateError("the plan has too many sessions to estimate", "maintenance")
    shared = series(sheet, schedule, request.without)
    rides: tuple[Line, ...] = ()
    if request.ride:
        rides = (
            Line(
                "ride",
                "Rides home",
                "other",
                len(schedule),
                request.ride,
                request.ride * len(schedule),
            ),
        )
    prices = request.price or treatment.price
    scenarios: dict[Scenario, ScenarioResult] = {}
    for name in SCENARIOS:
        price = prices.at(name)
        booster = price
        if plan and plan.booster_price is not None:
            booster = plan.booster_price
        elif treatment.booster_price is not None:
            booster = treatment.booster_price.at(name)
        lines, claims = charge_lines(treatment, shared, price, booster)
        shares = apply_coverage(claims, request.coverage)
        scenarios[name] = ScenarioResult(
            name, price, booster, tuple(lines), shares, rides, *_paying(shares, request)
        )
    return Estimate(request, sheet, treatment, sessions, weeks, schedule, scenarios)
