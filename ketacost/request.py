"""What a patient or a front desk asks for, as one typed request, checked against a price
sheet (docs/index.md).

The command line and batch files both build requests here, with keyword arguments named
like the request's fields, so both apply the same defaults and the same checks. Problems
raise :class:`EstimateError` naming the field at fault (``maintenance``,
``deductible_met``), never a command-line option: each front end maps fields to its own
words (an option, a CSV column).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ketacost.coverage.file import CoverageFile
from ketacost.coverage.shares import OON_TERMS, Coverage, CoverageError, Network
from ketacost.gfe.timing import SELF_PAY_ONLY, is_self_pay
from ketacost.money import ZERO, D, Money
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import FinanceWhat
from ketacost.paying.tax import Account
from ketacost.schedule.sessions import NO_MAINTENANCE, Maintenance, ScheduleError, parse_maintenance
from ketacost.sheet.model import PriceRange, PriceSheet

DEFAULT_MONTHS = 12
MAX_SESSIONS = 100
MAX_WEEKS = 52
MAX_MONTHS = 60


class EstimateError(ValueError):
    """A request that cannot be estimated. ``field`` names the request field at fault
    (``sessions``), or is None when several values contradict each other."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MissingValue(EstimateError):
    """A value the request needs was not given (``field`` names it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EstimateRequest:
    """What a patient or front desk asks; ``None`` means the sheet's default."""

    start: date
    condition: str | None = None
    sessions: int | None = None
    weeks: int | None = None
    price: PriceRange | None = None
    """An exact price or a range per session, instead of the sheet's."""
    maintenance: Maintenance = NO_MAINTENANCE
    months: int = DEFAULT_MONTHS
    ride: Money = ZERO
    coverage: Coverage | None = None
    without: tuple[str, ...] = ()
    """Keys of optional fees the patient does not take."""
    with_: tuple[str, ...] = ()
    """Keys of conditional discounts whose condition the patient meets: a discount with a
    condition (``when``) applies only when named here."""
    hsa_rate: Decimal | None = None
    """Marginal tax rate (a fraction) when paying from an HSA/FSA."""
    finance: FinanceTerms | None = None
    """A payment plan for the out-of-pocket cost."""
    until: date | None = None
    """Leave out sessions after this day (a Good Faith Estimate covers at most 12 months)."""
    account: Account | None = None
    """The account paid from: ``hsa-self`` (None: the default), ``hsa-family`` or ``fsa``."""
    payroll: bool = False
    """The account is funded through payroll, so FICA is saved too."""
    agi: Money | None = None
    """Adjusted gross income, for the medical-expense deduction."""
    finance_what: FinanceWhat | None = None
    """What the payment plan finances: ``all`` (None: the default) or ``induction``."""
    savings: bool = False
    """Count the treatment's manufacturer savings program (commercial insurance only)."""


def build_request(
    sheet: PriceSheet,
    today: date,
    *,
    condition: str | None = None,
    sessions: int | None = None,
    weeks: int | None = None,
    price: Money | None = None,
    price_range: PriceRange | None = None,
    maintenance: str | None = None,
    months: int | None = None,
    start: date | None = None,
    ride: Money | None = None,
    coverage: Coverage | None = None,
    without: Sequence[str] = (),
    with_: Sequence[str] = (),
    hsa_rate: Decimal | None = None,
    finance: FinanceTerms | None = None,
    until: date | None = None,
    account: Account | None = None,
    payroll: bool = False,
    agi: Money | None = None,
    finance_what: FinanceWhat | None = None,
    savings: bool = False,
) -> EstimateRequest:
    """The request these values describe; None means the default (``start``: today).

    ``price`` is one exact price and ``price_range`` a range: give one of them at most.
    ``maintenance`` is the plan as typed (``every 4 weeks``, ``4w``, a tapering plan or a
    plan of the sheet); None: the treatment's own default plan (none for IV infusions).
    """
    if price is not None and price_range is not None:
        raise EstimateError("give an exact price or a price range, not both", "price")
    if condition is not None:
        try:
            sheet.treatment(condition)
        except LookupError as error:
            raise EstimateError(str(error.args[0]), "condition") from None
    plan = _plan(sheet, condition, maintenance)
    _check_paying(hsa_rate, finance, account, payroll, finance_what)
    return EstimateRequest(
        start=start or today,
        condition=condition,
        sessions=sessions,
        weeks=weeks,
        price=PriceRange.exact(price) if price is not None else price_range,
        maintenance=plan,
        months=DEFAULT_MONTHS if months is None else months,
        ride=ride or ZERO,
        coverage=coverage,
        without=tuple(without),
        with_=tuple(dict.fromkeys(k.strip().lower() for k in with_)),
        hsa_rate=hsa_rate,
        finance=finance,
        until=until,
        account=account,
        payroll=payroll,
        agi=agi,
        finance_what=finance_what,
        savings=savings,
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


def _check_paying(
    hsa_rate: Decimal | None,
    finance: FinanceTerms | None,
    account: str | None,
    payroll: bool,
    finance_what: str | None,
) -> None:
    """Options about an HSA/FSA need a tax rate; ``finance_what`` needs a payment plan."""
    if hsa_rate is None and account is not None:
        raise EstimateError("needs your tax rate, to work out the HSA/FSA saving", "account")
    if hsa_rate is None and payroll:
        raise EstimateError("needs your tax rate, to work out the HSA/FSA saving", "payroll")
    if finance is None and finance_what is not None:
        raise EstimateError("needs a payment plan to say what it finances", "finance_what")


PLAN_NEEDS = ("deductible", "coinsurance")
"""What every figure of an insured estimate depends on: a plan given without them would
silently be the most generous one (no deductible, the plan pays 100%), so they are asked
for (docs/coverage.md). A copay left out is none; a maximum left out is none (no cap)."""


def build_coverage(
    *,
    file: CoverageFile | None = None,
    network: Network | None = None,
    deductible: Money | None = None,
    deductible_met: Money | None = None,
    copay: Money | None = None,
    coinsurance: Decimal | None = None,
    oop_max: Money | None = None,
    oop_met: Money | None = None,
    allowed: Money | None = None,
    plan_year_start: tuple[int, int] | None = None,
    claim_days: int | None = None,
    filing_limit: int | None = None,
    medicare_percent: Decimal | None = None,
) -> Coverage | None:
    """The patient's plan from a coverage file and the values given (which override the
    file), or None (self-pay) when there is neither. A contradiction is an EstimateError
    naming the field given, or ``coverage_file`` with the file's line. Out of network,
    when the file gives the plan's separate out-of-network terms (``oon_deductible``),
    the deductible, coinsurance and maximum given stand for those terms."""
    given: dict[str, Any] = {
        key: value
        for key, value in (
            ("network", network),
            ("deductible", deductible),
            ("deductible_met", deductible_met),
            ("copay", copay),
            ("coinsurance", coinsurance),
            ("oop_max", oop_max),
            ("oop_met", oop_met),
            ("allowed", allowed),
            ("plan_year_start", plan_year_start),
            ("claim_days", claim_days),
            ("filing_limit", filing_limit),
            ("medicare_percent", medicare_percent),
        )
        if value is not None
    }
    merged = {**(file.values if file is not None else {}), **given}
    if not merged:
        return None
    if merged.get("network") != "out":
        for key in ("medicare_percent", "claim_days", "filing_limit"):
            if key in given:
                raise EstimateError(
                    "applies to out-of-network claims only: give the network as out", key
                )
    separate = merged.get("network") == "out" and "oon_deductible" in merged
    renamed: dict[str, str] = {}  # oon_ field: the field given for it
    for key in OON_TERMS if separate else ():
        if key in given:
            merged[f"oon_{key}"] = given[key]
            renamed[f"oon_{key}"] = key
            # What the file says in network stays as it is.
            if file is not None and key in file.values:
                merged[key] = file.values[key]
            else:
                del merged[key]
    try:
        coverage = Coverage(**merged)
    except CoverageError as error:
        field = renamed.get(error.field, error.field)
        if field in given or file is None:
            raise EstimateError(str(error), field) from None
        raise EstimateError(f"{file.where(error.field)}: {error}", "coverage_file") from None
    missing = [key for key in PLAN_NEEDS if key not in merged and not separate]
    if missing:
        needs = f"Insurance needs the plan's {' and '.join(missing)} (0 if it has none)"
        if file is not None:  # the plan came from the file: say which, not a field never given
            raise EstimateError(f"{file.path}: {needs[0].lower()}{needs[1:]}", "coverage_file")
        raise MissingValue(needs, missing[0])
    return coverage


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


def _induction(sheet: PriceSheet, inputs: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The induction's sessions and weeks to replay. The inputs keep them filled in, so a
    treatment with phases (Spravato: twice a week, then weekly) quoted with its own
    induction saved its totals: replayed as given they would space the sessions evenly,
    and the dates would not be the quote's. Those totals replay as the phases (None)."""
    sessions, weeks = inputs["sessions"], inputs["weeks"]
    key = inputs.get("treatment")
    try:
        treatment = sheet.treatment(key) if isinstance(key, str) else None
    except LookupError:
        treatment = None  # build_request names the condition at fault
    if treatment is None:
        return sessions, weeks
    if treatment.phases and (sessions, weeks) == (
        treatment.induction_sessions,
        treatment.induction_weeks,
    ):
        return None, None
    return sessions, weeks


def replay_request(sheet: PriceSheet, today: date, inputs: Mapping[str, Any]) -> EstimateRequest:
    """The request a saved quote's ``inputs`` (its JSON) describe, on ``sheet``: the
    treatment, schedule, plan, price, ``without`` and ``with`` it was quoted with (a quote
    saved before ``with`` existed asked for none). Its coverage, rides and paying are left
    out: a Good Faith Estimate lists the clinic's charges only. Raises EstimateError
    naming ``quote`` when the inputs cannot be read or no longer fit the sheet."""
    try:
        price = inputs["price"]
        sessions, weeks = _induction(sheet, inputs)
        request = build_request(
            sheet,
            today,
            condition=inputs["condition"],
            sessions=sessions,
            weeks=weeks,
            price_range=None
            if price is None
            else PriceRange(
                low=D(price["low"]), typical=D(price["typical"]), high=D(price["high"])
            ),
            maintenance=inputs["maintenance"],
            months=inputs["months"],
            start=date.fromisoformat(inputs["start"]),
            without=tuple(inputs["without"]),
            with_=tuple(inputs.get("with", ())),
        )
    except EstimateError as error:
        raise EstimateError(f"the quote's {error.field or 'inputs'}: {error}", "quote") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise EstimateError("the quote's saved inputs cannot be read", "quote") from None
    if not is_self_pay(inputs.get("coverage")):
        raise EstimateError(f"the quote uses insurance: {SELF_PAY_ONLY}", "quote")
    return request
