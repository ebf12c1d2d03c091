"""The estimate: sessions x prices + fees - discounts, through coverage, three times
(low, typical, high) side by side (docs/charges.md, docs/coverage.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ketacost.charges import Line, Series, charge_lines, planned, series
from ketacost.coverage.shares import Billed, Share, apply_coverage, missing_codes
from ketacost.money import ZERO, Money, total
from ketacost.paying.financing import HsaSaving, Loan
from ketacost.paying.how_paid import Later, how_paid
from ketacost.paying.savings import SavingsResult
from ketacost.paying.tax import MedicalDeduction
from ketacost.request import MAX_SESSIONS, EstimateError, EstimateRequest, resolve
from ketacost.schedule.sessions import Session
from ketacost.sheet.model import (
    SCENARIOS,
    Discount,
    Fee,
    Plan,
    PriceSheet,
    Scenario,
    Treatment,
)

__all__ = ["Estimate", "EstimateError", "EstimateRequest", "ScenarioFigures", "estimate"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioFigures:
    """One scenario's figures, as the estimate works them out and the report holds and
    saves them (docs/json.md). Every total is the sum of the rounded parts it names, worked
    out here only: the ones every view reads are set once, when the record is made."""

    per_session: Money
    booster_price: Money
    lines: tuple[Line, ...]
    """The clinic's charges, line by line."""
    claims: tuple[Share, ...]
    """Each dated claim after coverage: the patient's and the plan's parts."""
    other_lines: tuple[Line, ...]
    """Costs besides the clinic's (rides home)."""
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

    sessions: int = field(init=False)
    charges: Money = field(init=False)
    """The clinic's charges: the sum of the lines (and of the claims' charges)."""
    insurance_pays: Money = field(init=False)
    out_of_pocket: Money = field(init=False)
    other_costs: Money = field(init=False)
    program_pays: Money = field(init=False)
    """What a savings program pays (nothing when none is counted)."""
    after_program: Money = field(init=False)
    """Out of pocket less what the savings program pays (all of it when none is)."""

    def __post_init__(self) -> None:
        """Set the totals every view (and each batch row) reads, once."""
        claims = self.claims
        out_of_pocket = total(s.patient for s in claims)
        program_pays = ZERO if self.savings is None else self.savings.pays
        put = object.__setattr__  # frozen: each total is set here, once
        put(self, "sessions", sum(1 for s in claims if s.claim.session is not None))
        put(self, "charges", total(line.amount for line in self.lines))
        put(self, "insurance_pays", total(s.plan for s in claims))
        put(self, "out_of_pocket", out_of_pocket)
        put(self, "other_costs", total(line.amount for line in self.other_lines))
        put(self, "program_pays", program_pays)
        put(self, "after_program", out_of_pocket - program_pays)

    # The other columns of the claims are added up where they are shown (the per-session
    # breakdown, an out-of-network row, the JSON), never in a batch: properties, here only.

    @property
    def allowed(self) -> Money:
        return total(s.allowed for s in self.claims)

    @property
    def deductible(self) -> Money:
        return total(s.deductible for s in self.claims)

    @property
    def copay(self) -> Money:
        return total(s.copay for s in self.claims)

    @property
    def coinsurance(self) -> Money:
        return total(s.coinsurance for s in self.claims)

    @property
    def balance_bill(self) -> Money:
        return total(s.balance_bill for s in self.claims)

    @property
    def paid_up_front(self) -> Money:
        return total(s.paid_up_front for s in self.claims)

    @property
    def adjustment(self) -> Money:
        """What an in-network clinic writes off: charges above the allowed amounts."""
        return total(s.adjustment for s in self.claims)


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """A complete estimate: the request, its schedule and the three scenarios."""

    request: EstimateRequest
    sheet: PriceSheet
    treatment: Treatment
    plan: Plan | None
    """The sheet's booster plan asked for (``maintenance``), if one is."""
    schedule: tuple[Session, ...]
    scenarios: dict[Scenario, ScenarioFigures]

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


def estimate(request: EstimateRequest, sheet: PriceSheet) -> Estimate:
    """Compute the three scenarios for a request on a price sheet; the request is
    :func:`~ketacost.request.build_request`'s, with the sheet's defaults filled in."""
    found = resolve(request, sheet)
    treatment, plan, program = found.treatment, found.plan, found.program
    phases = treatment.phases if request.phased else ()
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
    scenarios: dict[Scenario, ScenarioFigures] = {}
    for name in SCENARIOS:
        price = prices.at(name)
        booster = price
        if plan and plan.booster_price is not None:
            booster = plan.booster_price
        elif treatment.booster_price is not None:
            booster = treatment.booster_price.at(name)
        lines, claims = charge_lines(treatment, shared, price, booster)
        shares = apply_coverage(claims, request.coverage, billed)
        paid = how_paid(shares, rides, schedule, request.paying, program)
        scenarios[name] = ScenarioFigures(
            per_session=price,
            booster_price=booster,
            lines=tuple(lines),
            claims=shares,
            other_lines=rides,
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
        plan=plan,
        schedule=schedule,
        scenarios=scenarios,
    )
