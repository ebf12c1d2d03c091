"""The estimate: sessions x prices + fees - discounts, through coverage, three times
(low, typical, high) side by side (docs/charges.md, docs/coverage.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ketacost.charges import Line, Series, charge_lines, planned, series
from ketacost.coverage.allowed import Billed, missing_codes
from ketacost.coverage.shares import Share, apply_coverage
from ketacost.money import Money, total
from ketacost.paying.financing import HsaSaving, Loan
from ketacost.paying.how_paid import Later, PayRequest, how_paid
from ketacost.paying.savings import SavingsResult
from ketacost.paying.tax import MedicalDeduction
from ketacost.request import MAX_MONTHS, MAX_SESSIONS, MAX_WEEKS, EstimateError, EstimateRequest
from ketacost.schedule.sessions import Session
from ketacost.sheet.model import (
    SCENARIOS,
    Discount,
    Fee,
    PriceSheet,
    SavingsProgram,
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


def _count(value: int | None, default: int, field: str, low: int, high: int) -> int:
    """A count, or its default when not given, within ``low`` to ``high``."""
    count = default if value is None else value
    if not low <= count <= high:
        raise EstimateError(f"must be from {low} to {high}, not {count}", field)
    return count


def _check_with(sheet: PriceSheet, with_: Sequence[str], without: Sequence[str]) -> None:
    """Every key of ``with_`` names a conditional discount, and is not also left out."""
    conditional = {d.key: d for d in sheet.conditional_discounts()}
    for key in with_:
        if key in without:
            raise EstimateError(f"{key!r} is both asked for and left out", "with_")
        if key in conditional:
            continue
        unconditional = any(d.key == key for d in sheet.discounts)
        reason = (
            "has no condition (it always applies) on"
            if unconditional
            else "is not a conditional discount of"
        )
        choices = ", ".join(sorted(conditional)) or "none"
        raise EstimateError(
            f"{key!r} {reason} price sheet {sheet.name!r} (conditional discounts: {choices})",
            "with_",
        )


def _check_without(sheet: PriceSheet, without: Sequence[str]) -> None:
    """Every key left out must name an optional fee or a conditional discount (which
    applies only when asked for, so leaving it out changes nothing)."""
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


def _program(
    request: EstimateRequest, sheet: PriceSheet, treatment: Treatment
) -> SavingsProgram | None:
    """The savings program asked for: the treatment must have one, and the patient
    commercial insurance (the programs are not for patients paying themselves)."""
    if not request.savings:
        return None
    program = sheet.savings_for(treatment.key)
    if program is None:
        raise EstimateError(
            f"{treatment.label} has no savings program on price sheet {sheet.name!r}", "savings"
        )
    if request.coverage is None:
        raise EstimateError(
            f"{program.label} is for commercially insured patients: give the insurance",
            "savings",
        )
    return program


def _check_codes_allowed(request: EstimateRequest, treatment: Treatment, shared: Series) -> None:
    """Out of network with the plan's amounts per code, every code billed has one."""
    billed = [c.code for c in treatment.billing]
    billed += [c.code for dated in shared.fees for c in dated.fee.billing]
    missing = missing_codes(request.coverage, billed)
    if missing:
        raise EstimateError(
            f"the plan's allowed amounts per code (oon_allowed, or medicare_fees with "
            f"medicare_percent) give none for {', '.join(missing)}: give one for each code "
            "billed (0 when the plan pays nothing for it)",
            "coverage_file",
        )


def _billed(treatment: Treatment, shared: Series) -> Billed:
    """The service codes of each claim: a session's are the treatment's, a fee's its own."""
    fees = {dated.fee.label: dated.fee.billing for dated in shared.fees}
    return lambda claim: (
        treatment.billing if claim.session is not None else fees.get(claim.label, ())
    )


def _pay_request(request: EstimateRequest) -> PayRequest:
    return PayRequest(
        hsa_rate=request.hsa_rate,
        finance=request.finance,
        account=request.account,
        payroll=request.payroll,
        agi=request.agi,
        finance_what=request.finance_what,
    )


def estimate(request: EstimateRequest, sheet: PriceSheet) -> Estimate:
    """Compute the three scenarios for a request on a price sheet."""
    _check_without(sheet, request.without)
    _check_with(sheet, request.with_, request.without)
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
    even = request.sessions is not None or request.weeks is not None
    phases = () if even else treatment.phases
    program = _program(request, sheet, treatment)
    schedule = planned(
        request.start,
        sessions,
        weeks,
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
    _check_codes_allowed(request, treatment, shared)
    billed = _billed(treatment, shared)
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
        shares = apply_coverage(claims, request.coverage, billed)
        paid = how_paid(shares, rides, schedule, _pay_request(request), program)
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
        sessions_per_induction=sessions,
        weeks=weeks,
        schedule=schedule,
        scenarios=scenarios,
    )
