"""The estimate: sessions x prices + fees - discounts, through coverage, three times
(low, typical, high) side by side (SPEC 4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ketacost.coverage import Claim, Coverage, Share, apply_coverage
from ketacost.money import ZERO, Money, total
from ketacost.schedule import (
    INDUCTION,
    MAINTENANCE,
    NO_MAINTENANCE,
    Maintenance,
    Session,
    build_schedule,
)
from ketacost.sheet import SCENARIOS, PriceRange, PriceSheet, Scenario, Treatment

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


@dataclass(frozen=True)
class Line:
    """One row of charges: a quantity at a unit price, possibly negative (a discount)."""

    key: str
    label: str
    kind: str
    quantity: int
    unit: Money
    amount: Money
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's figures. Every total is the sum of the rounded parts it names."""

    name: Scenario
    per_session: Money
    booster_price: Money
    lines: tuple[Line, ...]
    shares: tuple[Share, ...]
    other: tuple[Line, ...]

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
    scenarios: dict[Scenario, ScenarioResult] = field(default_factory=dict)

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


def _lines(
    treatment: Treatment, sheet: PriceSheet, schedule: Sequence[Session], price: Money,
    booster: Money, without: tuple[str, ...],
) -> tuple[list[Line], list[Claim]]:
    """The charge lines and the dated claims for one scenario; both add up the same."""
    induction = [s for s in schedule if s.phase == INDUCTION]
    boosters = [s for s in schedule if s.phase == MAINTENANCE]
    codes = treatment.codes
    lines = [Line("induction", "Induction sessions", "treatment", len(induction), price,
                  price * len(induction), codes)]
    if boosters:
        lines.append(Line("maintenance", "Maintenance sessions", "treatment", len(boosters),
                          booster, booster * len(boosters), codes))
    discounts = [d for d in sheet.discounts if not (d.when and d.key in without)]
    claims: list[Claim] = []
    for session in schedule:
        unit = price if session.phase == INDUCTION else booster
        off = sum((d.off(unit) for d in discounts if d.applies(session.phase)), ZERO)
        claims.append(Claim(session.date, f"Session {session.number + 1}", max(unit - off, ZERO),
                            session.number, session.phase))
    for discount in discounts:
        for phase, group, unit in ((INDUCTION, induction, price), (MAINTENANCE, boosters, booster)):
            if group and discount.applies(phase) and discount.off(unit):
                off = discount.off(unit)
                label = discount.label + (f" ({phase})" if discount.applies_to == "all" else "")
                lines.append(Line(discount.key, label, "discount", len(group), -off,
                                  -off * len(group)))
    for fee in sheet.fees:
        if fee.optional and fee.key in without:
            continue
        dates = {"once": [schedule[0].date], "series": [induction[0].date],
                 "session": [s.date for s in schedule]}[fee.per]
        lines.append(Line(fee.key, fee.label, "fee", len(dates), fee.amount,
                          fee.amount * len(dates), fee.codes))
        claims.extend(Claim(day, fee.label, fee.amount) for day in dates)
    return lines, claims


def estimate(request: EstimateRequest, sheet: PriceSheet) -> Estimate:
    """Compute the three scenarios for a request on a price sheet."""
    try:
        treatment = sheet.treatment(request.condition or sheet.default_condition)
    except LookupError as error:
        raise EstimateError(str(error.args[0]), "--condition") from None
    sessions = _count_check(_given(request.sessions, treatment.induction_sessions),
                            "--sessions", 1, MAX_SESSIONS)
    weeks = _count_check(_given(request.weeks, treatment.induction_weeks), "--weeks", 1, 52)
    _count_check(request.months, "--months", 0, MAX_MONTHS)
    schedule = build_schedule(request.start, sessions, weeks, request.maintenance,
                              request.months)
    if len(schedule) > MAX_SESSIONS * 4:
        raise EstimateError("the plan has too many sessions to estimate", "--maintenance")
    plan = sheet.plan(request.maintenance.plan)
    if plan and plan.treatment and plan.treatment != treatment.key:
        raise EstimateError(f"plan {plan.key!r} is for {plan.treatment!r}, not "
                            f"{treatment.key!r}", "--maintenance")
    prices = request.price or treatment.price
    scenarios: dict[Scenario, ScenarioResult] = {}
    for name in SCENARIOS:
        price = prices.at(name)
        booster = price
        if plan and plan.booster_price is not None:
            booster = plan.booster_price
        elif treatment.booster_price is not None:
            booster = treatment.booster_price.at(name)
        lines, claims = _lines(treatment, sheet, schedule, price, booster, request.without)
        shares = apply_coverage(claims, request.coverage)
        rides = []
        if request.ride:
            rides.append(Line("ride", "Rides home", "other", len(schedule), request.ride,
                              request.ride * len(schedule)))
        scenarios[name] = ScenarioResult(name, price, booster, tuple(lines), shares,
                                         tuple(rides))
    return Estimate(request, sheet, treatment, sessions, weeks, schedule, scenarios)
