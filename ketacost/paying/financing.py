"""Paying for it (docs/paying.md): the after-tax cost of paying from an HSA/FSA, and financing.

Decimal only. A loan's regular payment is the amortization formula ``P*r / (1-(1+r)^-n)``
with ``r = APR/12`` (``P/n`` at 0%), computed at high precision and rounded half up to the
cent; with a promotion of ``k`` months at 0% first, ``P / (k + (1-(1+r)^-(n-k)) / r)``.
Each month's interest is rounded to the cent on the balance (none in a promotion's
months); the final payment is whatever then remains (balance plus its interest), so the
payments add up exactly to the total paid, and the total interest is the total paid less
the principal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from ketacost.money import CENTS, ZERO, Money, cents
from ketacost.paying.tax import YearSaving

MAX_MONTHS = 120
PRECISION = 50
"""Digits for computing (1+r)^-n: far more than cents over ten years ever need."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FinanceTerms:
    """A payment plan: ``months`` payments at ``apr`` (a fraction: 0.1799).

    With ``deferred`` it is a "no interest if paid in full" promotion: payments are made at
    0%, and ``apr`` is the rate charged back if a balance remains at the end. With
    ``promo_months`` the first that many months are at 0%, then ``apr`` runs on what is
    left; one level payment pays both.
    """

    months: int
    apr: Decimal
    deferred: bool = False
    promo_months: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.months <= MAX_MONTHS:
            raise ValueError(f"a payment plan runs 1 to {MAX_MONTHS} months, not {self.months}")
        if not 0 <= self.apr <= 1:
            raise ValueError("the APR must be from 0 to 100%")
        if self.deferred and self.apr == 0:
            raise ValueError("a deferred-interest promotion needs the APR charged back")
        if self.promo_months:
            if not 0 < self.promo_months < self.months:
                raise ValueError(
                    f"a 0% promotion runs fewer months than the plan ({self.months}), "
                    f"not {self.promo_months}"
                )
            if self.apr == 0:
                raise ValueError("a 0% promotion needs the plan's APR that follows it")
            if self.deferred:
                raise ValueError("a plan is a 0% promotion or deferred interest, not both")


@dataclass(frozen=True, slots=True, kw_only=True)
class HsaSaving:
    """Paying ``amount`` with pre-tax money at a marginal tax ``rate``; since 0.2.0 the
    saving is capped each calendar year by the account's contribution limit (``years``,
    :mod:`ketacost.paying.tax`), and ``payroll`` adds FICA to the rate."""

    amount: Money
    rate: Decimal
    saving: Money
    account: str = ""
    """``hsa-self``, ``hsa-family`` or ``fsa``; empty in a quote saved by 0.1.0."""
    payroll: bool = False
    years: tuple[YearSaving, ...] = ()

    @property
    def from_account(self) -> Money:
        """What the account pays (the amount, when no limit was applied)."""
        return sum((y.from_account for y in self.years), ZERO) if self.years else self.amount

    @property
    def after_tax_cost(self) -> Money:
        return self.amount - self.saving


@dataclass(frozen=True, slots=True, kw_only=True)
class Loan:
    """A financed amount: ``months - 1`` regular payments, then the final payment."""

    principal: Money
    terms: FinanceTerms
    payment: Money
    final_payment: Money
    total_interest: Money
    deferred_interest: Money | None = None
    """Charged back if a balance remains when a deferred-interest promotion ends."""

    @property
    def total_paid(self) -> Money:
        return self.principal + self.total_interest


def hsa(amount: Money, rate: Decimal) -> HsaSaving:
    """The saving is ``rate x amount``, rounded to the cent; the after-tax cost the rest
    (no contribution limit: see :func:`ketacost.paying.how_paid.pay_from_account`)."""
    return HsaSaving(amount=amount, rate=rate, saving=cents(rate * amount))


def _formula(principal: Money, months: int, rate: Decimal, free: int = 0) -> Money:
    """The level monthly payment, rounded half up to the cent: ``free`` months at 0%,
    then the rest at ``rate`` (the payment ``x`` with ``x*free + x*annuity = principal``)."""
    if rate == 0:
        return cents(principal / months)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        annuity = (1 - (1 + rate) ** -(months - free)) / rate
        exact = principal / (free + annuity)
    return cents(exact)


def _run(
    principal: Money, months: int, rate: Decimal, payment: Money, free: int = 0
) -> tuple[Money, Money]:
    """Pay ``payment`` for ``months - 1`` months, no interest in the first ``free``;
    return (final payment, total interest)."""
    balance, interest = principal, ZERO
    for month in range(1, months):
        accrued = ZERO if month <= free else cents(balance * rate)
        interest += accrued
        balance = balance + accrued - payment
    accrued = ZERO if months <= free else cents(balance * rate)
    return balance + accrued, interest + accrued


def _monthly_rate(apr: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return apr / 12


def finance(principal: Money, terms: FinanceTerms) -> Loan:
    """Amortize ``principal`` over the terms (at 0% for a deferred-interest promotion).

    The regular payment is the formula rounded half up. If rounding up would pay the loan
    off before its last month (a few dollars spread over many months), the regular payment
    is one cent less, so the final payment is never zero or negative.
    """
    if principal <= 0:
        return Loan(
            principal=ZERO,
            terms=terms,
            payment=ZERO,
            final_payment=ZERO,
            total_interest=ZERO,
            deferred_interest=ZERO if terms.deferred else None,
        )
    rate = ZERO if terms.deferred else _monthly_rate(terms.apr)
    free = terms.promo_months
    payment = _formula(principal, terms.months, rate, free)
    final, interest = _run(principal, terms.months, rate, payment, free)
    if final <= 0 < payment:
        payment -= CENTS
        final, interest = _run(principal, terms.months, rate, payment, free)
    deferred = deferred_interest(principal, terms) if terms.deferred else None
    return Loan(
        principal=principal,
        terms=terms,
        payment=payment,
        final_payment=final,
        total_interest=interest,
        deferred_interest=deferred,
    )


def deferred_interest(principal: Money, terms: FinanceTerms) -> Money:
    """What a "no interest if paid in full" promotion charges back if a balance remains.

    Assumes the planned 0% payments were made (only the last fell short) and that the
    promotion charges simple interest at ``terms.apr / 12`` a month on each month's
    balance from the purchase date: each month's interest rounded, then added up.
    """
    plan = finance(principal, FinanceTerms(months=terms.months, apr=ZERO))
    rate = _monthly_rate(terms.apr)
    charged, balance = ZERO, principal
    for _ in range(terms.months):
        charged += cents(balance * rate)
        balance -= plan.payment
    return charged
