"""What a patient or a front desk asks for, as one typed request, checked against a price
sheet (docs/index.md).

The command line and batch files both build requests here, with keyword arguments named
like the request's fields, so both apply the same defaults and the same checks. Problems
raise :class:`EstimateError` naming the field at fault (``maintenance``,
``deductible_met``), never a command-line option: each front end maps fields to its own
words (an option, a CSV column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ketacost.coverage.shares import Coverage
from ketacost.errors import EstimateError, MissingValue, NeedsAnother
from ketacost.money import ZERO, Money
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import NO_PAYING, Paying
from ketacost.schedule.sessions import NO_MAINTENANCE, Maintenance, ScheduleError, parse_maintenance
from ketacost.sheet.model import (
    Discount,
    Fee,
    Plan,
    PriceRange,
    PriceSheet,
    SavingsProgram,
    Treatment,
)

__all__ = [  # the errors, defined with every face's other rules in ketacost.errors
    "COUNTS",
    "DEFAULT_MONTHS",
    "MAX_MONTHS",
    "MAX_SESSIONS",
    "MAX_WEEKS",
    "EstimateError",
    "EstimateRequest",
    "MissingValue",
    "NeedsAnother",
    "Resolved",
    "build_request",
    "can_leave_out",
    "check_count",
    "check_paying",
    "deferred",
    "one_price",
    "promotion",
    "resolve",
    "treatment_of",
]

DEFAULT_MONTHS = 12
MAX_SESSIONS = 100
MAX_WEEKS = 52
MAX_MONTHS = 60
COUNTS: dict[str, tuple[int, int]] = {
    "sessions": (1, MAX_SESSIONS),
    "weeks": (1, MAX_WEEKS),
    "months": (0, MAX_MONTHS),
}
"""The request's counts and their bounds, from low to high."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EstimateRequest:
    """What a patient or front desk asks, with the sheet's defaults resolved into it
    (:func:`build_request`): the estimate reads the request, not the sheet's defaults."""

    start: date
    condition: str
    """The condition asked for, or the key of the treatment a default chose."""
    sessions: int
    """The induction's sessions (the treatment's own when none were asked for)."""
    weeks: int
    """The weeks the induction spans (the treatment's own when none were asked for)."""
    phased: bool = False
    """The induction is given in the treatment's phases (Spravato: twice a week, then
    weekly), not spread evenly: its own induction, asked for without a count."""
    price: PriceRange | None = None
    """An exact price or a range per session, instead of the sheet's."""
    maintenance: Maintenance = NO_MAINTENANCE
    months: int = DEFAULT_MONTHS
    until: date | None = None
    """Leave out sessions after this day (a Good Faith Estimate covers at most 12 months)."""
    ride: Money = ZERO
    coverage: Coverage | None = None
    without: tuple[str, ...] = ()
    """Keys of optional fees the patient does not take."""
    with_: tuple[str, ...] = ()
    """Keys of conditional discounts whose condition the patient meets: a discount with a
    condition (``when``) applies only when named here."""
    paying: Paying = NO_PAYING
    """How the patient pays: an HSA/FSA, a payment plan, a savings program."""


def build_request(
    sheet: PriceSheet,
    today: date,
    *,
    condition: str | None = None,
    sessions: int | None = None,
    weeks: int | None = None,
    phased: bool | None = None,
    price: Money | None = None,
    price_range: PriceRange | None = None,
    maintenance: str | Maintenance | None = None,
    months: int | None = None,
    start: date | None = None,
    until: date | None = None,
    ride: Money | None = None,
    coverage: Coverage | None = None,
    without: Sequence[str] = (),
    with_: Sequence[str] = (),
    paying: Paying = NO_PAYING,
) -> EstimateRequest:
    """The request these values describe, checked against the sheet, with its defaults
    filled in; None means the default (``start``: today).

    ``price`` is one exact price and ``price_range`` a range: give one of them at most.
    ``maintenance`` is the plan as typed (``every 4 weeks``, ``4w``, a tapering plan or a
    plan of the sheet); None: the treatment's own default plan (none for IV infusions).
    ``phased`` None: a treatment with phases is phased unless sessions or weeks are given.
    ``months`` is how long boosters last: given with no boosters, it is refused.
    """
    chosen = one_price(price, price_range)
    if condition is not None:
        treatment_of(sheet, condition)
    plan = (
        maintenance
        if isinstance(maintenance, Maintenance)
        else _plan(sheet, condition, maintenance)
    )
    named = _named_plan(sheet, plan)
    treatment = treatment_of(
        sheet, condition or (named and named.treatment) or sheet.default_condition
    )
    if named and named.treatment and named.treatment != treatment.key:
        raise EstimateError(
            f"plan {named.key!r} is for {named.treatment!r}, not {treatment.key!r}", "maintenance"
        )
    if months is not None and plan.unit == "none":
        _months_need_boosters(treatment, maintenance)
    own = (treatment.induction_sessions, treatment.induction_weeks)
    if phased is None:
        phased = sessions is None and weeks is None and bool(treatment.phases)
    elif phased and not treatment.phases:
        raise EstimateError(f"{treatment.label} has no phased induction", "phased")
    elif phased and (sessions, weeks) not in ((None, None), own):
        raise EstimateError(
            f"a phased induction is {treatment.label}'s own {own[0]} sessions over {own[1]} weeks",
            "sessions",
        )
    with_keys = tuple(dict.fromkeys(k.strip().lower() for k in with_))
    _check_without(sheet, without)
    _check_with(sheet, with_keys, without)
    check_paying(paying)
    _check_program(sheet, treatment, paying, coverage)
    return EstimateRequest(
        start=start or today,
        condition=condition or treatment.key,
        sessions=_count(sessions, own[0], "sessions"),
        weeks=_count(weeks, own[1], "weeks"),
        phased=phased,
        price=chosen,
        maintenance=plan,
        months=_count(months, DEFAULT_MONTHS, "months"),
        until=until,
        ride=ride or ZERO,
        coverage=coverage,
        without=tuple(without),
        with_=with_keys,
        paying=paying,
    )


def _months_need_boosters(treatment: Treatment, maintenance: str | Maintenance | None) -> None:
    """Months are how long boosters last: given with no boosters, they would change
    nothing, so they are refused."""
    typed = maintenance.normalized if isinstance(maintenance, Maintenance) else maintenance
    reason = "is how long boosters last"
    if typed is None or not typed.strip():
        reason += f", and {treatment.label} has none by default"
    raise NeedsAnother(
        reason, "months", needs="maintenance", words="a maintenance plan", example="monthly"
    )


def _count(value: int | None, default: int, field: str) -> int:
    """A count, or its default when not given, within its bounds (:data:`COUNTS`)."""
    return check_count(default if value is None else value, field, *COUNTS[field])


def check_count(count: int, field: str, low: int, high: int) -> int:
    """A count from ``low`` to ``high``, or an EstimateError naming ``field``."""
    if not low <= count <= high:
        raise EstimateError(f"must be from {low} to {high}, not {count}", field)
    return count


def one_price(price: Money | None, price_range: PriceRange | None) -> PriceRange | None:
    """The price per session asked for: one exact price or a range, not both (None: the
    sheet's)."""
    if price is not None and price_range is not None:
        raise EstimateError("give an exact price or a price range, not both", "price")
    return PriceRange.exact(price) if price is not None else price_range


def can_leave_out(sheet: PriceSheet) -> tuple[Discount | Fee, ...]:
    """What a request may leave out (``without``): the sheet's conditional discounts
    (which apply only when asked for, so leaving one out changes nothing) and its optional
    fees."""
    return (*(d for d in sheet.discounts if d.when), *(f for f in sheet.fees if f.optional))


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolved:
    """What a request names on its sheet: the treatment, the sheet's booster plan asked
    for (``maintenance``) and the savings program counted (``savings``)."""

    treatment: Treatment
    plan: Plan | None
    program: SavingsProgram | None


def resolve(request: EstimateRequest, sheet: PriceSheet) -> Resolved:
    """The treatment, plan and program the request names, looked up on ``sheet`` as
    :func:`build_request` looked them up (an EstimateError naming ``condition`` when the
    sheet has no such treatment)."""
    treatment = treatment_of(sheet, request.condition)
    return Resolved(
        treatment=treatment,
        plan=_named_plan(sheet, request.maintenance),
        program=_program(sheet, treatment, request.paying),
    )


def treatment_of(sheet: PriceSheet, condition: str) -> Treatment:
    """The sheet's treatment for a condition (its key or an alias), or an EstimateError
    naming ``condition``."""
    try:
        return sheet.treatment(condition)
    except LookupError as error:
        raise EstimateError(str(error.args[0]), "condition") from None


def _named_plan(sheet: PriceSheet, plan: Maintenance) -> Plan | None:
    """The sheet's booster plan a maintenance plan names, if it names one."""
    return sheet.plan(plan.plan) if plan.plan else None


def _program(sheet: PriceSheet, treatment: Treatment, paying: Paying) -> SavingsProgram | None:
    """The treatment's savings program, when the request counts one (``savings``)."""
    return sheet.savings_for(treatment.key) if paying.savings else None


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
    """Every key left out must name what can be left out (:func:`can_leave_out`)."""
    optional = {item.key for item in can_leave_out(sheet)}
    every = {f.key for f in sheet.fees} | {d.key for d in sheet.discounts}
    for key in without:
        if key in optional:
            continue
        reason = "is not optional on" if key in every else "is not a fee or discount of"
        choices = ", ".join(sorted(optional)) or "none"
        raise EstimateError(
            f"{key!r} {reason} price sheet {sheet.name!r} (can be left out: {choices})", "without"
        )


def _check_program(
    sheet: PriceSheet, treatment: Treatment, paying: Paying, coverage: Coverage | None
) -> None:
    """A savings program asked for: the treatment must have one, and the patient
    commercial insurance (the programs are not for patients paying themselves)."""
    if not paying.savings:
        return
    program = _program(sheet, treatment, paying)
    if program is None:
        raise EstimateError(
            f"{treatment.label} has no savings program on price sheet {sheet.name!r}", "savings"
        )
    if coverage is None:
        raise EstimateError(
            f"{program.label} is for commercially insured patients: give the insurance",
            "savings",
        )


def _plan(sheet: PriceSheet, condition: str | None, maintenance: str | None) -> Maintenance:
    """The maintenance plan typed, or the treatment's default plan when none was (None,
    or a blank batch cell)."""
    if maintenance is None or not maintenance.strip():
        try:
            return sheet.treatment(condition or sheet.default_condition).maintenance
        except LookupError:
            return NO_MAINTENANCE
    try:
        return parse_maintenance(maintenance, sheet.named_plans())
    except ScheduleError as error:
        raise EstimateError(str(error), "maintenance") from None


def check_paying(paying: Paying) -> None:
    """Options about an HSA/FSA need a tax rate; ``finance_what`` needs a payment plan."""
    if paying.hsa_rate is None and paying.account is not None:
        raise EstimateError("needs your tax rate, to work out the HSA/FSA saving", "account")
    if paying.hsa_rate is None and paying.payroll:
        raise EstimateError("needs your tax rate, to work out the HSA/FSA saving", "payroll")
    if paying.finance is None and paying.finance_what is not None:
        raise EstimateError("needs a payment plan to say what it finances", "finance_what")


def deferred(terms: FinanceTerms | None) -> FinanceTerms:
    """The payment plan as a "no interest if paid in full" promotion; its APR is what is
    charged back if a balance remains, so it must have one."""
    needs = "needs the APR charged back, given with the payment plan as MONTHS@APR (e.g. 12@26.99)"
    if terms is None:
        raise EstimateError(needs, "deferred_interest")
    try:
        return replace(terms, deferred=True)  # FinanceTerms checks a plan's terms
    except ValueError:
        raise EstimateError(needs, "deferred_interest") from None


def promotion(terms: FinanceTerms | None, months: int | None) -> FinanceTerms | None:
    """The payment plan with a 0% promotion for its first ``months`` (None: none asked
    for); the plan's terms check the months (fewer than the plan's, an APR after them)."""
    if months is None:
        return terms
    if terms is None:
        raise NeedsAnother(
            "is a promotion of a payment plan",
            "promo_months",
            needs="finance",
            words="a payment plan (MONTHS@APR)",
            example="24@22.99",
        )
    try:
        return replace(terms, promo_months=months)
    except ValueError as error:
        raise EstimateError(str(error), "promo_months") from None
