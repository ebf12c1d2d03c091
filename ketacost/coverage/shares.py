"""Who pays what: self-pay, in-network and out-of-network coverage (docs/coverage.md).

Claims are processed one by one in date order with deductible and out-of-pocket
accumulators that reset at each plan-year start. Every component is rounded to cents
as it is computed, so a claim's parts add up exactly.

The plan's allowed amount for a claim is the figure out-of-network reimbursement is
worked out from (docs/refunds.md). By default it is the clinic's charge, or one amount
per session (``allowed``). Out of network a plan usually allows an amount per service
code: its own fee schedule (``oon_allowed``), or a percent of Medicare's fee for the code
(``medicare_percent`` with ``medicare_fees``). A claim's allowed amount is then the sum,
over the codes it is billed with, of the amount per unit times the units, and never more
than the charge (a plan allows the lesser of its figure and what was billed). Each
per-unit amount is rounded to the cent first, so the parts add up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple, TypeAlias

from ketacost.coverage.fields import BOUNDED, MAX_CODE_LENGTH
from ketacost.money import ZERO, Money, cents, format_money, total
from ketacost.sheet.model import Code

Network = Literal["in", "out"]


class CoverageError(ValueError):
    """Coverage figures that contradict each other; ``field`` names the one at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


# A NamedTuple, not a dataclass: one is made per session and fee of every scenario (a
# batch makes millions), and a NamedTuple is cheaper to make.
class Claim(NamedTuple):
    """One billed item on a date: a session (numbered from 0, with its phase), or a fee."""

    date: date
    label: str
    charge: Money
    session: int | None = None
    phase: str | None = None


CodeAmounts = tuple[tuple[str, Money], ...]
"""Amounts per service code, in the order given: ``(("96365", Decimal("180")), ...)``."""

Billed: TypeAlias = Callable[[Claim], Sequence[Code]]
"""The service codes a claim is billed with, and their units."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """A patient's health plan, as far as ketacost needs it."""

    network: Network = "in"
    deductible: Money = ZERO
    deductible_met: Money = ZERO
    copay: Money = ZERO
    coinsurance: Decimal = Decimal(0)
    oop_max: Money | None = None
    oop_met: Money | None = None
    """Already paid toward the out-of-pocket maximum; defaults to the deductible met."""
    allowed: Money | None = None
    """The plan's allowed amount per session; None means the clinic's charge."""
    plan_year_start: tuple[int, int] = (1, 1)
    oon_allowed: CodeAmounts = ()
    """Out of network: the plan's allowed amount per unit of each service code."""
    medicare_percent: Decimal | None = None
    """Out of network: the plan allows this share of Medicare's fee for a code (1.5 for
    150%) where ``oon_allowed`` gives no amount of its own."""
    medicare_fees: CodeAmounts = ()
    """Medicare's fee per unit of each code, for ``medicare_percent``."""
    claim_days: int | None = None
    """Days from a visit to the plan's payment; None: :data:`CLAIM_DAYS`."""
    filing_limit: int | None = None
    """Days after a visit by which the plan must have the claim; None: :data:`FILING_LIMIT`."""
    oon_deductible: Money | None = None
    """The plan's separate out-of-network deductible. Given, the out-of-network terms are
    the ``oon_`` figures (see :func:`terms_in_use`); None: the figures above serve both."""
    oon_deductible_met: Money | None = None
    oon_coinsurance: Decimal | None = None
    oon_oop_max: Money | None = None
    oon_oop_met: Money | None = None

    def __post_init__(self) -> None:
        problem = allowed_problem(self)
        if problem is not None:
            raise CoverageError(*problem)
        self._check_out_of_network()
        self._check_terms()

    def _check_out_of_network(self) -> None:
        """The ``oon_`` figures come with the out-of-network deductible and coinsurance,
        and agree with each other (checked as the terms they stand for)."""
        figures = (
            self.oon_deductible,
            self.oon_deductible_met,
            self.oon_coinsurance,
            self.oon_oop_max,
            self.oon_oop_met,
        )
        if figures.count(None) == len(figures):
            return  # none given (the usual plan)
        given = [key for key in OON_TERMS if getattr(self, f"oon_{key}") is not None]
        if self.oon_deductible is None:
            raise CoverageError(
                f"oon_{given[0]} needs the out-of-network deductible too (oon_deductible; "
                "0 if none)",
                f"oon_{given[0]}",
            )
        if self.oon_coinsurance is None:
            raise CoverageError(
                "the out-of-network deductible needs the out-of-network coinsurance too "
                "(oon_coinsurance; 0 if none)",
                "oon_coinsurance",
            )
        try:
            _out_of_network(self)
        except CoverageError as error:
            raise CoverageError(f"out of network: {error}", f"oon_{error.field}") from None

    def _check_terms(self) -> None:
        money = format_money
        if not 0 <= self.coinsurance <= 1:
            raise CoverageError("coinsurance must be from 0 to 100%", "coinsurance")
        if self.deductible_met > self.deductible:
            raise CoverageError(
                f"the deductible met ({money(self.deductible_met)}) is more "
                f"than the deductible ({money(self.deductible)})",
                "deductible_met",
            )
        if self.oop_met is not None and self.oop_met < self.deductible_met:
            raise CoverageError(
                f"the out-of-pocket amount met ({money(self.oop_met)}) is less "
                f"than the deductible met ({money(self.deductible_met)}), "
                "which counts toward it",
                "oop_met",
            )
        if self.oop_max is not None and self.starting_oop > self.oop_max:
            what, field = (
                ("out-of-pocket amount", "oop_met")
                if self.oop_met is not None
                else ("deductible", "deductible_met")
            )
            raise CoverageError(
                f"the {what} met ({money(self.starting_oop)}) is more than "
                f"the out-of-pocket maximum ({money(self.oop_max)})",
                field,
            )
        month, day = self.plan_year_start
        try:
            date(2024, month, day)  # a leap year, so 02-29 is a day
        except ValueError:
            raise CoverageError(
                f"the plan year cannot start on {month:02d}-{day:02d}", "plan_year_start"
            ) from None

    @property
    def starting_oop(self) -> Money:
        return self.deductible_met if self.oop_met is None else self.oop_met


# A NamedTuple, not a dataclass: one per claim, made in the coverage loop (see Claim).
class Share(NamedTuple):
    """One claim after coverage: the patient's and the plan's parts."""

    claim: Claim
    allowed: Money
    deductible: Money
    copay: Money
    coinsurance: Money
    balance_bill: Money
    patient: Money
    """The patient's net cost for this claim (their share of allowed plus any balance bill)."""
    plan: Money
    paid_up_front: Money

    @property
    def adjustment(self) -> Money:
        """What an in-network clinic writes off: charge above the allowed amount."""
        return self.claim.charge - self.allowed - self.balance_bill


OON_TERMS = ("deductible", "deductible_met", "coinsurance", "oop_max", "oop_met")
"""The figures a plan may give separately for out-of-network care (``oon_`` first)."""


def _out_of_network(coverage: Coverage) -> Coverage:
    """The plan with its ``oon_`` figures as its terms (and no ``oon_`` figures left)."""
    return replace(
        coverage,
        deductible=coverage.oon_deductible or ZERO,
        deductible_met=coverage.oon_deductible_met or ZERO,
        coinsurance=coverage.oon_coinsurance or Decimal(0),
        oop_max=coverage.oon_oop_max,
        oop_met=coverage.oon_oop_met,
        oon_deductible=None,
        oon_deductible_met=None,
        oon_coinsurance=None,
        oon_oop_max=None,
        oon_oop_met=None,
    )


def terms_in_use(coverage: Coverage) -> Coverage:
    """The terms the claims are worked out with: out of network, the separate
    out-of-network deductible, coinsurance and maximum when the plan gives them (what is
    met in network does not count toward them); otherwise the plan as it is."""
    if coverage.network == "out" and coverage.oon_deductible is not None:
        return _out_of_network(coverage)
    return coverage


def self_pay(claims: Sequence[Claim]) -> tuple[Share, ...]:
    """No coverage: the patient pays every charge."""
    return tuple(
        Share(c, c.charge, ZERO, ZERO, ZERO, ZERO, c.charge, ZERO, c.charge) for c in claims
    )


def plan_year(day: date, start: tuple[int, int]) -> int:
    """The calendar year in which the plan year holding ``day`` began."""
    month, dom = start
    return day.year if (day.month, day.day) >= (month, dom) else day.year - 1


def apply_coverage(
    claims: Sequence[Claim], coverage: Coverage | None, billed: Billed | None = None
) -> tuple[Share, ...]:
    """Split each claim between patient and plan, in date order (docs/coverage.md, steps
    1-7). On one date, sessions come before fees, and all claims of that visit share one
    copay. What is already met counts toward the plan year of the first claim. ``billed``
    gives the service codes of a claim, for a plan that allows amounts per code
    (docs/refunds.md); without it no claim has a code."""
    if coverage is None:
        return self_pay(claims)
    coverage = terms_in_use(coverage)
    shares: list[Share] = []
    year: int | None = None
    ded_met, oop_met = coverage.deductible_met, coverage.starting_oop
    copay_used: dict[date, Money] = {}  # one copay per visit (date)
    for claim in sorted(claims, key=_visit_order):
        this_year = plan_year(claim.date, coverage.plan_year_start)
        if year is not None and this_year != year:
            ded_met, oop_met = ZERO, ZERO  # the accumulators reset each plan year
        year = this_year
        allowed = allowed_amount(claim, coverage, billed)
        to_deductible = min(allowed, coverage.deductible - ded_met)
        rest = allowed - to_deductible
        copay = min(coverage.copay - copay_used.get(claim.date, ZERO), rest)
        rest -= copay
        coinsurance = cents(coverage.coinsurance * rest)
        if coverage.oop_max is not None:
            room = max(coverage.oop_max - oop_met, ZERO)
            coinsurance = min(coinsurance, max(room - to_deductible - copay, ZERO))
            copay = min(copay, max(room - to_deductible, ZERO))
            to_deductible = min(to_deductible, room)
        share = to_deductible + copay + coinsurance
        ded_met += to_deductible
        oop_met += share
        copay_used[claim.date] = copay_used.get(claim.date, ZERO) + copay
        # Out of network the patient pays the clinic in full up front, and owes any charge
        # above the allowed amount (a balance bill); in network the patient pays their share.
        out = coverage.network == "out"
        balance = claim.charge - allowed if out else ZERO
        shares.append(
            Share(
                claim=claim,
                allowed=allowed,
                deductible=to_deductible,
                copay=copay,
                coinsurance=coinsurance,
                balance_bill=balance,
                patient=share + balance,
                plan=allowed - share,
                paid_up_front=claim.charge if out else share,
            )
        )
    return tuple(shares)


def _visit_order(claim: Claim) -> tuple[date, bool]:
    """Claims by date; on one day, sessions before fees."""
    return claim.date, claim.session is None


# The allowed amount of a claim (docs/refunds.md).


def by_code(coverage: Coverage) -> bool:
    """Out of network with amounts per service code."""
    return coverage.network == "out" and (
        bool(coverage.oon_allowed) or coverage.medicare_percent is not None
    )


def per_unit(coverage: Coverage, code: str) -> Money | None:
    """What the plan allows for one unit of ``code``: its own amount, else its percent of
    Medicare's fee (rounded to the cent); None when it gives neither."""
    own = dict(coverage.oon_allowed).get(code)
    if own is not None:
        return own
    if coverage.medicare_percent is None:
        return None
    fee = dict(coverage.medicare_fees).get(code)
    return None if fee is None else cents(fee * coverage.medicare_percent)


def allowed_amount(claim: Claim, coverage: Coverage, billed: Billed | None = None) -> Money:
    """The plan's allowed amount for one claim, never above its charge. Out of network by
    code, a claim billed with no code (or a code without an amount, which
    :func:`missing_codes` refuses first) is allowed nothing: it cannot be claimed."""
    if by_code(coverage):
        codes = billed(claim) if billed is not None else ()
        parts = ((per_unit(coverage, c.code) or ZERO) * c.units for c in codes)
        return min(claim.charge, total(parts))
    if claim.session is not None and coverage.allowed is not None:
        return min(claim.charge, coverage.allowed)
    return claim.charge


def missing_codes(coverage: Coverage | None, codes: Iterable[str]) -> tuple[str, ...]:
    """The codes billed that the plan's amounts per code do not cover, each once, in
    order; empty when the allowed amount is not per code."""
    if coverage is None or not by_code(coverage):
        return ()
    missing: list[str] = []
    for code in codes:
        if per_unit(coverage, code) is None and code not in missing:
            missing.append(code)
    return tuple(missing)


def _check_codes(amounts: CodeAmounts, field: str) -> tuple[str, str] | None:
    for code, amount in amounts:
        if not (0 < len(code) <= MAX_CODE_LENGTH and code.isascii() and code.isalnum()):
            return f"{field}: {code[:MAX_CODE_LENGTH]!r} is not a service code", field
        if amount < 0:
            return f"{field}: the amount for {code} is negative", field
    return None


def allowed_problem(coverage: Coverage) -> tuple[str, str] | None:
    """The first contradiction among the figures the allowed amount and the refund's
    timing come from, as (message, field), or None. Their bounds are the field table's
    (:data:`ketacost.coverage.fields.FIELDS`)."""
    for field in BOUNDED:
        bound = field.problem(getattr(coverage, field.name))
        if bound:
            return bound, field.name
    for amounts, name in (
        (coverage.oon_allowed, "oon_allowed"),
        (coverage.medicare_fees, "medicare_fees"),
    ):
        problem = _check_codes(amounts, name)
        if problem:
            return problem
    percent = coverage.medicare_percent
    if percent is not None and not coverage.medicare_fees:
        return (
            "a percent of Medicare's fee needs Medicare's fee for each code billed "
            "(medicare_fees in the coverage file)",
            "medicare_percent",
        )
    per_code = coverage.oon_allowed or percent is not None
    if coverage.network == "out" and coverage.allowed is not None and per_code:
        return (
            "give the allowed amount per session or per code (oon_allowed, "
            "medicare_percent), not both",
            "allowed",
        )
    return None
