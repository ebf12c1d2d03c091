"""The estimate: sessions x prices + fees - discounts, through coverage, three times
(low, typical, high) side by side (SPEC 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from ketacost.charges import Line, charge_lines, planned, series
from ketacost.coverage import Coverage, Share, apply_coverage
from ketacost.money import ZERO, Money, total
from ketacost.schedule import (
    NO_MAINTENANCE,
    Maintenance,
    Session,
)
from ketacost.sheet import (
    SCENARIOS,
    Discount,
    Fee,
    PriceRange,
    PriceSheet,
    Scenario,
    Treatment,
)

if TYPE_CHECKING:
    from ketacost.payment import FinanceTerms, HsaSaving, Loan

DEFAULT_MONTHS = 12
MAX_SESSIONS = 100
MAX_MONTHS = 60


class EstimateError(ValueError):
    """A request that cannot be estimated; the message names the input at fault."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class EstimateRequest:
    """What a patient or front desk asks; ``None`` means the sheet's default."""

    start: date
    condition: str | None = None
    sessions: int | None = None
    weeks: int | None = None
    price: PriceRange | None = None
    maintenance: Maintenance = NO_MAINTENANCE
    months: int = DEFAULT_MONTHS
    ride: Money = ZERO
    coverage: Coverage | None = None
    without: tuple[str, ...] = ()
    """Keys of optional fees or conditional discounts the patient does not take."""
    hsa_rate: Decimal | None = None
    """Marginal tax rate (a fraction) when paying from an HSA/FSA."""
    finance: FinanceTerms | None = None
    """A payment plan for the out-of-pocket cost."""
    until: date | None = None
    """Leave out sessions after this day (a Good Faith Estimate covers at most 12 months)."""


# Totals are sums over a scenario's lines and shares: C-level getters keep them cheap
# when thousands of estimates are totalled (ketacost batch).
_AMOUNT, _PLAN, _PATIENT, _UP_FRONT = (attrgetter(name) for name in
                                       ("amount", "plan", "patient", "paid_up_front"))


class ScenarioResult(NamedTuple):
    """One scenario's figures. Every total is the sum of the rounded parts it names.
    (A NamedTuple: immutable, and cheaper than a frozen dataclass to define and build.)"""

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
        return total(map(_AMOUNT, self.lines))

    @property
    def insurance_pays(self) -> Money:
        return total(map(_PLAN, self.shares))

    @property
    def out_of_pocket(self) -> Money:
        return total(map(_PATIENT, self.shares))

    @property
    def paid_up_front(self) -> Money:
        return total(map(_UP_FRONT, self.shares))

    @property
    def adjustment(self) -> Money:
        return total(s.adjustment for s in self.shares)

    @property
    def other_costs(self) -> Money:
        return total(map(_AMOUNT, self.other))


@dataclass(frozen=True)
class Estimate:
    """A complete estimate: the request, its schedule and the three scenarios."""

    request: EstimateRequest
    sheet: PriceSheet
    treatment: Treatment
    sessions_per_induction: int
    weeks: int
    schedule: tuple[Session, ...]
    scenarios: dict[Scenario, ScenarioResult] = field(default_factory=dict)

    @property
    def assumed(self) -> tuple[Discount | Fee, ...]:
        """Conditional discounts and optional fees counted in the figures: each is left
        out with ``--without KEY``."""
        shown = {(line.kind, line.key) for s in self.scenarios.values() for line in s.lines}
        return (*(d for d in self.sheet.discounts if d.when and ("discount", d.key) in shown),
                *(f for f in self.sheet.fees if f.optional and ("fee", f.key) in shown))

    @property
    def exact_price(self) -> bool:
        """True when every scenario has the same figures (an exact price, no range)."""
        low, high = self.scenarios["low"], self.scenarios["high"]
        return low.lines == high.lines


def _given(value: int | None, default: int) -> int:
    return default if value is None else value


def _count_check(value: int, option: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise EstimateError(f"must be from {low} to {high}, not {value}", option)
    return value


def _check_without(sheet: PriceSheet, without: Sequence[str]) -> None:
    """Every ``--without`` key must name an optional fee or a conditional discount."""
    optional = {f.key for f in sheet.fees if f.optional} | {
        d.key for d in sheet.discounts if d.when}
    every = {f.key for f in sheet.fees} | {d.key for d in sheet.discounts}
    for key in without:
        if key in optional:
            continue
        fixed = key in every
        reason = "is not optional on" if fixed else "is not a fee or discount of"
        choices = ", ".join(sorted(optional)) or "none"
        raise EstimateError(f"{key!r} {reason} price sheet {sheet.name!r} "
                            f"(can be left out: {choices})", "--without")


_UNPAID: tuple[None, None] = (None, None)


def _paying(shares: tuple[Share, ...],
            request: EstimateRequest) -> tuple[HsaSaving | None, Loan | None]:
    """How the out-of-pocket cost is paid: from an HSA/FSA, financed, or neither (the
    payment module loads only when asked for)."""
    if request.hsa_rate is None and request.finance is None:
        return _UNPAID
    from ketacost.payment import finance, hsa

    owed = total(map(_PATIENT, shares))
    return (None if request.hsa_rate is None else hsa(owed, request.hsa_rate),
            None if request.finance is None else finance(owed, request.finance))


def estimate(request: EstimateRequest, sheet: PriceSheet) -> Estimate:
    """Compute the three scenarios for a request on a price sheet."""
    if request.without:
        _check_without(sheet, request.without)
    plan = sheet.plan(request.maintenance.plan) if request.maintenance.plan else None
    condition = request.condition or (plan and plan.treatment) or sheet.default_condition
    try:
        treatment = sheet.treatment(condition)
    except LookupError as error:
        raise EstimateError(str(error.args[0]), "--condition") from None
    sessions = _count_check(_given(request.sessions, treatment.induction_sessions),
                            "--sessions", 1, MAX_SESSIONS)
    weeks = _count_check(_given(request.weeks, treatment.induction_weeks), "--weeks", 1, 52)
    _count_check(request.months, "--months", 0, MAX_MONTHS)
    schedule, claims_but_charge = planned(request.start, sessions, weeks,
                                           request.maintenance, request.months, request.until)
    if not schedule:
        raise EstimateError("no session falls on or before the end of the period", "--start")
    if len(schedule) > MAX_SESSIONS * 4:
        raise EstimateError("the plan has too many sessions to estimate", "--maintenance")
    if plan and plan.treatment and plan.treatment != treatment.key:
        raise EstimateError(f"plan {plan.key!r} is for {plan.treatment!r}, not "
                            f"{treatment.key!r}", "--maintenance")
    prices = request.price or treatment.price
    charges = series(sheet, schedule, claims_but_charge, request.without)
    rides: tuple[Line, ...] = ()
    if request.ride:
        rides = (Line("ride", "Rides home", "other", len(schedule), request.ride,
                      request.ride * len(schedule)),)
    scenarios: dict[Scenario, ScenarioResult] = {}
    for name in SCENARIOS:
        price = prices.at(name)
        booster = price
        if plan and plan.booster_price is not None:
            booster = plan.booster_price
        elif treatment.booster_price is not None:
            booster = treatment.booster_price.at(name)
        lines, claims = charge_lines(treatment, charges, price, booster)
        shares = apply_coverage(claims, request.coverage)
        scenarios[name] = ScenarioResult(name, price, booster, tuple(lines), shares, rides,
                                         *_paying(shares, request))
    return Estimate(request, sheet, treatment, sessions, weeks, schedule, scenarios)
