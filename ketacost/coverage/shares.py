"""Who pays what: self-pay, in-network and out-of-network coverage (docs/coverage.md).

Claims are processed one by one in date order with deductible and out-of-pocket
accumulators that reset at each plan-year start. Every component is rounded to cents
as it is computed, so a claim's parts add up exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

from ketacost.coverage.allowed import Billed, CodeAmounts, allowed_amount, allowed_problem
from ketacost.money import ZERO, Money, cents, format_money

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
