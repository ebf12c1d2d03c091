"""The estimate: sessions x prices + fees - discounts, through coverage, three times
(low, typical, high) side by side (docs/charges.md, docs/coverage.md)."""

from __future__ import annotations

from dataclasses import dataclass

from ketacost.charges import Line, charge_lines, planned, series
from ketacost.coverage.shares import Share, apply_coverage
from ketacost.money import Money, total
from ketacost.paying.financing import HsaSaving, Loan
from ketacost.paying.how_paid import Later, how_paid
from ketacost.paying.savings import SavingsResult
from ketacost.paying.tax import MedicalDeduction
from ketacost.request import MAX_SESSIONS, EstimateError, EstimateRequest
from ketacost.schedule.sessions import Session
from ketacost.sheet.model import (
    SCENARIOS,
    Discount,
    Fee,
    PriceSheet,
    Scenario,
    Treatment,
)

__all__ = ["Estimate", "EstimateError", "EstimateRequest", "ScenarioResult", "estimate"]


@dataclass(frozen=True, slots=True, kw_only=True)
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
    savings: SavingsResult | None = None
    """What a manufacturer's savings program pays, when asked (``savings``)."""
    later: Later | None = None
    """What is left to pay per booster when only the induction is financed."""
    deduction: MedicalDeduction | None = None
    """The medical-expense deduction, when the adjusted gross income is given."""

    @property
    def program_pays(self) -> Money:
        return self.savings.pays if self.savings is not None else total(())

    @property
    def after_program(self) -> Money:
        """Out of pocket less what the savings program pays."""
        return self.out_of_pocket - self.program_pays

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


@dataclass(frozen=True, slots=True, kw_only=True)
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
        """Conditional discounts (asked for with ``with_``) and optional fees (left out
        with ``without``) counted in the figures."""
        shown = {(line.kind, line.key) for s in self.scenarios.values() for line in s.lines}
        return (
            *(d for d in self.sheet.discounts if d.when and ("discount", d.key) in shown),
            *(f for f in self.sheet.fees if f.optional and ("fee", f.key) in shown),
        )

    @property
    def not_applied(self) -> tuple[Discount, ...]:
        """Conditional discounts of the sheet not counted: their condition was not said to
        be met (``with_``)."""
        asked = self.request.with_
        return tuple(d for d in self.sheet.conditional_discounts() if d.key not in asked)

    @property
    def exact_price(self) -> bool:
        """True when every scenario has the same figures (an exact price, no range)."""
        return self.scenarios["low"].lines == self.scenarios["high"].lines


def estimate(request: EstimateRequest, sheet: PriceSheet) -> Estimate:
    """Compute the three scenarios for a request on a price sheet; the request is
    :func:`~ketacost.request.build_request`'s, with the sheet's defaults filled in."""
    try:
        treatment = sheet.treatment(request.condition)
    except LookupError as error:
        raise EstimateError(str(error.args[0]), "condition") from None
    plan = sheet.plan(request.maintenance.plan) if request.maintenance.plan else None
    phases = treatment.phases if request.phased else ()
    program = sheet.savings_for(treatment.key) if request.paying.savings else None
    schedule = planned(
        request.start,
        request.sessions,
        request.weeks,
        request.maintenance,
        request.months,
        request.until,
        sheet.clinic.days,
        phases,
    )
    if not schedule:
        raise EstimateError("no session falls on or before the end of the period", "start")
    if len(schedule) > MAX_SESSIONS * 4:
        raise EstimateError("the plan has too many sessions to estimate", "maintenance")
    shared = series(sheet, schedule, request.without, request.with_, treatment.key)
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
        paid = how_paid(shares, rides, schedule, request.paying, program)
        scenarios[name] = ScenarioResult(
            name=name,
            per_session=price,
            booster_price=booster,
            lines=tuple(lines),
            shares=shares,
            other=rides,
            hsa=paid.hsa,
            loan=paid.loan,
            savings=paid.savings,
            later=paid.later,
            deduction=paid.deduction,
        )
    return Estimate(
        request=request,
        sheet=sheet,
        treatment=treatment,
        sessions_per_induction=request.sessions,
        weeks=request.weeks,
        schedule=schedule,
        scenarios=scenarios,
    )
